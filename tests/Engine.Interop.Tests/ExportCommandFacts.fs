/// `nn export`: the written file runs in ONNX Runtime and gives `nn predict`'s outputs; bad options exit 2 naming them.
module ExportCommandFacts

open System
open System.Globalization
open System.IO
open Xunit
open Engine.Activations
open CommandLine
open Engine.Data
open Engine.Interop.Onnx
open Engine.Losses
open Engine.Networks
open Engine.Serialization

/// A 4→6→3 tanh/softmax classifier with a standardizer, and a small CNN on 1×6×6 images, saved as model files.
let private saveModels (folder: string) =
    let random = Random 11
    let dense = Network.Dense([ 4; 6; 3 ], Tanh(), Softmax())
    dense.Initialize(WeightInitialization.Glorot, 5)
    let denseFile = Path.Combine(folder, "dense.safetensors")
    ModelFile.Save(denseFile, dense, SparseCategoricalCrossEntropy(), Standardizer([| 5.8; 3.0; 3.7; 1.2 |], [| 0.8; 0.4; 1.8; 0.8 |]))
    let conv = Conv2D(ImageShape(1, 6, 6), 2, 3, 3, 1, "same", Relu())
    let pool = MaxPool2D(conv.OutputShape, 2)
    let flatten = Flatten(pool.OutputShape)
    let cnn = Network([ conv :> Layer; pool; flatten; Dense(flatten.OutputSize, 3, Softmax()) ])
    cnn.Initialize(WeightInitialization.He, 6)
    let cnnFile = Path.Combine(folder, "cnn.safetensors")
    ModelFile.Save(cnnFile, cnn, SparseCategoricalCrossEntropy())
    (denseFile, 4), (cnnFile, 36), random

/// The output columns nn predict printed (after the class column).
let private predicted (printed: string) = parseCsv printed |> snd |> Array.collect (Array.skip 1)

[<Fact>]
let ``nn export writes ONNX models whose outputs in ONNX Runtime match nn predict's, float64 and float32, within the derived bound`` () =
    let folder = temporaryFolder ()
    let (denseFile, denseFeatures), (cnnFile, cnnFeatures), random = saveModels folder
    for file, features in [ denseFile, denseFeatures; cnnFile, cnnFeatures ] do
        let batch = 5
        let inputs = Runtime.drawInputs random batch features
        let rows = Path.Combine(folder, "rows.csv")
        File.WriteAllLines(rows, toCsv features inputs)
        let code, printed = nn [ "predict"; "--model"; file; "--input"; rows ]
        Assert.True((code = 0), printed)
        let expected = predicted printed
        let loaded = ModelFile.Load file
        let standardizer = Option.ofObj loaded.Standardizer
        for dtype, elementType, unit in [ "float64", OnnxDataType.Double, ErrorBound.float64Unit; "float32", OnnxDataType.Float, ErrorBound.float32Unit ] do
            let onnx = nonNull (Path.ChangeExtension(file, dtype + ".onnx"))
            let code, message = nn [ "export"; "--model"; file; "--format"; "onnx"; "--dtype"; dtype; "--out"; onnx ]
            Assert.True((code = 0), message)
            Assert.Contains(sprintf "Wrote %s: ONNX opset 13, %s, input 'input' [N, %d]" onnx dtype features, message)
            match (try Some(Runtime.session (File.ReadAllBytes onnx)) with :? Microsoft.ML.OnnxRuntime.OnnxRuntimeException -> None) with
            | None -> Assert.True((file = cnnFile && dtype = "float64"), sprintf "ONNX Runtime could not load %s" onnx) // no float64 Conv kernel
            | Some session ->
                use _ = session
                let actual = Runtime.run session elementType inputs batch features
                let bound =
                    Array.map2 (+) (ErrorBound.outputBound unit loaded.Network standardizer inputs batch)
                                   (ErrorBound.outputBound ErrorBound.float64Unit loaded.Network standardizer inputs batch)
                for i in 0 .. expected.Length - 1 do
                    Assert.True(abs (actual[i] - expected[i]) <= bound[i],
                                sprintf "%s %s output %d: ONNX Runtime %.17g, nn predict %.17g, bound %.3g" file dtype i actual[i] expected[i] bound[i])
    Directory.Delete(folder, true)

[<Fact>]
let ``nn export without --out writes beside the model, the standardizer and operators named`` () =
    let folder = temporaryFolder ()
    let (denseFile, _), _, _ = saveModels folder
    let code, message = nn [ "export"; "--model"; denseFile ]
    Assert.True((code = 0), message)
    Assert.True(File.Exists(Path.Combine(folder, "dense.onnx")))
    Assert.Contains("float32", message)
    Assert.Contains("the standardizer inside the graph; operators Sub, Div, Gemm, Tanh, Softmax.", message)
    Directory.Delete(folder, true)

[<Fact>]
let ``nn export rejects an unknown format or dtype and a missing model file with exit code 2, naming the option or file`` () =
    let folder = temporaryFolder ()
    let (denseFile, _), _, _ = saveModels folder
    let code, message = nn [ "export"; "--model"; denseFile; "--format"; "tflite" ]
    Assert.Equal(2, code)
    Assert.Contains("--format must be onnx, but is 'tflite'", message)
    let code, message = nn [ "export"; "--model"; denseFile; "--dtype"; "float16" ]
    Assert.Equal(2, code)
    Assert.Contains("--dtype must be float32 or float64, but is 'float16'", message)
    let missing = Path.Combine(folder, "missing.safetensors")
    let code, message = nn [ "export"; "--model"; missing ]
    Assert.Equal(2, code)
    Assert.Contains("missing.safetensors", message)
    let code, message = nn [ "export"; "--format"; "onnx" ]
    Assert.Equal(2, code)
    Assert.Contains("--model is required", message)
    Assert.False(File.Exists(Path.Combine(folder, "missing.onnx")))
    Directory.Delete(folder, true)
