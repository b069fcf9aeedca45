/// Datasets and tables, classes, the standardizer, the random and stratified splits, data files (gzip, the input limit), and the CSV
/// and IDX readers: what they accept, and the position they report for what they do not.
module Facts.Data

open System
open System.IO
open Xunit
open Engine.Data
open Facts.Support

let private csv (text: string) = CsvReader.Read(new StringReader(text), source = "test.csv")

[<Fact>]
let ``Dataset checks its shapes and encodes labels`` () =
    throwsFor "featureCount" [ "positive" ] (fun () -> Dataset([||], 0, [||], 1))
    throwsFor "targetWidth" [ "positive" ] (fun () -> Dataset([||], 1, [||], 0))
    throwsFor "features" [ "rows of 2" ] (fun () -> Dataset([| 1.0; 2.0; 3.0 |], 2, [| 0.0 |], 1))
    throwsFor "targets" [ "[1, 1]"; "1 values" ] (fun () -> Dataset([| 1.0; 2.0 |], 2, [| 0.0; 1.0 |], 1))
    let data = Dataset([| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |], 2, [| 2.0; 0.0; 1.0 |], 1)
    Assert.Equal(3, data.Count)
    Assert.Equal<float[]>([| 0.0; 0.0; 1.0; 1.0; 0.0; 0.0; 0.0; 1.0; 0.0 |], data.OneHot(3).Targets)
    throwsFor "classes" [ "[0, 1]" ] (fun () -> data.OneHot 2)
    Assert.Throws<InvalidOperationException>(fun () -> data.OneHot(3).OneHot(3) |> ignore) |> ignore
    let selected = data.Select [| 2; 0 |]
    Assert.Equal<float[]>([| 5.0; 6.0; 1.0; 2.0 |], selected.Features)
    Assert.Equal<float[]>([| 1.0; 2.0 |], selected.Targets)
    Assert.Equal<float[]>([| -2.0; -0.0; -1.0 |], data.MapTargets(fun y -> -y).Targets)

[<Fact>]
let ``a dataset refuses null arrays and names the target shape it expected`` () =
    Assert.Equal("features", (Assert.Throws<ArgumentNullException>(fun () -> Dataset(Unchecked.defaultof<float[]>, 1, [| 0.0 |], 1) |> ignore)).ParamName)
    Assert.Equal("targets", (Assert.Throws<ArgumentNullException>(fun () -> Dataset([| 0.0 |], 1, Unchecked.defaultof<float[]>, 1) |> ignore)).ParamName)
    let error = Assert.Throws<ArgumentException>(fun () -> Dataset(Array.zeroCreate 6, 2, Array.zeroCreate 5, 2) |> ignore)
    mentions [ "[3, 2]"; "6 values" ] error.Message

[<Fact>]
let ``selecting rows of a dataset with wide targets keeps each row's targets`` () =
    let data = Dataset([| 0.0; 1.0; 2.0 |], 1, [| 1.0; 0.0; 0.0; 1.0; 1.0; 0.0 |], 2)
    let picked = data.Select([| 2; 1 |])
    Assert.Equal<float[]>([| 2.0; 1.0 |], picked.Features)
    Assert.Equal<float[]>([| 1.0; 0.0; 0.0; 1.0 |], picked.Targets)

[<Fact>]
let ``the standardizer uses the population deviation, gives a constant feature deviation 1, and checks its input`` () =
    let data = Dataset([| 1.0; 5.0; 3.0; 5.0 |], 2, [| 0.0; 1.0 |], 1)
    let scaler = Standardizer.Fit data
    Assert.Equal<float[]>([| 2.0; 5.0 |], scaler.Means)
    Assert.Equal<float[]>([| 1.0; 1.0 |], scaler.Deviations)
    Assert.Equal<float[]>([| -1.0; 0.0; 1.0; 0.0 |], scaler.Transform(data).Features)
    let wide = Standardizer.Fit(Dataset([| 0.0; 4.0 |], 1, [| 0.0; 0.0 |], 1))
    Assert.Equal(2.0, wide.Deviations[0])
    throwsFor "data" [ "empty" ] (fun () -> Standardizer.Fit(Dataset([||], 2, [||], 1)))
    throwsFor "data" [ "2 features" ] (fun () -> scaler.Transform(Dataset([| 1.0 |], 1, [| 0.0 |], 1)))
    throwsFor "deviations" [ "(2)" ] (fun () -> Standardizer([| 0.0; 0.0 |], [| 1.0 |]))
    throwsFor "deviations" [ "feature 1" ] (fun () -> Standardizer([| 0.0; 0.0 |], [| 1.0; 0.0 |]))
    throwsFor "deviations" [ "feature 0" ] (fun () -> Standardizer([| nan; 0.0 |], [| 1.0; 1.0 |]))
    throwsFor "deviations" [ "feature 0" ] (fun () -> Standardizer([| 0.0 |], [| infinity |]))

[<Fact>]
let ``the standardizer's deviation is the population deviation about the mean`` () =
    let fitted = Standardizer.Fit(Dataset([| 1.0; 10.0; 3.0; 10.0; 5.0; 10.0 |], 2, [| 0.0; 0.0; 0.0 |], 1))
    Assert.Equal<float[]>([| 3.0; 10.0 |], fitted.Means)
    Assert.Equal(sqrt (8.0 / 3.0), fitted.Deviations[0], 15)

[<Fact>]
let ``the stratified split takes round(fraction·n) of each class for the test part`` () =
    let labels = Array.append (Array.create 10 0.0) (Array.create 5 1.0)
    let data = Dataset(Array.init 15 float, 1, labels, 1)
    let struct (train, test) = Split.Stratified(data, 0.2, 3)
    Assert.Equal((12, 3), (train.Count, test.Count))
    Assert.Equal(2, test.Targets |> Array.filter ((=) 0.0) |> Array.length)
    Assert.Equal(1, test.Targets |> Array.filter ((=) 1.0) |> Array.length)
    Assert.Equal<float[]>(Array.init 15 float, Array.sort (Array.append train.Features test.Features))
    for bad in [ 0.0; 1.0; -0.1; nan ] do throwsFor "testFraction" [ "(0, 1)" ] (fun () -> Split.Stratified(data, bad, 1))

[<Fact>]
let ``a stratified split keeps the original order and stratifies by each row's first target`` () =
    // Rows 0..19 with features = their index; two-wide targets whose first value is the class (i % 2).
    let data = Dataset(Array.init 20 float, 1, Array.init 40 (fun t -> if t % 2 = 0 then float (t / 2 % 2) else 7.0), 2)
    let struct (train, test) = Split.Stratified(data, 0.3, 4)
    for part in [ train; test ] do
        Assert.Equal<float[]>(Array.sort part.Features, part.Features)
    // Three classes of 10, 5 and 5 rows in the first target (the second is 5 everywhere): 3 + 2 + 2 held out.
    let classes = Dataset(Array.init 20 float, 1, Array.init 40 (fun t -> if t % 2 = 1 then 5.0 elif t / 2 < 10 then 0.0 elif t / 2 < 15 then 1.0 else 2.0), 2)
    let struct (_, held) = Split.Stratified(classes, 0.3, 4)
    Assert.Equal<int[]>([| 3; 2; 2 |], [| for c in 0 .. 2 -> held.Features |> Array.filter (fun f -> (if f < 10.0 then 0 elif f < 15.0 then 1 else 2) = c) |> Array.length |])
    let classCount (part: Dataset) c = part.Features |> Array.filter (fun f -> int f % 2 = c) |> Array.length
    Assert.Equal((3, 3), (classCount test 0, classCount test 1))
    Assert.Equal((7, 7), (classCount train 0, classCount train 1))

/// The label cells of a table read from CSV text.
let private labels (table: DataTable) = nonNull table.Labels

/// The message of the DataFormatException an action throws.
let private failure (action: unit -> 'T) = (Assert.ThrowsAny<DataFormatException>(fun () -> action () |> ignore)).Message

let private csvWith (options: CsvOptions) (text: string) = CsvReader.Read(new StringReader(text), options, "test.csv")

/// A file of `bytes` under a new folder, and the folder.
let private fileOf name (bytes: byte[]) =
    let folder = tempFolder ()
    let path = Path.Combine(folder, name)
    File.WriteAllBytes(path, bytes)
    folder, path

let private gzipped (bytes: byte[]) =
    use memory = new MemoryStream()
    (use compressor = new IO.Compression.GZipStream(memory, IO.Compression.CompressionLevel.Optimal) in compressor.Write(bytes))
    memory.ToArray()

[<Fact>]
let ``CSV rows become features and the last column the label cell, as written`` () =
    let plain = csv "1,2,0\n3,4,1\n"
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], plain.Features)
    Assert.Equal<string[]>([| "0"; "1" |], labels plain)
    Assert.Equal<int[]>([| 1; 2 |], plain.Positions)
    let firstColumn = csvWith (CsvOptions(LabelColumn = "1")) "0,1,2\n1,3,4\n"
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], firstColumn.Features)
    Assert.Equal<string[]>([| "0"; "1" |], labels firstColumn)
    let unlabelled = csvWith (CsvOptions(Labelled = false)) "1,2\n3,4\n"
    Assert.Equal((2, 2), (unlabelled.Count, unlabelled.FeatureCount))
    Assert.Null unlabelled.Labels

[<Fact>]
let ``the header rule: a first line without a number is a header; a first line with one is data and never dropped`` () =
    let named = csv "a,b,label\n1,2,0\n3,4,1\n"
    Assert.Equal(2, named.Count)
    Assert.Equal<string seq>([ "a"; "b" ], nonNull named.FeatureNames)
    Assert.Equal("label", named.LabelName)
    Assert.Equal<int[]>([| 2; 3 |], named.Positions)
    // A first row with a cell that is not a number is data, so the cell is an error, flagged as the first record's.
    let notHeader = Assert.Throws<CsvCellException>(fun () -> csv "1,x,0\n1,2,0\n3,4,1\n" |> ignore)
    Assert.Equal("test.csv, line 1, column 2: 'x' is not a number.", notHeader.Message)
    Assert.True notHeader.InFirstRecord
    // A ragged first row is data of another width, not a header.
    Assert.Contains("line 2: 3 fields, but the first data row (line 1) has 2", failure (fun () -> csv "5,6\n1,2,0\n3,4,1\n"))
    // Declared: yes takes the first line whatever it holds; no makes a line of names an error.
    Assert.Equal(1, (csvWith (CsvOptions(Header = CsvHeader.Present)) "5,6,7\n1,2,0").Count)
    Assert.Contains("line 1, column 1: 'a' is not a number", failure (fun () -> csvWith (CsvOptions(Header = CsvHeader.Absent)) "a,b,c\n1,2,0"))
    Assert.Contains("the header has 2 names, but the first data row (line 2) has 3 fields", failure (fun () -> csvWith (CsvOptions(Header = CsvHeader.Present)) "a,b\n1,2,0"))

[<Fact>]
let ``scikit-learn's first line 'rows,features,class names' is a header when its counts match, and names the classes`` () =
    let table = csv "2,2,cat,dog\n1,2,0\n3,4,1\n"
    Assert.Equal(2, table.Count)
    Assert.Equal<string seq>([ "cat"; "dog" ], nonNull table.ClassNames)
    Assert.Equal<string seq>([ "cat"; "dog" ], (Classes.Infer table).Names)
    // Counts that do not match: the line is data, and its names are the error.
    Assert.Contains("line 1, column 3: 'cat' is not a number", failure (fun () -> csv "3,2,cat,dog\n1,2,0\n3,4,1\n"))

[<Fact>]
let ``RFC 4180: quoted fields hold delimiters, line breaks and doubled quotes; a stray or open quote is an error with its line`` () =
    let table = csv "x,y,label\n1,\"2\",\"a, \"\"b\"\"\nc\"\n3,4,plain\n"
    Assert.Equal<string[]>([| "a, \"b\"\nc"; "plain" |], labels table)
    Assert.Equal<int[]>([| 2; 4 |], table.Positions)
    Assert.Contains("line 2, column 2: a quote inside an unquoted field", failure (fun () -> csv "1,2,0\n3,4\"x,1\n"))
    Assert.Contains("line 2, column 3: a quoted field is never closed", failure (fun () -> csv "1,2,0\n3,4,\"open\n"))
    Assert.Contains("line 1, column 1: text after the closing quote", failure (fun () -> csv "\"1\"x,2,0\n"))
    Assert.Contains("line 1, column 1: '1,5' is not a number", failure (fun () -> csvWith (CsvOptions(Delimiter = ';')) "1,5;2;0\r\n3;4;1\r\n"))
    Assert.Equal<float[]>([| 1.5; 2.0 |], (csvWith (CsvOptions(Delimiter = ';')) "\"1.5\";2;0\r\n").Features)
    let tabs = csvWith (CsvOptions(Delimiter = '\t')) "1\t2\t0\r\n3\t4\t1\r\n"
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], tabs.Features)

[<Fact>]
let ``a malformed CSV row is reported with its physical line, blank lines counted, and its column`` () =
    Assert.Equal("test.csv, line 4, column 2: 'x' is not a number.", failure (fun () -> csv "1,2,0\n\n\n3,x,1\n"))
    Assert.Contains("line 3: 2 fields, but the first data row (line 1) has 3", failure (fun () -> csv "1,2,0\n3,4,1\n5,6\n"))
    Assert.Contains("line 2, column 2: Infinity is not finite", failure (fun () -> csv "1,2,0\n3,Infinity,1\n"))
    Assert.Contains("line 2, column 1: the cell is empty", failure (fun () -> csv "1,2,0\n,4,1\n"))
    Assert.Contains("line 2, column 3: the label is empty", failure (fun () -> csv "1,2,0\n3,4,\n"))
    Assert.Contains("no data rows", failure (fun () -> csv "\n\n"))
    Assert.Contains("no data rows after the header", failure (fun () -> csv "a,b"))

[<Fact>]
let ``CSV edges: one data line, the label column's range and name, too few columns`` () =
    Assert.Equal(1, (csv "1,2,0").Count)
    Assert.Contains("the label column 4 does not exist; the rows have 3 columns", failure (fun () -> csvWith (CsvOptions(LabelColumn = "4")) "1,2,0"))
    Assert.Contains("no column is named 'z'", failure (fun () -> csvWith (CsvOptions(LabelColumn = "z")) "a,b,c\n1,2,0"))
    Assert.Contains("the file has no header", failure (fun () -> csvWith (CsvOptions(LabelColumn = "z")) "1,2,0"))
    Assert.Equal<string[]>([| "1" |], labels (csvWith (CsvOptions(LabelColumn = "a")) "a,b,c\n1,2,0"))
    Assert.Contains("at least one feature and a label, but has 1 field", failure (fun () -> csv "1\n2\n"))

[<Fact>]
let ``classes: integer labels 0..K−1 with every class present, or names in ordinal order; never a mix, never one class`` () =
    Assert.Equal<string seq>([ "0"; "1"; "2" ], (Classes.Infer(csv "1,2\n1,0\n1,1.0\n")).Names)
    let names = Classes.Infer(csv "1,b\n2,a\n3,B\n")
    Assert.Equal<string seq>([ "B"; "a"; "b" ], names.Names)
    Assert.False names.IndexedLabels
    Assert.Equal<float[]>([| 2.0; 1.0; 0.0 |], (csv "1,b\n2,a\n3,B\n").Classified(names).Targets)
    Assert.Contains("line 2: the label -1 is not a class index", failure (fun () -> Classes.Infer(csv "1,0\n1,-1\n1,1\n")))
    Assert.Contains("line 2: the label 1.5 is not a class index", failure (fun () -> Classes.Infer(csv "1,0\n1,1.5\n1,1\n")))
    Assert.Contains("line 3: the label 1e9 makes 1000000001 classes (0..1000000000), but class 2 never occurs", failure (fun () -> Classes.Infer(csv "1,0\n1,1\n1,1e9\n")))
    Assert.Contains("every label is 4, a single class", failure (fun () -> Classes.Infer(csv "1,4\n2,4\n")))
    Assert.Contains("line 2: the label 'cat' is a name, but test.csv, line 1 has the number 0", failure (fun () -> Classes.Infer(csv "1,0\n1,cat\n")))
    // Later data must use the training data's classes.
    Assert.Contains("line 1: the label '3' is not one of the class indices 0..2", failure (fun () -> (csv "1,3\n").Classified(Classes.Infer(csv "1,0\n1,1\n1,2\n"))))
    Assert.Contains("the label 'c' is not one of the 2 classes (a, b)", failure (fun () -> (csv "1,c\n").Classified(Classes.Infer(csv "1,a\n1,b\n"))))
    Assert.Contains("line 2: the target 'x' is not a finite number", failure (fun () -> (csv "1,0.5\n1,x\n").Numeric()))

[<Fact>]
let ``data files: gzip is recognized by its bytes and checked whole; the limit bounds what is read and held`` () =
    let folder = tempFolder ()
    let text = String.Join("\n", [ for i in 1 .. 2000 -> sprintf "%d,%d,%d" i (i * 7 % 13) (i % 3) ])
    let write name (bytes: byte[]) = let path = Path.Combine(folder, name) in File.WriteAllBytes(path, bytes); path
    let zipped = gzipped (Text.Encoding.UTF8.GetBytes text)
    let plain = CsvReader.ReadFile(write "plain.csv" (Text.Encoding.UTF8.GetBytes text))
    Assert.Equal<float[]>(plain.Features, (CsvReader.ReadFile(write "data.csv.gz" zipped)).Features)
    Assert.Equal<float[]>(plain.Features, (CsvReader.ReadFile(write "unnamed.csv" zipped)).Features)
    Assert.Contains("not a valid gzip file: the CRC-32 and length", failure (fun () -> CsvReader.ReadFile(write "cut.csv.gz" zipped[.. zipped.Length - 20])))
    Assert.Contains("not a valid gzip file", failure (fun () -> CsvReader.ReadFile(write "tail.csv.gz" (Array.append zipped [| 1uy; 2uy; 3uy |]))))
    let corrupt = Array.copy zipped
    corrupt[corrupt.Length / 2] <- corrupt[corrupt.Length / 2] ^^^ 0xFFuy
    Assert.Matches("flipped.csv.gz: not a valid gzip file: the compressed data is invalid after [0-9]+ decompressed bytes", failure (fun () -> CsvReader.ReadFile(write "flipped.csv.gz" corrupt)))
    Assert.Contains("named .gz but not gzip data", failure (fun () -> CsvReader.ReadFile(write "fake.csv.gz" (Text.Encoding.UTF8.GetBytes text))))
    let limited (options: CsvOptions) path = (Assert.Throws<DataLimitException>(fun () -> CsvReader.ReadFile(path, options) |> ignore)).Message
    Assert.Contains("plain.csv is 17354 bytes long, beyond the input limit of 1000 bytes", limited (CsvOptions(Limit = 1000L)) (Path.Combine(folder, "plain.csv")))
    Assert.Contains("data.csv.gz holds more than 1000 bytes after decompression, beyond the input limit of 1000 bytes", limited (CsvOptions(Limit = 1000L)) (Path.Combine(folder, "data.csv.gz")))
    Assert.Contains("data.csv.gz needs more memory for its rows (8 bytes a value, 24 a row), beyond the input limit of 24 KiB", limited (CsvOptions(Limit = 24576L)) (Path.Combine(folder, "data.csv.gz")))
    Directory.Delete(folder, true)

[<Fact>]
let ``IDX files read as dimensions and values, big-endian, of every type`` () =
    let struct (dimensions, values) = IdxReader.Read(ReadOnlySpan(idx 0x08uy [ 2; 3 ] [| 0uy; 1uy; 2uy; 253uy; 254uy; 255uy |]))
    Assert.Equal<int[]>([| 2; 3 |], dimensions)
    Assert.Equal<float[]>([| 0.0; 1.0; 2.0; 253.0; 254.0; 255.0 |], values)
    let struct (_, ints) = IdxReader.Read(ReadOnlySpan(idx 0x0Cuy [ 1 ] [| 0uy; 0uy; 1uy; 0uy |]))
    Assert.Equal<float[]>([| 256.0 |], ints)
    let struct (_, doubles) = IdxReader.Read(ReadOnlySpan(idx 0x0Euy [ 1 ] (BitConverter.GetBytes 1.5 |> Array.rev)))
    Assert.Equal<float[]>([| 1.5 |], doubles)

[<Fact>]
let ``a malformed IDX file is reported with its byte position`` () =
    let check (bytes: byte[]) (expected: string) =
        let error = Assert.Throws<DataFormatException>(fun () -> IdxReader.Read(ReadOnlySpan bytes, "t.idx") |> ignore)
        Assert.Contains(expected, error.Message)
    check [| 1uy; 0uy; 8uy; 1uy |] "byte 0"
    check [| 0uy; 0uy; 0x42uy; 1uy |] "byte 2"
    check (idx 0x08uy [ 2; 3 ] [| 1uy |]) "more than the 1 bytes"
    check (idx 0x08uy [ 1 ] [| 1uy; 2uy |]) "but 2 bytes follow"
    check (idx 0x08uy [ Int32.MaxValue; Int32.MaxValue ] [||]) "more than the 0 bytes"

[<Fact>]
let ``IDX edges: an empty dimension reads, a negative one names its byte, sizes count bytes not values`` () =
    let struct (dimensions, values) = IdxReader.Read(ReadOnlySpan(idx 0x08uy [ 0; 2; 2 ] [||]))
    Assert.Equal<int[]>([| 0; 2; 2 |], dimensions)
    Assert.Empty values
    let check (bytes: byte[]) (expected: string) =
        let error = Assert.Throws<DataFormatException>(fun () -> IdxReader.Read(ReadOnlySpan bytes, "t.idx") |> ignore)
        Assert.Contains(expected, error.Message)
    check (idx 0x08uy [ 0; -1 ] [||]) "byte 8: dimension 1 is negative (-1)"
    // Two-byte values: 3 of them need 6 bytes; 4 are too few, 6 would be right, 8 too many.
    check (idx 0x0Buy [ 3 ] [| 0uy; 1uy; 0uy; 2uy |]) "more than the 4 bytes after it"
    check (idx 0x08uy [ 1; 3 ] [| 0uy; 1uy |]) "the header declares [1, 3…] values of 1 bytes"
    check (idx 0x0Buy [ 3 ] (Array.zeroCreate 8)) "declares 3 values (6 bytes) but 8 bytes follow it"

[<Fact>]
let ``IDX edge cases: short files, rank 0, negative dimensions, signed and 16-bit and float types, mismatched label files`` () =
    let fails (bytes: byte[]) (fragment: string) =
        Assert.Contains(fragment, Assert.Throws<DataFormatException>(fun () -> IdxReader.Read(ReadOnlySpan bytes, "t.idx") |> ignore).Message)
    fails [| 0uy; 0uy; 8uy |] "3 bytes, too short for the 4-byte IDX magic number"
    fails [| 0uy; 0uy; 8uy; 0uy |] "byte 3: an IDX file needs at least one dimension"
    fails [| 0uy; 0uy; 8uy; 2uy; 0uy; 0uy; 0uy; 1uy |] "too short for the 2 dimensions"
    fails (idx 0x08uy [ -1; 1 ] [||]) "byte 4: dimension 0 is negative (-1)"
    let read typeCode dims payload = let struct (_, v) = IdxReader.Read(ReadOnlySpan(idx typeCode dims payload)) in v
    Assert.Equal<float[]>([| -1.0; 127.0 |], read 0x09uy [ 2 ] [| 255uy; 127uy |])
    Assert.Equal<float[]>([| -2.0; 258.0 |], read 0x0Buy [ 2 ] [| 255uy; 254uy; 1uy; 2uy |])
    Assert.Equal<float[]>([| 1.5; -2.0 |], read 0x0Duy [ 2 ] (Array.append (BitConverter.GetBytes 1.5f |> Array.rev) (BitConverter.GetBytes -2.0f |> Array.rev)))
    let folder = tempFolder ()
    let write name (bytes: byte[]) = let path = Path.Combine(folder, name) in File.WriteAllBytes(path, bytes); path
    let images = write "i" (idx 0x08uy [ 2; 2 ] [| 1uy; 2uy; 3uy; 4uy |])
    mentions [ "labels"; "one-dimensional" ] (Assert.Throws<DataFormatException>(fun () -> IdxReader.ReadDataset(images, write "l2" (idx 0x08uy [ 2; 1 ] [| 1uy; 2uy |])) |> ignore).Message)
    mentions [ "2 images"; "l3"; "3 labels" ] (Assert.Throws<DataFormatException>(fun () -> IdxReader.ReadDataset(images, write "l3" (idx 0x08uy [ 3 ] [| 1uy; 2uy; 3uy |])) |> ignore).Message)
    Directory.Delete(folder, true)

[<Fact>]
let ``an IDX pair with no images is an error`` () =
    let folder = tempFolder ()
    let images, labels = Path.Combine(folder, "images"), Path.Combine(folder, "labels")
    File.WriteAllBytes(images, idx 0x08uy [ 0; 2; 2 ] [||])
    File.WriteAllBytes(labels, idx 0x08uy [ 0 ] [||])
    Assert.Contains("images: no images", failure (fun () -> IdxReader.ReadDataset(images, labels)))
    Directory.Delete(folder, true)

[<Fact>]
let ``the embedded data sets read as documented in data/NOTICE.md, with scikit-learn's class names`` () =
    let digits = Engine.Cli.Inputs.DataSource.LoadEmbedded "digits"
    Assert.Equal((1797, 64), (digits.Count, digits.FeatureCount))
    Assert.Equal<string seq>([ for k in 0 .. 9 -> string k ], (Classes.Infer digits).Names)
    let iris = Engine.Cli.Inputs.DataSource.LoadEmbedded "iris"
    Assert.Equal((150, 4), (iris.Count, iris.FeatureCount))
    Assert.Equal<string seq>([ "setosa"; "versicolor"; "virginica" ], (Classes.Infer iris).Names)
    let cancer = Engine.Cli.Inputs.DataSource.LoadEmbedded "breast-cancer"
    Assert.Equal((569, 30), (cancer.Count, cancer.FeatureCount))
    Assert.Equal<string seq>([ "malignant"; "benign" ], (Classes.Infer cancer).Names)

[<Fact>]
let ``an IDX images file and its labels file make a table; gzip'd the same; the limit is checked before allocating`` () =
    let folder = tempFolder ()
    let images = Path.Combine(folder, "train-images-idx3-ubyte")
    let labelFile = Path.Combine(folder, "train-labels-idx1-ubyte")
    File.WriteAllBytes(images, idx 0x08uy [ 2; 2; 2 ] [| 1uy; 2uy; 3uy; 4uy; 5uy; 6uy; 7uy; 8uy |])
    File.WriteAllBytes(labelFile, idx 0x08uy [ 2 ] [| 3uy; 9uy |])
    let data = IdxReader.ReadDataset(images, labelFile)
    Assert.Equal((2, 4), (data.Count, data.FeatureCount))
    Assert.Equal<string[]>([| "3"; "9" |], labels data)
    Assert.Equal("train-labels-idx1-ubyte, item 1", data.Where 1)
    // Gzip'd, as MNIST is distributed.
    let gzip (path: string) =
        use output = File.Create(path + ".gz")
        use compressor = new IO.Compression.GZipStream(output, IO.Compression.CompressionLevel.Optimal)
        compressor.Write(File.ReadAllBytes path)
    gzip images
    gzip labelFile
    let zipped = IdxReader.ReadDataset(images + ".gz", labelFile + ".gz")
    Assert.Equal<float[]>(data.Features, zipped.Features)
    Assert.Equal<string[]>(labels data, labels zipped)
    let gzippedFile name (bytes: byte[]) = let path = Path.Combine(folder, name) in File.WriteAllBytes(path, gzipped bytes); path
    // A gzip'd header declaring 2^30 values is refused before the 8 GiB they would take is allocated (a plain file's length refuses it first).
    Assert.Contains("huge.gz declares [32768, 32768…] values (8 bytes each), beyond the input limit of 1 GiB", failure (fun () -> IdxReader.ReadFile(gzippedFile "huge.gz" (idx 0x08uy [ 1 <<< 15; 1 <<< 15 ] [||]))))
    Assert.Contains("the header declares 4 values (4 bytes) but only 2 bytes follow it", failure (fun () -> IdxReader.ReadFile(gzippedFile "cut.gz" (idx 0x08uy [ 4 ] [| 1uy; 2uy |]))))
    Assert.Contains("more bytes follow the 1 values", failure (fun () -> IdxReader.ReadFile(gzippedFile "long.gz" (idx 0x08uy [ 1 ] [| 1uy; 2uy |]))))
    Directory.Delete(folder, true)

[<Fact>]
let ``line numbers count CRLF, LF and lone CR alike, across any number of blank lines and buffer boundaries`` () =
    let bad (text: string) = failure (fun () -> csv text)
    for ending in [ "\r\n"; "\n"; "\r" ] do
        for blanks in [ 0; 1; 65535; 65536; 70001 ] do
            let text = "1,2,0" + ending + String.replicate blanks ending + "3,x,1" + ending
            Assert.Contains(sprintf "test.csv, line %d, column 2: 'x'" (blanks + 2), bad text)
    // A CRLF split across the reader's 64 Ki-character buffer counts once.
    let split = "1,2,0" + String.replicate 65530 "\n" + "\r\n" + "3,x,1"
    Assert.Contains("line 65532, column 2", bad split)
    Assert.Contains("line 3, column 2", bad "1,2,0\n\r\n3,x,1\r")

[<Fact>]
let ``a data table refuses arrays that do not make its rows, by name`` () =
    Assert.Equal("features", (Assert.Throws<ArgumentNullException>(fun () -> DataTable("t", Unchecked.defaultof<float[]>, 1, null, [||], "line") |> ignore)).ParamName)
    Assert.Equal("positions", (Assert.Throws<ArgumentNullException>(fun () -> DataTable("t", [||], 1, null, Unchecked.defaultof<int[]>, "line") |> ignore)).ParamName)
    throwsFor "featureCount" [] (fun () -> DataTable("t", [||], 0, null, [||], "line"))
    throwsFor "features" [ "3 values"; "rows of 2" ] (fun () -> DataTable("t", [| 1.0; 2.0; 3.0 |], 2, null, [| 1 |], "line"))
    throwsFor "positions" [ "(2)"; "has 1" ] (fun () -> DataTable("t", [| 1.0; 2.0 |], 1, null, [| 1 |], "line"))
    throwsFor "labels" [ "(2)"; "has 3" ] (fun () -> DataTable("t", [| 1.0; 2.0 |], 1, [| "a"; "b"; "c" |], [| 1; 2 |], "line"))
    throwsFor "featureNames" [ "name 2 features"; "has 1" ] (fun () -> DataTable("t", [| 1.0; 2.0 |], 2, null, [| 1 |], "line", [| "x" |]))
    let unlabelled = DataTable("rows.csv", [| 1.0; 2.0 |], 2, null, [| 1 |], "line")
    mentions [ "rows.csv" ] (Assert.Throws<InvalidOperationException>(fun () -> unlabelled.RequireLabels() |> ignore)).Message
    Assert.Throws<InvalidOperationException>(fun () -> unlabelled.Numeric() |> ignore) |> ignore

[<Fact>]
let ``a regression target must be a finite number`` () =
    for target in [ "Infinity"; "-Infinity"; "NaN" ] do
        Assert.Contains(sprintf "line 2: the target '%s' is not a finite number" target, failure (fun () -> (csv (sprintf "1,0.5\n1,%s\n" target)).Numeric()))
    Assert.Equal<float[]>([| 0.5; -2.0 |], (csv "1,0.5\n1,-2\n").Numeric().Targets)

[<Fact>]
let ``sizes are described in the largest unit that divides them`` () =
    for bytes, text in [ 1L <<< 30, "1 GiB"; 3L <<< 30, "3 GiB"; 1L <<< 20, "1 MiB"; 5L <<< 20, "5 MiB"; (1L <<< 30) + (1L <<< 20), "1025 MiB"
                         1024L, "1 KiB"; 3072L, "3 KiB"; (1L <<< 20) + 1024L, "1025 KiB"; 1023L, "1023 bytes"; 1500L, "1500 bytes"
                         (1L <<< 20) + 1L, "1048577 bytes"; 0L, "0 bytes" ] do
        Assert.Equal(text, DataFile.Describe bytes)

[<Fact>]
let ``a data file opens as a forward-only stream that counts what it delivered`` () =
    let text = Text.Encoding.UTF8.GetBytes(String.replicate 100 "1,2,0\n")
    for name, bytes in [ "plain.csv", text; "zipped.csv.gz", gzipped text ] do
        let folder, path = fileOf name bytes
        (use stream = DataFile.Open path
         Assert.True stream.CanRead
         Assert.False stream.CanSeek
         Assert.False stream.CanWrite
         Assert.Throws<NotSupportedException>(fun () -> stream.Length |> ignore) |> ignore
         Assert.Throws<NotSupportedException>(fun () -> stream.Seek(0L, SeekOrigin.Begin) |> ignore) |> ignore
         Assert.Throws<NotSupportedException>(fun () -> stream.Position <- 0L) |> ignore
         Assert.Throws<NotSupportedException>(fun () -> stream.SetLength 0L) |> ignore
         Assert.Throws<NotSupportedException>(fun () -> stream.Write([| 1uy |], 0, 1)) |> ignore
         // A read of no bytes before the end neither ends the stream nor checks a gzip trailer.
         Assert.Equal(0, stream.Read(Span<byte>.Empty))
         let buffer = Array.zeroCreate 250
         Assert.Equal(250, stream.ReadAtLeast(buffer.AsSpan(), 250))
         Assert.Equal(250L, stream.Position)
         use rest = new MemoryStream()
         stream.CopyTo rest
         Assert.Equal<byte[]>(text, Array.append buffer (rest.ToArray()))
         Assert.Equal(600L, stream.Position))
        Directory.Delete(folder, true)
    let folder, path = fileOf "x.csv" text
    Assert.Equal("limit", (Assert.Throws<ArgumentOutOfRangeException>(fun () -> DataFile.Open(path, 0L) |> ignore)).ParamName)
    Directory.Delete(folder, true)

[<Fact>]
let ``the input limit admits a file of exactly the limit, plain or decompressed, and refuses one byte more`` () =
    let text = Text.Encoding.UTF8.GetBytes(String.replicate 100 "1,2,0\n")
    let readAll path limit = (use stream = DataFile.Open(path, limit) in use copy = new MemoryStream() in stream.CopyTo copy; copy.Length)
    for name, bytes in [ "plain.csv", text; "zipped.csv.gz", gzipped text ] do
        let folder, path = fileOf name bytes
        Assert.Equal(600L, readAll path 600L)
        Assert.Equal(599L, (Assert.Throws<DataLimitException>(fun () -> readAll path 599L |> ignore)).Limit)
        Directory.Delete(folder, true)

[<Fact>]
let ``a CSV file is UTF-8 unless a byte-order mark names UTF-16 or UTF-32, and the mark is not part of the first cell`` () =
    let text = "x,y,label\n1,2,é\n3,4,b\n"
    let encodings : Text.Encoding list =
        [ Text.UTF8Encoding(false); Text.UTF8Encoding(true); Text.UnicodeEncoding(false, true); Text.UnicodeEncoding(true, true); Text.UTF32Encoding(false, true) ]
    for encoding in encodings do
        let folder, path = fileOf "data.csv" (Array.append (encoding.GetPreamble()) (encoding.GetBytes text))
        let table = CsvReader.ReadFile path
        Assert.Equal<string seq>([ "x"; "y" ], nonNull table.FeatureNames)
        Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], table.Features)
        Assert.Equal<string[]>([| "é"; "b" |], labels table)
        Directory.Delete(folder, true)

[<Fact>]
let ``the rows read from CSV hold 8 bytes a value, 24 a row and each distinct label once, against the limit`` () =
    // Two rows labelled a and one b: 3·(2·8 + 24) + 2·(32 + 2·1) = 188 bytes.
    let text = "1,2,a\n3,4,a\n5,6,b\n"
    Assert.Equal(3, (csvWith (CsvOptions(Limit = 188L)) text).Count)
    mentions [ "test.csv needs more memory for its rows"; "187 bytes" ] (Assert.Throws<DataLimitException>(fun () -> csvWith (CsvOptions(Limit = 187L)) text |> ignore)).Message

[<Fact>]
let ``CSV rows of more values than one chunk read whole and in order`` () =
    let rows, features = 1000, 70
    let text = String.Join("\n", [ for i in 0 .. rows - 1 -> String.Join(",", [ for j in 0 .. features - 1 -> string (i * features + j) ]) + ",0" ])
    let table = csv text
    Assert.Equal((rows, features), (table.Count, table.FeatureCount))
    Assert.Equal<float[]>(Array.init (rows * features) float, table.Features)

[<Fact>]
let ``classes are at least two distinct names, and their description lists the first ten`` () =
    Assert.Equal("names", (Assert.Throws<ArgumentNullException>(fun () -> Classes(Unchecked.defaultof<string[]>, false) |> ignore)).ParamName)
    throwsFor "names" [ "1 are named" ] (fun () -> Classes([| "a" |], false))
    throwsFor "names" [ "'b'" ] (fun () -> Classes([| "a"; "b"; "c"; "b" |], false))
    let ten = Classes([| for k in 0 .. 9 -> sprintf "c%d" k |], false)
    Assert.Equal("c0, c1, c2, c3, c4, c5, c6, c7, c8, c9", ten.Describe())
    let eleven = Classes([| for k in 0 .. 10 -> sprintf "c%d" k |], true)
    Assert.Equal("c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, …", eleven.Describe())
    Assert.Equal((11, true), (eleven.Count, eleven.IndexedLabels))

[<Fact>]
let ``an integer label must be a whole class index below int's range, and indexed classes take only whole indices`` () =
    Assert.Contains("line 2: the label 2147483647 is not a class index", failure (fun () -> Classes.Infer(csv "1,0\n1,2147483647\n1,1\n")))
    Assert.Contains("line 1: the label 2147483648 is not a class index", failure (fun () -> Classes.Infer(csv "1,2147483648\n1,0\n")))
    let indexed = Classes.Infer(csv "1,0\n1,1\n1,2\n")
    Assert.Contains("line 1: the label '1.5' is not one of the class indices 0..2", failure (fun () -> (csv "1,1.5\n").Classified indexed))
    Assert.Contains("line 1: the label '-1' is not one of the class indices 0..2", failure (fun () -> (csv "1,-1\n").Classified indexed))
    Assert.Equal<float[]>([| 0.0; 2.0; 1.0 |], (csv "1,0\n1,2.0\n1,1\n").Classified(indexed).Targets)

[<Fact>]
let ``class names a file declares must count the classes its labels make`` () =
    Assert.Contains("test.csv: the header names 3 classes, but the labels are 0..1", failure (fun () -> Classes.Infer(csv "2,1,a,b,c\n1,0\n2,1\n")))
    Assert.Equal<string seq>([ "a"; "b" ], (Classes.Infer(csv "2,1,a,b\n1,1\n2,0\n")).Names)

[<Fact>]
let ``one-hot encoding refuses a negative or fractional label by its row`` () =
    let encode (labels: float[]) = Dataset(Array.zeroCreate labels.Length, 1, labels, 1).OneHot 3
    throwsFor "classes" [ "targets[1]"; "-1" ] (fun () -> encode [| 0.0; -1.0 |])
    throwsFor "classes" [ "targets[0]"; "0.5" ] (fun () -> encode [| 0.5; 1.0 |])
    throwsFor "classes" [ "targets[1]"; "3" ] (fun () -> encode [| 2.0; 3.0 |])
    Assert.Equal<float[]>([| 1.0; 0.0; 0.0; 0.0; 0.0; 1.0 |], (encode [| 0.0; 2.0 |]).Targets)

[<Fact>]
let ``the standardizer's deviation is exact where the mean is large against the spread`` () =
    // 2^30 ± d, d a multiple of 2^-22 (the spacing of doubles at 2^30): the sum, the mean 2^30 and each deviation from the
    // mean are exact, so the deviation is d rounded once squared and once rooted, which gives d back. Squaring about the mean
    // is what keeps it: Σ(x + m)(x − m), equal in exact arithmetic, rounds products of about 2^31·d and is off by 5e-7.
    let mean = 2.0 ** 30.0
    let d = Math.Round(0.1 * 2.0 ** 22.0) / 2.0 ** 22.0
    let fitted = Standardizer.Fit(Dataset([| mean - d; mean + d |], 1, [| 0.0; 0.0 |], 1))
    Assert.Equal<float[]>([| mean |], fitted.Means)
    Assert.Equal<float[]>([| d |], fitted.Deviations)

[<Fact>]
let ``the standardizer transforms whole rows only`` () =
    let scaler = Standardizer([| 1.0; 2.0 |], [| 2.0; 4.0 |])
    throwsFor "features" [ "rows of 2"; "has 3" ] (fun () -> scaler.Transform(ReadOnlySpan [| 1.0; 2.0; 3.0 |]))
    Assert.Equal<float[]>([| 0.0; 0.0; 1.0; -0.5 |], scaler.Transform(ReadOnlySpan [| 1.0; 2.0; 3.0; 0.0 |]))

[<Fact>]
let ``the delimiter cannot be a quote or a line break`` () =
    for delimiter in [ '"'; '\r'; '\n' ] do
        throwsFor "options" [ sprintf "%02X" (int delimiter) ] (fun () -> csvWith (CsvOptions(Delimiter = delimiter)) "1,2,0\n")

[<Fact>]
let ``a CSV message quotes a long cell's first 40 characters and names the delimiter a one-field row suggests`` () =
    let word = String.replicate 4 "abcdefghij"
    Assert.Contains(sprintf "column 1: '%s' is not a number" word, failure (fun () -> csv (sprintf "1,0\n%s,1\n" word)))
    let message = failure (fun () -> csv (sprintf "1,0\n%sX,1\n" word))
    mentions [ sprintf "'%s…' is not a number" word ] message
    Assert.DoesNotContain("X", message)
    mentions [ "is 'tab' the file's delimiter?" ] (failure (fun () -> csvWith (CsvOptions(Delimiter = '\t')) "1\n2\n"))
    mentions [ "is ';' the file's delimiter?" ] (failure (fun () -> csvWith (CsvOptions(Delimiter = ';')) "1\n2\n"))

[<Fact>]
let ``spaces around an unquoted cell are dropped, inside quotes kept, and allowed after a closing quote`` () =
    let table = csv "1, 2 ,\t a \t\n3,4,\" b \"  \n\"5\" ,\"6\"\t,c\n"
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |], table.Features)
    Assert.Equal<string[]>([| "a"; " b "; "c" |], labels table)
    // With a tab or space delimiter, what follows a closing quote is the next field.
    Assert.Equal<float[]>([| 1.0; 2.0 |], (csvWith (CsvOptions(Delimiter = '\t')) "\"1\"\t\"2\"\t0\n").Features)
    Assert.Equal<float[]>([| 1.0; 2.0 |], (csvWith (CsvOptions(Delimiter = ' ')) "\"1\" \"2\" 0\n").Features)

[<Fact>]
let ``the label column is a 1-based number within the row or a header's name, with its alternatives listed`` () =
    Assert.Contains("the label column 0 does not exist; the rows have 3 columns", failure (fun () -> csvWith (CsvOptions(LabelColumn = "0")) "1,2,0"))
    Assert.Equal<string[]>([| "0" |], labels (csvWith (CsvOptions(LabelColumn = "3")) "1,2,0"))
    let names = [ for k in 1 .. 21 -> sprintf "f%d" k ]
    let header = String.Join(",", names)
    let row = String.Join(",", List.replicate 21 "1")
    let message = failure (fun () -> csvWith (CsvOptions(LabelColumn = "z")) (header + "\n" + row))
    mentions [ "'f1', "; "'f20', …" ] message
    Assert.DoesNotContain("f21", message)
    Assert.DoesNotContain("…", failure (fun () -> csvWith (CsvOptions(LabelColumn = "z")) "a,b\n1,2"))

[<Fact>]
let ``scikit-learn's first line is taken only for labelled rows whose label is the last column`` () =
    Assert.Contains("line 1, column 3: 'cat' is not a number", failure (fun () -> csvWith (CsvOptions(LabelColumn = "1")) "2,2,cat,dog\n0,1,2\n1,3,4\n"))
    Assert.Contains("line 1, column 3: 'cat' is not a number", failure (fun () -> csvWith (CsvOptions(Labelled = false)) "2,2,cat,dog\n0,1,2,3\n1,3,4,5\n"))
    Assert.Contains("line 1, column 3: 'cat' is not a number", failure (fun () -> csv "2,1,cat,dog\n0,1,2\n1,3,4\n"))
    Assert.Contains("line 1, column 3: 'cat' is not a number", failure (fun () -> csv "2,2,cat,,dog\n0,1,2\n1,3,4\n"))

[<Fact>]
let ``a line of spaces is blank, but a line of delimiters or of an empty quoted field is a record`` () =
    Assert.Equal<int[]>([| 1; 3 |], (csv "1,2,0\n   \n3,4,1\n").Positions)
    Assert.Contains("line 2: 2 fields, but the first data row (line 1) has 3", failure (fun () -> csv "1,2,0\n,\n3,4,1\n"))
    Assert.Contains("line 2: 1 fields, but the first data row (line 1) has 3", failure (fun () -> csv "1,2,0\n\"\"\n3,4,1\n"))

[<Fact>]
let ``a quoted field may end the file, and its CR, LF or CRLF count as one line each`` () =
    Assert.Equal<string[]>([| "a" |], labels (csv "1,2,\"a\""))
    for inside in [ "\r"; "\n"; "\r\n" ] do
        let text = sprintf "1,2,\"a%sb%sc\"\n3,x,1\n" inside inside
        Assert.Contains("test.csv, line 4, column 2: 'x'", failure (fun () -> csv text))

[<Fact>]
let ``a record may hold up to 16 Mi characters of cells, counted afresh for each record`` () =
    let longest = "1," + String('a', CsvReader.MaxRecordLength - 1)
    Assert.Equal(2, (csv (longest + "\n" + longest + "\n")).Count)
    Assert.Contains("line 2: the record is longer than 16777216 characters", failure (fun () -> csv ("1,0\n" + longest + "a\n")))

[<Fact>]
let ``CRC-32 is gzip's: the check value of '123456789', and every length against the bit-at-a-time definition`` () =
    let checksum (bytes: byte[]) = Crc32.Final(Crc32.Update(Crc32.Initial, ReadOnlySpan bytes))
    Assert.Equal(0xCBF43926u, checksum "123456789"B)
    // The definition (ISO 3309): the reflected register shifted one bit at a time, the polynomial 0xEDB88320 added when a 1 falls out.
    let bitwise (bytes: byte[]) =
        let step (crc: uint32) = if crc &&& 1u <> 0u then 0xEDB88320u ^^^ (crc >>> 1) else crc >>> 1
        let register = bytes |> Array.fold (fun crc b -> Seq.fold (fun c _ -> step c) (crc ^^^ uint32 b) [ 1 .. 8 ]) 0xFFFFFFFFu
        register ^^^ 0xFFFFFFFFu
    let random = Random 20261129
    for length in 0 .. 40 do
        let bytes = Array.zeroCreate<byte> length
        random.NextBytes bytes
        Assert.True((bitwise bytes = checksum bytes), sprintf "CRC-32 of %d bytes: %08X, by the definition %08X (bytes %s)" length (checksum bytes) (bitwise bytes) (Convert.ToHexString bytes))
        // The register carries over: the bytes in two pieces give the same checksum.
        let half = length / 2
        Assert.Equal(checksum bytes, Crc32.Final(Crc32.Update(Crc32.Update(Crc32.Initial, ReadOnlySpan(bytes, 0, half)), ReadOnlySpan(bytes, half, length - half))))

[<Fact>]
let ``gzip data is checked against both its CRC-32 and its length, and a file too short for gzip's frame is named so`` () =
    let text = Text.Encoding.UTF8.GetBytes(String.replicate 100 "1,2,0\n")
    let zipped = gzipped text
    let readAll (bytes: byte[]) =
        let folder, path = fileOf "data.gz" bytes
        try (use stream = DataFile.Open path in stream.CopyTo Stream.Null) finally Directory.Delete(folder, true)
    readAll zipped
    // GZipStream checks the trailer of a whole member itself; bytes after it are left to this check, which must compare both fields.
    let crc, size = zipped[zipped.Length - 8 .. zipped.Length - 5], zipped[zipped.Length - 4 ..]
    for tail in [ size; Array.append crc [| 0uy; 0uy; 0uy; 0uy |] ] do
        Assert.Contains("data.gz: not a valid gzip file: the CRC-32 and length in its last 8 bytes do not match the 600 bytes decompressed", failure (fun () -> readAll (Array.append zipped tail)))
    Assert.Contains("data.gz: not a valid gzip file: it is shorter than a gzip header and trailer", failure (fun () -> readAll [| 0x1Fuy; 0x8Buy |]))

[<Fact>]
let ``an IDX file may hold exactly as many values as its limit, and one more is refused before reading`` () =
    let folder, path = fileOf "four" (idx 0x08uy [ 4 ] [| 1uy; 2uy; 3uy; 4uy |])
    let struct (_, values) = IdxReader.ReadFile(path, 32L)
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], values)
    Assert.Equal(31L, (Assert.Throws<DataLimitException>(fun () -> IdxReader.ReadFile(path, 31L) |> ignore)).Limit)
    Directory.Delete(folder, true)

[<Fact>]
let ``IDX values read whole across the reader's chunks, and a header declaring more than an array holds is refused`` () =
    let count = 40000
    let payload = Array.init (2 * count) (fun b -> if b % 2 = 0 then byte (b / 2 / 256 % 128) else byte (b / 2 % 256))
    let struct (_, values) = IdxReader.Read(ReadOnlySpan(idx 0x0Buy [ count ] payload))
    Assert.Equal<float[]>(Array.init count (fun i -> float (i % 32768)), values)
    use header = new MemoryStream(idx 0x08uy [ 1 <<< 16; 1 <<< 16 ] [||])
    Assert.Contains("big: the header declares 4294967296 values, more than one array can hold", failure (fun () -> IdxReader.Read(header, "big", Int64.MaxValue, Nullable())))

[<Fact>]
let ``a gzip'd IDX file with a zero byte after its values is refused, and images without pixels are an error`` () =
    let folder = tempFolder ()
    let write name (bytes: byte[]) = let path = Path.Combine(folder, name) in File.WriteAllBytes(path, bytes); path
    Assert.Contains("more bytes follow the 1 values (1 bytes)", failure (fun () -> IdxReader.ReadFile(write "long.gz" (gzipped (idx 0x08uy [ 1 ] [| 1uy; 0uy |])))))
    let images = write "images.gz" (gzipped (idx 0x08uy [ 2; 0 ] [||]))
    Assert.Contains("images.gz: the images have no pixels (dimensions [2, 0])", failure (fun () -> IdxReader.ReadDataset(images, write "labels" (idx 0x08uy [ 2 ] [| 0uy; 1uy |]))))
    Directory.Delete(folder, true)

[<Fact>]
let ``a stratified split shuffles each class with its seed`` () =
    let classes = Array.init 20 (fun i -> float (i % 2))
    let held seed = let struct (_, test) = Split.StratifiedIndices(classes, 0.3, seed) in test
    Assert.Equal<int[]>(held 7, held 7)
    let parts = List.init 10 held |> List.distinct
    Assert.True(parts.Length > 1, sprintf "seeds 0..9 all hold out the rows %A" parts.Head)

[<Fact>]
let ``a random split holds out round(fraction·n) shuffled rows, the same for the same seed`` () =
    let data = Dataset(Array.init 10 float, 1, Array.init 10 (fun i -> float (i * 10)), 1)
    let struct (train, test) = Split.Random(data, 0.3, 5)
    Assert.Equal((7, 3), (train.Count, test.Count))
    Assert.Equal<float[]>(Array.init 10 float, Array.sort (Array.append train.Features test.Features))
    Assert.Equal<float[]>(Array.map (fun f -> 10.0 * f) (Array.append train.Features test.Features), Array.append train.Targets test.Targets)
    Assert.NotEqual<float[]>(Array.init 10 float, Array.append test.Features train.Features)
    let struct (trainIndices, testIndices) = Split.RandomIndices(10, 0.3, 5)
    Assert.Equal<float[]>(Array.map float trainIndices, train.Features)
    Assert.Equal<float[]>(Array.map float testIndices, test.Features)
    let struct (_, again) = Split.RandomIndices(10, 0.3, 5)
    Assert.Equal<int[]>(testIndices, again)
    Assert.Equal(2, (let struct (_, t) = Split.RandomIndices(10, 0.25, 5) in t.Length))
    for bad in [ 0.0; 1.0; nan ] do throwsFor "testFraction" [ "(0, 1)" ] (fun () -> Split.RandomIndices(10, bad, 5))

[<Fact>]
let ``a declared absent header makes scikit-learn's line data, whose names are then the error`` () =
    Assert.Contains("line 1, column 3: 'cat' is not a number", failure (fun () -> csvWith (CsvOptions(Header = CsvHeader.Absent)) "2,2,cat,dog\n1,2,0\n3,4,1\n"))

[<Fact>]
let ``a CSV message names the header's column where it has one, and none past a short header`` () =
    Assert.Contains("test.csv, line 2, column 2 ('b'): 'x' is not a number", failure (fun () -> csv "a,b,label\n1,x,0\n"))
    Assert.Contains("test.csv, line 2, column 3: the label is empty", failure (fun () -> csv "a,b\n1,2,\n"))

[<Fact>]
let ``the label column's alternatives list a header of 20 names whole`` () =
    let header = String.Join(",", [ for k in 1 .. 20 -> sprintf "f%d" k ])
    let message = failure (fun () -> csvWith (CsvOptions(LabelColumn = "z")) (header + "\n" + String.Join(",", List.replicate 20 "1")))
    mentions [ "'f1', "; "'f20'." ] message
    Assert.DoesNotContain("…", message)

[<Fact>]
let ``a header names the features and the label column wherever it is, and only features without one`` () =
    let unlabelled = csvWith (CsvOptions(Labelled = false)) "a,b\n1,2\n"
    Assert.Equal<string seq>([ "a"; "b" ], nonNull unlabelled.FeatureNames)
    Assert.Null unlabelled.LabelName
    let first = csvWith (CsvOptions(LabelColumn = "1")) "a,b,c\n0,1,2\n"
    Assert.Equal<string seq>([ "b"; "c" ], nonNull first.FeatureNames)
    Assert.Equal("a", first.LabelName)
    Assert.Equal<float[]>([| 1.0; 2.0 |], first.Features)

[<Fact>]
let ``a NUL character after a closing quote is text after it`` () =
    Assert.Contains("line 1, column 1: text after the closing quote", failure (fun () -> csv "\"1\"\u0000,2,0\n"))

[<Fact>]
let ``an IDX file truncated after the reader's first chunk counts the bytes that follow its header`` () =
    // 40,000 two-byte values declared (80,000 bytes); 70,000 follow: the first chunk reads 65,536 of them.
    use stream = new MemoryStream(idx 0x0Buy [ 40000 ] (Array.zeroCreate 70000))
    Assert.Contains("cut: the header declares 40000 values (80000 bytes) but only 70000 bytes follow it", failure (fun () -> IdxReader.Read(stream, "cut", DataFile.DefaultLimit, Nullable())))

/// Asserts that a file of `bytes` opens as plain data: its stream gives the bytes unchanged, and its plain length is theirs.
let private assertOpensAsPlain name (bytes: byte[]) =
    let folder, path = fileOf name bytes
    (use stream = DataFile.Open path
     use copy = new MemoryStream()
     stream.CopyTo copy
     Assert.Equal<byte[]>(bytes, copy.ToArray()))
    Assert.Equal(Nullable(int64 bytes.Length), DataFile.PlainLength path)
    Directory.Delete(folder, true)

[<Fact>]
let ``a file is gzip only when both of its first two bytes are gzip's`` () =
    for start in [ [| 0x1Fuy; 0x41uy |]; [| 0x41uy; 0x8Buy |] ] do assertOpensAsPlain "data.bin" (Array.append start "1,2,0\n"B)

[<Fact>]
let ``a data file is closed once its stream is disposed or refused, plain or gzip'd`` () =
    // File.OpenRead shares the file for reading only; an open for writing that shares nothing fails while any handle is left open.
    let closed path = (use _ = File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None) in ())
    let text = "1,2,0\n"B
    for name, bytes in [ "plain.csv", text; "zipped.csv.gz", gzipped text ] do
        let folder, path = fileOf name bytes
        (use stream = DataFile.Open path in stream.CopyTo Stream.Null)
        closed path
        Directory.Delete(folder, true)
    let folder, path = fileOf "fake.csv.gz" text
    failure (fun () -> DataFile.Open path) |> ignore
    closed path
    Directory.Delete(folder, true)

[<Fact>]
let ``a gzip file the decompressor refuses keeps the decompressor's error as the cause`` () =
    let zipped = gzipped (Text.Encoding.UTF8.GetBytes(String.replicate 100 "1,2,0\n"))
    zipped[zipped.Length / 2] <- zipped[zipped.Length / 2] ^^^ 0xFFuy
    let folder, path = fileOf "flipped.gz" zipped
    let error = Assert.ThrowsAny<DataFormatException>(fun () -> (use stream = DataFile.Open path in stream.CopyTo Stream.Null))
    Assert.IsType<InvalidDataException>(error.InnerException) |> ignore
    Directory.Delete(folder, true)

[<Fact>]
let ``CSV input that is empty is named so, and a null reader is refused by name`` () =
    let message = failure (fun () -> csv "\n\n")
    mentions [ "test.csv: no data rows"; "empty" ] message
    Assert.DoesNotContain("after the header", message)
    Assert.Equal("reader", (Assert.Throws<ArgumentNullException>(fun () -> CsvReader.Read(Unchecked.defaultof<TextReader>) |> ignore)).ParamName)

[<Fact>]
let ``a cell error says whether it is in the first record, scikit-learn's line that did not match included`` () =
    Assert.False (Assert.Throws<CsvCellException>(fun () -> csv "1,2,0\n3,x,1\n" |> ignore)).InFirstRecord
    let descriptor = Assert.Throws<CsvCellException>(fun () -> csv "3,2,cat,dog\n1,2,0\n3,4,1\n" |> ignore)
    Assert.True descriptor.InFirstRecord
    Assert.Equal(1, descriptor.Line)

[<Fact>]
let ``without a header a table has no column names, and a declared header is never scikit-learn's line`` () =
    let plain = csv "1,2,0\n3,4,1\n"
    Assert.Null plain.FeatureNames
    Assert.Null plain.LabelName
    Assert.Contains("the header has 4 names, but the first data row (line 2) has 3 fields", failure (fun () -> csvWith (CsvOptions(Header = CsvHeader.Present)) "2,2,cat,dog\n1,2,0\n3,4,1\n"))

[<Fact>]
let ``a label's string is counted at 2 bytes a character against the limit`` () =
    // One row of two values labelled 'ab': 2·8 + 24 + 32 + 2·2 = 76 bytes.
    Assert.Equal(1, (csvWith (CsvOptions(Limit = 76L)) "1,2,ab\n").Count)
    Assert.Equal(75L, (Assert.Throws<DataLimitException>(fun () -> csvWith (CsvOptions(Limit = 75L)) "1,2,ab\n" |> ignore)).Limit)

[<Fact>]
let ``a NUL character is text: it starts a record and stays inside a quoted field`` () =
    Assert.Contains("line 2, column 1: '\u0000' is not a number", failure (fun () -> csv "1,2,0\n\u0000,2,1\n"))
    Assert.Equal<string[]>([| "a\u0000b" |], labels (csv "1,2,\"a\u0000b\"\n"))

[<Fact>]
let ``files of no byte or one byte open as plain data`` () =
    for bytes in [ [||]; [| 0x1Fuy |] ] do assertOpensAsPlain "short.csv" bytes
    let folder, path = fileOf "empty.csv" [||]
    Assert.Contains("empty.csv: no data rows", failure (fun () -> CsvReader.ReadFile path))
    Directory.Delete(folder, true)

[<Fact>]
let ``IDX size messages count bytes: the header's length and the bytes the values take`` () =
    Assert.Contains("t.idx: 8 bytes, too short for the 2 dimensions", failure (fun () -> IdxReader.Read(ReadOnlySpan [| 0uy; 0uy; 8uy; 2uy; 0uy; 0uy; 0uy; 1uy |], "t.idx")))
    use stream = new MemoryStream(idx 0x0Buy [ 1 ] [| 0uy; 1uy; 2uy |])
    Assert.Contains("long: more bytes follow the 1 values (2 bytes) the header declares", failure (fun () -> IdxReader.Read(stream, "long", DataFile.DefaultLimit, Nullable())))
