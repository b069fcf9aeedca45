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

[<Fact>]
let ``CSV rows become features and the last column the label; a header is detected or declared`` () =
    let plain = csv "1,2,0\n3,4,1\n"
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], plain.Features)
    Assert.Equal<float[]>([| 0.0; 1.0 |], plain.Targets)
    Assert.Equal(2, (csv "a,b,label\n1,2,0\n3,4,1\n").Count)
    // scikit-learn's copies start with "150,4,setosa,…", numeric at first but of another width.
    Assert.Equal(2, (csv "2,2,x,y\n1,2,0\n3,4,1\n").Count)
    Assert.Equal(2, (csv "5,6\n1,2,0\n3,4,1\n").Count)
    let firstColumn = CsvReader.Read(new StringReader("0,1,2\n1,3,4\n"), labelColumn = 0, hasHeader = false)
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], firstColumn.Features)

[<Fact>]
let ``a malformed CSV row is reported with its line and column`` () =
    let notNumber = Assert.Throws<DataFormatException>(fun () -> csv "1,2,0\n3,x,1\n" |> ignore)
    mentions [ "test.csv"; "line 2"; "column 2"; "'x'"; "number" ] notNumber.Message
    let width = Assert.Throws<DataFormatException>(fun () -> csv "1,2,0\n3,4,1\n5,6\n" |> ignore)
    mentions [ "line 3"; "3 fields" ] width.Message
    let infinite = Assert.Throws<DataFormatException>(fun () -> csv "1,2,0\n3,Infinity,1\n" |> ignore)
    Assert.Contains("line 2, column 2", infinite.Message)
    Assert.Throws<DataFormatException>(fun () -> csv "\n\n" |> ignore) |> ignore

[<Fact>]
let ``a CSV of one feature and a label reads; a single column does not`` () =
    let two = csv "1,0\n2,1\n"
    Assert.Equal((2, 1), (two.Count, two.FeatureCount))
    let one = Assert.Throws<DataFormatException>(fun () -> csv "1\n2\n" |> ignore)
    mentions [ "feature and a label"; "1 field" ] one.Message

[<Fact>]
let ``CSV edge cases: one data line, no header when told so, the label column's range, too few columns`` () =
    let read text = CsvReader.Read(new StringReader(text), source = "t.csv")
    Assert.Equal(1, (read "1,2,0").Count)
    let error = Assert.Throws<DataFormatException>(fun () -> CsvReader.Read(new StringReader("a,b,c\n1,2,0"), hasHeader = false, source = "t.csv") |> ignore)
    mentions [ "line 1"; "column 1"; "'a'" ] error.Message
    Assert.Equal(1, (CsvReader.Read(new StringReader("5,6,7\n1,2,0"), hasHeader = true)).Count)
    throwsFor "labelColumn" [ "3 columns" ] (fun () -> CsvReader.Read(new StringReader("1,2,0"), labelColumn = 3))
    throwsFor "labelColumn" [ "3 columns" ] (fun () -> CsvReader.Read(new StringReader("1,2,0"), labelColumn = -4))
    Assert.Contains("at least one feature and a label", Assert.Throws<DataFormatException>(fun () -> read "1\n2" |> ignore).Message)
    mentions [ "t.csv"; "no data rows" ] (Assert.Throws<DataFormatException>(fun () -> read "a,b" |> ignore).Message)

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
let ``an IDX pair with no images makes an empty dataset`` () =
    let folder = tempFolder ()
    let images, labels = Path.Combine(folder, "images"), Path.Combine(folder, "labels")
    File.WriteAllBytes(images, idx 0x08uy [ 0; 2; 2 ] [||])
    File.WriteAllBytes(labels, idx 0x08uy [ 0 ] [||])
    Assert.Equal(0, (IdxReader.ReadDataset(images, labels)).Count)
    Directory.Delete(folder, true)

[<Fact>]
let ``the embedded data sets read as documented in data/NOTICE.md`` () =
    let path name = Path.Combine(AppContext.BaseDirectory, name)
    let digits = Engine.Cli.DataSources.Load "digits"
    Assert.Equal((1797, 64), (digits.Count, digits.FeatureCount))
    let iris = Engine.Cli.DataSources.Load "iris"
    Assert.Equal((150, 4), (iris.Count, iris.FeatureCount))
    let cancer = Engine.Cli.DataSources.Load "breast-cancer"
    Assert.Equal((569, 30), (cancer.Count, cancer.FeatureCount))
    ignore path

[<Fact>]
let ``an IDX images file and its labels file make a dataset`` () =
    let folder = tempFolder ()
    let images = Path.Combine(folder, "train-images-idx3-ubyte")
    File.WriteAllBytes(images, idx 0x08uy [ 2; 2; 2 ] [| 1uy; 2uy; 3uy; 4uy; 5uy; 6uy; 7uy; 8uy |])
    File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), idx 0x08uy [ 2 ] [| 3uy; 9uy |])
    let data = Engine.Cli.DataSources.Load images
    Assert.Equal((2, 4), (data.Count, data.FeatureCount))
    Assert.Equal<float[]>([| 3.0; 9.0 |], data.Targets)
    // Gzip'd, as MNIST is distributed.
    let gzip (path: string) =
        use output = File.Create(path + ".gz")
        use compressor = new IO.Compression.GZipStream(output, IO.Compression.CompressionLevel.Optimal)
        compressor.Write(File.ReadAllBytes path)
    gzip images
    gzip (Path.Combine(folder, "train-labels-idx1-ubyte"))
    let zipped = Engine.Cli.DataSources.Load(images + ".gz")
    Assert.Equal<float[]>(data.Features, zipped.Features)
    Assert.Equal<float[]>(data.Targets, zipped.Targets)
    Directory.Delete(folder, true)
