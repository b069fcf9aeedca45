/// Property 2: each activation's backward, a vector-Jacobian product, against numerics and dual numbers on random rows;
/// softmax's full Jacobian; the SIMD and scalar forms of every activation agree at every length (property 4). Every
/// hyperparameter is drawn.
module ActivationProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Activations
open Engine.Verification

let numericalLog = Accuracy "2. activation VJP vs 5-point stencil"
let exactLog = Accuracy "2. activation VJP vs dual numbers"
let jacobianLog = Accuracy "2. softmax Jacobian vs numerics and diag(a) - a.aT"

/// An activation with drawn hyperparameters, and the rows it is checked on.
let samples = Suite.withComponent Suite.activations ActivationCheck.Samples

/// The activation of a sample, and a few with drawn hyperparameters (the registry's defaults first), by name.
let variants (name: string) =
    Array.append [| Suite.activations.Get name |]
        (Gen.sampleWithSeed (Rnd(Seeds.forCheck Seeds.run name)) 10 3 (Draw.componentOf Suite.activations [ name ]) |> Array.map (Draw.create Suite.activations))

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every activation's backward is the vector-Jacobian product of its forward`` () =
        Suite.check output "2. activation backward passes" 300 [ numericalLog; exactLog ] (fun () -> []) samples (fun (c, s) ->
            let activation = Draw.create Suite.activations c
            Checked(ActivationCheck.Check(activation, ReferenceTable.activation activation, numericalLog, exactLog, s)))

    [<Fact>]
    member _.``softmax's full Jacobian is diag(a) − a·aᵀ, by its backward and by numerics`` () =
        Suite.check output "2. softmax Jacobian" 100 [ jacobianLog ] (fun () -> []) ActivationCheck.Samples (fun s ->
                let width = s.Width
                let softmax = Softmax()
                let z, _ = ActivationCheck.Values(softmax, { s with Rows = 1 })
                let a = Array.zeroCreate width
                softmax.Forward(ReadOnlySpan z, Span a, width)
                let failures = ResizeArray<string>()
                jacobianLog.Configuration()
                for j in 0 .. width - 1 do
                    // Backward with the cotangent e_j gives row j of the Jacobian: ∂a_j/∂z_k.
                    let unit = Array.init width (fun i -> if i = j then 1.0 else 0.0)
                    let row = Array.zeroCreate width
                    softmax.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan unit, Span row, width)
                    let scratch = Array.zeroCreate width
                    for k in 0 .. width - 1 do
                        let closedForm = (if j = k then a[j] else 0.0) - a[j] * a[k]
                        let numerical = Numerical.derivative z[k] (fun v -> z[k] <- v) (fun () -> softmax.Forward(ReadOnlySpan z, Span scratch, width); scratch[j])
                        let errors = [ Numerical.relativeError (Tolerances.numericalFloor a[j]) row[k] numerical, Tolerances.numerical; Numerical.relativeError (Tolerances.exactFloor a[j] 0.25) row[k] closedForm, Tolerances.exact ]
                        for error, bound in errors do
                            jacobianLog.Add error
                            if not (error <= bound) then failures.Add(sprintf "J[%d, %d] = %.17g, numerics %.17g, closed form %.17g" j k row[k] numerical closedForm)
                Outcome.OfFailures failures)

    [<Fact>]
    member _.``vectorized forward and backward equal their scalar tail at every length from 0 to 4·Count + 3`` () =
        let lanes = System.Numerics.Vector<float>.Count
        for activation in Suite.activations.Names |> Seq.collect variants do
            for length in 0 .. 4 * lanes + 3 do
                let random = Random length
                let z = Array.init length (fun _ -> 8.0 * random.NextDouble() - 4.0)
                let g = Array.init length (fun _ -> Engine.Numerics.StandardNormal random)
                let a, dz = Array.zeroCreate length, Array.zeroCreate length
                activation.Forward(ReadOnlySpan z, Span a, max 1 length)
                activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan g, Span dz, max 1 length)
                if not (activation :? Softmax) then
                    for i in 0 .. length - 1 do
                        // A single element always takes the scalar tail.
                        let a1, d1 = [| 0.0 |], [| 0.0 |]
                        activation.Forward(ReadOnlySpan [| z[i] |], Span a1, 1)
                        activation.Backward(ReadOnlySpan [| z[i] |], ReadOnlySpan a1, ReadOnlySpan [| g[i] |], Span d1, 1)
                        // The two forms share every operation but the exponential (Tolerances.vectorizedExponential).
                        let close (x: float) (y: float) (cotangent: float) = abs (x - y) <= Tolerances.vectorizedExponential cotangent
                        Assert.True(close a[i] a1[0] 1.0, sprintf "%s forward at %d lanes, length %d, element %d: %.17g vs %.17g" activation.Name lanes length i a[i] a1[0])
                        Assert.True(close dz[i] d1[0] g[i], sprintf "%s backward at %d lanes, length %d, element %d: %.17g vs %.17g" activation.Name lanes length i dz[i] d1[0])

    [<Fact>]
    member _.``Vector.Exp and Math.Exp are at most 2 ulp apart on the arguments the activations give them (Tolerances.vectorizedExponential)`` () =
        let lanes = System.Numerics.Vector<float>.Count
        let seed = 7
        let random = Random seed
        let mutable widest = 0L
        // Sigmoid, silu and elu take e^(−|z|) or e^min(z, 0): arguments in [−4, 0] for the z ∈ [−4, 4] of the test above;
        // softmax and log-sum-exp take z − max z, anywhere down to −745 (VectorOps.ExpSum).
        for draw in 1 .. 100000 do
            let x = (if draw % 2 = 0 then -4.0 else -745.0) * random.NextDouble()
            let vector = System.Numerics.Vector.Exp(System.Numerics.Vector<float>(x)).[0]
            widest <- max widest (abs (BitConverter.DoubleToInt64Bits vector - BitConverter.DoubleToInt64Bits(Math.Exp x)))
        output.WriteLine(sprintf "at %d lanes, seed %d: Vector.Exp and Math.Exp at most %d ulp apart over 100,000 arguments in [−4, 0] and [−745, 0]" lanes seed widest)
        Assert.True(widest <= 2L, sprintf "at %d lanes, seed %d: Vector.Exp and Math.Exp %d ulp apart" lanes seed widest)
