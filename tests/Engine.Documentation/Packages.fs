/// docs/packages.md's promises: its console app is real code that runs and prints what the page shows.
module Packages

open Xunit
open Repository

[<Fact>]
let ``docs/packages.md's console app is samples/TrainAndPredict/Program.cs, line for line`` () =
    match namedBlocks "docs/packages.md" |> List.tryFind (fun (file, _) -> file = "samples/TrainAndPredict/Program.cs") with
    | None -> failwith "docs/packages.md has no code block marked <!-- file: samples/TrainAndPredict/Program.cs -->"
    | Some(file, code) -> Assert.True((read file = code), sprintf "docs/packages.md's console app differs from %s:\n%s" file code)

[<Fact>]
let ``docs/packages.md's console app runs and prints what the page shows`` () =
    let code, out, err = run "TrainAndPredict.dll" []
    Assert.True((code = 0), sprintf "exit %d\n%s\n%s" code out err)
    Assert.NotEmpty(out.Trim())
    let missing = notShownIn "docs/packages.md" out
    Assert.True(missing.IsEmpty, sprintf "docs/packages.md does not show the lines the console app printed:\n%s" (String.concat "\n" missing))
