/// Property 2: each activation's backward, a vector-Jacobian product, against numerics and dual numbers on random rows;
/// softmax's full Jacobian; the SIMD and scalar forms of every activation agree at every length (property 4).
module ActivationProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Activations
open Generators

/// The scalar differenced is g·σ(z), so the floors scale with it (see Tolerances).
let numericalLog = Settings.ErrorLog "2. activation VJP vs 5-point stencil"

let exactLog = Settings.ErrorLog "2. activation VJP vs dual numbers"

let jacobianLog = Settings.ErrorLog "2. softmax Jacobian vs numerics and diag(a) - a.aT"

/// An activation, a row width, a number of rows and the seed of the values.
type Sample = { Activation: string; Width: int; Rows: int; Seed: int }

let samples =
    gen {
        let! name = Gen.elements activations.Names
        let! width = Gen.choose (1, 20)
        let! rows = Gen.choose (1, 4)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Activation = name; Width = width; Rows = rows; Seed = seed }
    } |> Arb.fromGen

/// Pre-activations spread over [−4, 4], each at least `margin` from a declared kink, and a cotangent.
let values (activation: Activation) (s: Sample) =
    let random = Random s.Seed
    let rec draw () =
        let z = 8.0 * random.NextDouble() - 4.0
        if activation.DistanceToKink z >= margin then z else draw ()
    Array.init (s.Rows * s.Width) (fun _ -> draw ()), Array.init (s.Rows * s.Width) (fun _ -> gaussian random)

let private dot (g: float[]) (a: float[]) = Array.fold2 (fun s x y -> s + x * y) 0.0 g a

let check (s: Sample) =
    let activation = activations.Get s.Activation
    let z, g = values activation s
    let a = Array.zeroCreate z.Length
    activation.Forward(ReadOnlySpan z, Span a, s.Width)
    let vjp = Array.zeroCreate z.Length
    activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan g, Span vjp, s.Width)
    let scratch = Array.zeroCreate z.Length
    let objective () = activation.Forward(ReadOnlySpan z, Span scratch, s.Width); dot g scratch
    // The stencil differences g·σ(z), a sum whose rounding scales with its terms Σ|gᵢ·aᵢ|, not with its (possibly cancelling) value.
    let objectiveValue = Array.fold2 (fun s x y -> s + abs (x * y)) 0.0 g a
    let floor = Tolerances.numericalFloor objectiveValue
    numericalLog.Configuration()
    let failures = ResizeArray<string>()
    for k in 0 .. z.Length - 1 do
        let numerical = Numerical.derivative z[k] (fun v -> z[k] <- v) objective
        let error = Numerical.relativeError floor vjp[k] numerical
        numericalLog.Add error
        if not (error <= Tolerances.numerical) then failures.Add(sprintf "%s: dz[%d] = %.17g, 5-point stencil %.17g (error %.2e)" s.Activation k vjp[k] numerical error)
    match ReferenceTable.activations.TryFind s.Activation with
    | Some reference ->
        exactLog.Configuration()
        for k in 0 .. z.Length - 1 do
            let row = k / s.Width
            let dualRow = Array.init s.Width (fun j -> let i = row * s.Width + j in if i = k then Dual.variable z[i] else Dual.constant z[i])
            let outputs = ReferenceTable.applyRow reference dualRow
            let exact = Array.fold2 (fun sum (o: Dual.Dual) gj -> sum + o.D * gj) 0.0 outputs (Array.sub g (row * s.Width) s.Width)
            let error = Numerical.relativeError (Tolerances.exactFloor objectiveValue (Array.map abs vjp |> Array.max)) vjp[k] exact
            exactLog.Add error
            if not (error <= Tolerances.exact) then failures.Add(sprintf "%s: dz[%d] = %.17g, dual numbers %.17g (error %.2e)" s.Activation k vjp[k] exact error)
    | None -> ()
    failures

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every activation's backward is the vector-Jacobian product of its forward`` () =
        let property = Prop.forAll samples (fun s -> let f = check s in f.Count = 0 |> Prop.label (sprintf "%A\n%s" s (String.Join("\n", Seq.truncate 5 f))))
        try Check.One(Settings.config 300, property)
        finally
            output.WriteLine(numericalLog.Summary())
            output.WriteLine(exactLog.Summary())

    [<Fact>]
    member _.``softmax's full Jacobian is diag(a) − a·aᵀ, by its backward and by numerics`` () =
        let property =
            Prop.forAll samples (fun s ->
                let width = s.Width
                let softmax = Softmax()
                let z, _ = values softmax { s with Rows = 1 }
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
                failures.Count = 0 |> Prop.label (sprintf "%A\n%s" s (String.Join("\n", Seq.truncate 5 failures))))
        try Check.One(Settings.config 100, property)
        finally output.WriteLine(jacobianLog.Summary())

    [<Fact>]
    member _.``vectorized forward and backward equal their scalar tail at every length from 0 to 4·Count + 3`` () =
        let lanes = System.Numerics.Vector<float>.Count
        for activation in activations.All do
            for length in 0 .. 4 * lanes + 3 do
                let random = Random length
                let z = Array.init length (fun _ -> 8.0 * random.NextDouble() - 4.0)
                let g = Array.init length (fun _ -> gaussian random)
                let a, dz = Array.zeroCreate length, Array.zeroCreate length
                activation.Forward(ReadOnlySpan z, Span a, max 1 length)
                activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan g, Span dz, max 1 length)
                if not (activation :? Softmax) then
                    for i in 0 .. length - 1 do
                        // A single element always takes the scalar tail.
                        let a1, d1 = [| 0.0 |], [| 0.0 |]
                        activation.Forward(ReadOnlySpan [| z[i] |], Span a1, 1)
                        activation.Backward(ReadOnlySpan [| z[i] |], ReadOnlySpan a1, ReadOnlySpan [| g[i] |], Span d1, 1)
                        // The two forms share every operation but the exponential, where Vector.Exp and Math.Exp may differ
                        // in the last bit of a value of magnitude ≤ 1 (e^(−|z|), e^z for z ≤ 0): 2 ulp of max(|a|, 1).
                        let close (x: float) (y: float) = abs (x - y) <= 4.5e-16 * max 1.0 (max (abs x) (abs y))
                        Assert.True(close a[i] a1[0], sprintf "%s forward, length %d, element %d: %.17g vs %.17g" activation.Name length i a[i] a1[0])
                        Assert.True(close dz[i] d1[0], sprintf "%s backward, length %d, element %d: %.17g vs %.17g" activation.Name length i dz[i] d1[0])
