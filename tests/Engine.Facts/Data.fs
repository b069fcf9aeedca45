/// Datasets, the standardizer, the stratified split, and the CSV and IDX readers: what they accept, and the position they report for what they do not.
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
    let gzip (bytes: byte[]) =
        use memory = new MemoryStream()
        (use compressor = new IO.Compression.GZipStream(memory, IO.Compression.CompressionLevel.Optimal) in compressor.Write(bytes))
        memory.ToArray()
    let write name (bytes: byte[]) = let path = Path.Combine(folder, name) in File.WriteAllBytes(path, bytes); path
    let zipped = gzip (Text.Encoding.UTF8.GetBytes text)
    let plain = CsvReader.ReadFile(write "plain.csv" (Text.Encoding.UTF8.GetBytes text))
    Assert.Equal<float[]>(plain.Features, (CsvReader.ReadFile(write "data.csv.gz" zipped)).Features)
    Assert.Equal<float[]>(plain.Features, (CsvReader.ReadFile(write "unnamed.csv" zipped)).Features)
    Assert.Contains("not a valid gzip file: the CRC-32 and length", failure (fun () -> CsvReader.ReadFile(write "cut.csv.gz" zipped[.. zipped.Length - 20])))
    Assert.Contains("not a valid gzip file", failure (fun () -> CsvReader.ReadFile(write "tail.csv.gz" (Array.append zipped [| 1uy; 2uy; 3uy |]))))
    let corrupt = Array.copy zipped
    corrupt[corrupt.Length / 2] <- corrupt[corrupt.Length / 2] ^^^ 0xFFuy
    Assert.Contains("not a valid gzip file", failure (fun () -> CsvReader.ReadFile(write "flipped.csv.gz" corrupt)))
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
    let gzipped name (bytes: byte[]) =
        let path = Path.Combine(folder, name)
        (use output = File.Create path
         use compressor = new IO.Compression.GZipStream(output, IO.Compression.CompressionLevel.Optimal)
         compressor.Write bytes)
        path
    // A gzip'd header declaring 2^30 values is refused before the 8 GiB they would take is allocated (a plain file's length refuses it first).
    Assert.Contains("huge.gz declares [32768, 32768…] values (8 bytes each), beyond the input limit of 1 GiB", failure (fun () -> IdxReader.ReadFile(gzipped "huge.gz" (idx 0x08uy [ 1 <<< 15; 1 <<< 15 ] [||]))))
    Assert.Contains("the header declares 4 values (4 bytes) but only 2 bytes follow it", failure (fun () -> IdxReader.ReadFile(gzipped "cut.gz" (idx 0x08uy [ 4 ] [| 1uy; 2uy |]))))
    Assert.Contains("more bytes follow the 1 values", failure (fun () -> IdxReader.ReadFile(gzipped "long.gz" (idx 0x08uy [ 1 ] [| 1uy; 2uy |]))))
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
