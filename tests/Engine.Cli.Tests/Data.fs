/// nn reads data as the user means it: the task, the header rule, CSV options, class names, official test files, and the
/// held-out part of a run scored again by evaluate.
module Data

open System
open System.Globalization
open System.IO
open System.IO.Compression
open Xunit
open Tool

/// Three well-separated classes named by strings, in a CSV with a header; the species column is not last.
let private speciesCsv (rows: int) =
    let random = Random 7
    [ yield "length,species,width"
      for i in 0 .. rows - 1 do
          let k = i % 3
          let name = [| "cat"; "dog, large"; "\"eel\"" |][k]
          let quoted = "\"" + name.Replace("\"", "\"\"") + "\""
          yield sprintf "%.3f,%s,%.3f" (float k * 3.0 + random.NextDouble()) quoted (float k * -2.0 + random.NextDouble()) ]

let private lastTestAccuracy (folder: string) =
    let csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"))
    Double.Parse(csv[csv.Length - 1].Split(',')[4], CultureInfo.InvariantCulture)

[<Fact>]
let ``class names in a chosen label column are learned, stored in the model and printed by predict as CSV fields`` () =
    withFolder (fun folder ->
        File.WriteAllLines(Path.Combine(folder, "species.csv"), speciesCsv 90)
        succeeded (runIn folder [ "train"; "--data"; "species.csv"; "--label-column"; "species"; "--layers"; "2,8,3"; "--epochs"; "40"; "--out"; "run" ])
        File.WriteAllLines(Path.Combine(folder, "rows.csv"), [| "length,width"; "0.5,0.5"; "6.5,-3.5"; "3.5,-1.5" |])
        let predicted = runIn folder [ "predict"; "--model"; Path.Combine("run", "model.safetensors"); "--input"; "rows.csv" ]
        succeeded predicted
        Assert.Equal(4, predicted.OutLines.Length)
        Assert.Equal<string[]>([| "cat"; "\"\"\"eel\"\"\""; "\"dog, large\"" |], predicted.OutLines[1..] |> Array.map (fun l -> if l.StartsWith "\"" then l[.. l.LastIndexOf "\","] .TrimEnd(',') else l.Split(',')[0])))

[<Fact>]
let ``evaluate --part test scores exactly the part the run held out: the run's last test accuracy`` () =
    withFolder (fun folder ->
        succeeded (runIn folder [ "train"; "--data"; "iris"; "--epochs"; "30"; "--out"; "iris" ])
        let model = Path.Combine("iris", "model.safetensors")
        let json part =
            let run = runIn folder [ "evaluate"; "--model"; model; "--part"; part; "--format"; "json" ]
            succeeded run
            use document = Text.Json.JsonDocument.Parse run.Out
            document.RootElement.GetProperty("samples").GetInt32(), document.RootElement.GetProperty("accuracy").GetDouble()
        Assert.Equal((30, lastTestAccuracy (Path.Combine(folder, "iris"))), json "test")
        Assert.Equal(120, fst (json "train"))
        Assert.Equal(150, fst (json "all")))

[<Fact>]
let ``evaluate --part refuses data that differ from the run's`` () =
    withFolder (fun folder ->
        File.WriteAllLines(Path.Combine(folder, "a.csv"), speciesCsv 60)
        succeeded (runIn folder [ "train"; "--data"; "a.csv"; "--label-column"; "2"; "--epochs"; "3"; "--out"; "run" ])
        File.WriteAllLines(Path.Combine(folder, "b.csv"), speciesCsv 63)
        runIn folder [ "evaluate"; "--model"; Path.Combine("run", "model.safetensors"); "--data"; "b.csv"; "--label-column"; "2"; "--part"; "test" ]
        |> failedWith 2 [ "--data b.csv is not the data the model was trained on" ])

let private idx (typeCode: byte) (dimensions: int list) (payload: byte[]) =
    Array.concat [ [| 0uy; 0uy; typeCode; byte dimensions.Length |]
                   dimensions |> List.toArray |> Array.collect (fun d -> BitConverter.GetBytes d |> Array.rev)
                   payload ]

let private gzip (path: string) (bytes: byte[]) =
    use output = File.Create path
    use compressor = new GZipStream(output, CompressionLevel.Fastest)
    compressor.Write bytes

/// MNIST-shaped IDX files of n 4×4 images whose class is the bright quadrant.
let private writeIdx (folder: string) (prefix: string) (n: int) =
    let random = Random n
    let labels = Array.init n (fun i -> byte (i % 4))
    let pixels =
        labels |> Array.collect (fun k ->
            Array.init 16 (fun p -> let r, c = p / 4, p % 4 in if (r / 2) * 2 + c / 2 = int k then byte (200 + random.Next 50) else byte (random.Next 50)))
    gzip (Path.Combine(folder, prefix + "-images-idx3-ubyte.gz")) (idx 0x08uy [ n; 4; 4 ] pixels)
    gzip (Path.Combine(folder, prefix + "-labels-idx1-ubyte.gz")) (idx 0x08uy [ n ] labels)

[<Fact>]
let ``IDX training and official test files: the test part is the t10k file, found by name or given, and evaluate --part test scores it`` () =
    withFolder (fun folder ->
        writeIdx folder "train" 200
        writeIdx folder "t10k" 40
        let run = runIn folder [ "train"; "--data"; "train-images-idx3-ubyte.gz"; "--test-data"; "t10k-images-idx3-ubyte.gz"; "--epochs"; "10"; "--out"; "mnist" ]
        succeeded run
        Assert.Contains("200 training and 40 test samples", run.Err)
        let evaluated = runIn folder [ "evaluate"; "--model"; Path.Combine("mnist", "model.safetensors"); "--part"; "test"; "--format"; "json" ]
        succeeded evaluated
        Assert.Contains("\"samples\":40", evaluated.Out)
        File.Move(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), Path.Combine(folder, "test-labels.gz"))
        runIn folder [ "train"; "--data"; "train-images-idx3-ubyte.gz"; "--test-data"; "t10k-images-idx3-ubyte.gz"; "--epochs"; "1" ]
        |> failedWith 2 [ "--test-labels is needed" ]
        let given = runIn folder [ "train"; "--data"; "train-images-idx3-ubyte.gz"; "--test-data"; "t10k-images-idx3-ubyte.gz"; "--test-labels"; "test-labels.gz"; "--epochs"; "1"; "--out"; "given" ]
        succeeded given
        Assert.Contains("batch 32, 1 epoch, seed 1.", given.Err))

[<Fact>]
let ``regression is chosen explicitly: fractional labels are refused for classification and learned with --task regression`` () =
    withFolder (fun folder ->
        File.WriteAllLines(Path.Combine(folder, "line.csv"), [| for i in 0 .. 49 -> sprintf "%d,%g" i (0.5 * float i + 1.25) |])
        runIn folder [ "train"; "--data"; "line.csv"; "--epochs"; "1" ] |> failedWith 2 [ "line.csv, line 1: the label 1.25 is not a class index"; "--task regression" ]
        let run = runIn folder [ "train"; "--data"; "line.csv"; "--task"; "regression"; "--layers"; "1,1"; "--activation"; "identity"; "--lr"; "0.1"; "--epochs"; "50"; "--out"; "line" ]
        succeeded run
        Assert.Contains("identity output, mse loss", run.Err)
        runIn folder [ "train"; "--data"; "line.csv"; "--task"; "regression"; "--loss"; "sparse-cce" ] |> failedWith 2 [ "--loss sparse-cce scores classes" ])

[<Fact>]
let ``CSV options: a semicolon delimiter and a declared header`` () =
    withFolder (fun folder ->
        File.WriteAllLines(Path.Combine(folder, "semi.csv"), [| yield "1;2;3"; for i in 0 .. 29 -> sprintf "%d;%d;%d" (i % 2) (i % 5) (i % 2) |])
        runIn folder [ "train"; "--data"; "semi.csv"; "--epochs"; "1" ] |> failedWith 2 [ "--data: semi.csv, line 2: a row needs at least one feature and a label, but has 1 field; is ',' the file's delimiter?" ]
        succeeded (runIn folder [ "train"; "--data"; "semi.csv"; "--delimiter"; ";"; "--header"; "yes"; "--epochs"; "2"; "--out"; "semi" ])
        runIn folder [ "train"; "--data"; "iris"; "--header"; "no" ] |> failedWith 2 [ "--header does not apply to the embedded data set iris" ])
