/// The sample scripts of docs/interop.md: samples/interop/predict.py (standard library only) gives nn predict's classes and
/// outputs for random networks of every activation and layer kind; samples/interop/load_pytorch.py at least compiles (PyTorch
/// is not installed here). Both are skipped, with the reason printed, where python3 is not on the PATH.
module PythonScriptFacts

open System
open System.IO
open Xunit
open Xunit.Abstractions
open Engine.Losses
open Engine.Serialization
open CommandLine
open Runtime

let private script name = Path.Combine(repository, "samples", "interop", name)

type Scripts(output: ITestOutputHelper) =
    let version =
        match python [ "--version" ] with
        | Some(0, out, err) -> Some((out + err).Trim())
        | _ -> None

    let skipped () = output.WriteLine "skipped: python3 is not on the PATH (docs/interop.md documents the scripts either way)"

    /// Outputs within twice the float64 bound of ErrorBound (the engine and the script each within it: both compute in float64
    /// with their own summation order and libm); the class column equal wherever the top two outputs are farther apart than that.
    [<Fact>]
    member _.``samples/interop/predict.py gives nn predict's outputs for random networks of every activation and layer kind`` () =
        match version with
        | None -> skipped ()
        | Some version ->
            let folder = temporaryFolder ()
            let mutable worst, compared = 0.0, 0
            for name in activations.Names do
                for seed in [ 1; 2 ] do
                    let random = Random(seed * 7919 + name.Length)
                    let network, features =
                        if seed = 1 then denseNetwork random name, -1 else convolutionalNetwork random name
                    let features = if features < 0 then network.InputSize else features
                    let standardizer = drawStandardizer random features
                    let loss: Loss = if network.OutputActivation.OutputsSumToOne then SparseCategoricalCrossEntropy() else MeanSquaredError()
                    let model = Path.Combine(folder, sprintf "%s-%d.safetensors" name seed)
                    ModelFile.Save(model, network, loss, Option.toObj standardizer)
                    let batch = 4
                    let inputs = drawInputs random batch features
                    let rows = Path.Combine(folder, "rows.csv")
                    File.WriteAllLines(rows, toCsv features inputs)
                    let code, printed = nn [ "predict"; "--model"; model; "--input"; rows ]
                    Assert.True((code = 0), printed)
                    let header, expected = parseCsv printed
                    match python [ script "predict.py"; model; rows ] with
                    | Some(0, out, _) ->
                        let scriptHeader, actual = parseCsv out
                        Assert.Equal<string[]>(header, scriptHeader)
                        let bound = ErrorBound.outputBound ErrorBound.float64Unit network standardizer inputs batch
                        let classified = header[0] = "class"
                        let first = if classified then 1 else 0
                        for i in 0 .. batch - 1 do
                            let outputs = expected[i][first..]
                            for j in 0 .. outputs.Length - 1 do
                                let scripted = actual[i][first + j]
                                let error = abs (scripted - outputs[j])
                                let allowed = 2.0 * bound[i * outputs.Length + j]
                                Assert.True(error <= allowed, sprintf "%s, seed %d, row %d output %d: predict.py %.17g, nn predict %.17g, error %.3g above %.3g" name seed i j scripted outputs[j] error allowed)
                                worst <- max worst error
                                compared <- compared + 1
                            let sorted = Array.sortDescending outputs
                            if classified && (sorted.Length = 1 || sorted[0] - sorted[1] > 4.0 * Array.max bound) then
                                Assert.Equal(expected[i][0], actual[i][0])
                    | Some(code, out, err) -> failwithf "python3 predict.py exited %d on %s: %s%s" code model out err
                    | None -> failwith "python3 stopped being available"
            output.WriteLine(sprintf "%s: predict.py and nn predict agree on %d outputs; max difference %s" version compared (invariant worst))
            Directory.Delete(folder, true)

    [<Fact>]
    member _.``samples/interop/load_pytorch.py compiles`` () =
        match version with
        | None -> skipped ()
        | Some _ ->
            let folder = temporaryFolder ()
            let compiled = python [ "-c"; "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)"; script "load_pytorch.py"; Path.Combine(folder, "load_pytorch.pyc") ]
            Directory.Delete(folder, true)
            match compiled with
            | Some(0, _, _) -> ()
            | Some(code, out, err) -> failwithf "load_pytorch.py does not compile (exit %d): %s%s" code out err
            | None -> failwith "python3 stopped being available"
