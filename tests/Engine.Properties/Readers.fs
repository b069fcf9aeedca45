/// The CSV and IDX readers: what they accept, and the position they report for what they do not.
module Readers

open System
open System.IO
open Xunit
open Engine.Data

let private csv (text: string) = CsvReader.Read(new StringReader(text), source = "test.csv")

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
    Assert.Equal("test.csv, line 2, column 2: 'x' is not a number.", notNumber.Message)
    let width = Assert.Throws<DataFormatException>(fun () -> csv "1,2,0\n3,4,1\n5,6\n" |> ignore)
    Assert.Contains("line 3: expected 3 fields", width.Message)
    let infinite = Assert.Throws<DataFormatException>(fun () -> csv "1,2,0\n3,Infinity,1\n" |> ignore)
    Assert.Contains("line 2, column 2", infinite.Message)
    Assert.Throws<DataFormatException>(fun () -> csv "\n\n" |> ignore) |> ignore

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

let private idx (typeCode: byte) (dimensions: int list) (payload: byte[]) =
    Array.concat [ [| 0uy; 0uy; typeCode; byte dimensions.Length |]
                   dimensions |> List.toArray |> Array.collect (fun d -> BitConverter.GetBytes d |> Array.rev)
                   payload ]

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
let ``an IDX images file and its labels file make a dataset`` () =
    let folder = Path.Combine(Path.GetTempPath(), "verify-idx-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory folder |> ignore
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
