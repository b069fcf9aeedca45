/// How a table's labels become classes (Classes.Infer): integer labels 0..K−1 with every class present, or names, never a mix
/// and never a single class; each refusal names the label and the line it is on.
module Facts.Classes

open System.IO
open Xunit
open Engine.Data

let private csv (text: string) = CsvReader.Read(new StringReader(text), source = "test.csv")

/// The message of the DataFormatException an action throws.
let private failure (action: unit -> 'T) = (Assert.ThrowsAny<DataFormatException>(fun () -> action () |> ignore)).Message

[<Fact>]
let ``a table without rows has no classes to take, and says so`` () =
    Assert.Contains("empty.csv: no rows", failure (fun () -> Classes.Infer(DataTable("empty.csv", [||], 1, [||], [||], "line"))))

[<Fact>]
let ``a mix of names and numbers is refused wherever the first name is, naming the first of each`` () =
    Assert.Contains("line 1: the label 'cat' is a name, but test.csv, line 3 has the number 0", failure (fun () -> Classes.Infer(csv "1,cat\n2,dog\n3,0\n")))
    Assert.Contains("line 3: the label 'cat' is a name, but test.csv, line 1 has the number 0", failure (fun () -> Classes.Infer(csv "1,0\n2,1\n3,cat\n")))

[<Fact>]
let ``labels that are all one name or all 0 are a single class, named`` () =
    Assert.Contains("test.csv: every label is 'cat', a single class", failure (fun () -> Classes.Infer(csv "1,cat\n2,cat\n")))
    Assert.Contains("test.csv: every label is 0, a single class", failure (fun () -> Classes.Infer(csv "1,0\n2,0\n")))

[<Fact>]
let ``a class missing just below the largest label is named, at the line where the largest label first occurs`` () =
    Assert.Contains("line 2: the label 2 makes 3 classes (0..2), but class 1 never occurs", failure (fun () -> Classes.Infer(csv "1,0\n2,2\n3,2\n")))
