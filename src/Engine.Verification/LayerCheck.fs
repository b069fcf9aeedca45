namespace Engine.Verification

open System
open System.Runtime.InteropServices
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Networks

/// <summary>A case of the layer check: a batch of random inputs, parameters and cotangents, derived from the seed.</summary>
type LayerSample =
    { Batch: int
      Seed: int }
    override this.ToString() = sprintf "batch %d, seed %d" this.Batch this.Seed

/// <summary>
/// Verifies a layer's backward pass: for random parameters, inputs x and a random cotangent g, every parameter gradient and the
/// input gradient that <see cref="Layer.Backward"/> computes from g against the 5-point stencil of C = (1/batch)·Σᵢ gᵢ·yᵢ(x, θ).
/// Weights are drawn from U(±√(3/fan-in)), one-dimensional parameters (biases) from N(0, ¼), inputs and g from N(0, 1). A stencil
/// along which a kink changes side (an <see cref="ActivatedLayer"/>'s pre-activation crossing a kink its activation declares, a
/// max-pooling window changing its choice, or what your fingerprint reports) is left out and counted.
/// </summary>
[<AbstractClass; Sealed>]
type LayerCheck =
    /// <summary>Cases: batches of 1–4; shrinking takes one sample.</summary>
    static member Samples =
        let generate = Gen.map2 (fun batch seed -> { Batch = batch; Seed = seed }) (Gen.choose (1, 4)) (Gen.choose (0, Int32.MaxValue))
        Arb.fromGenShrink (generate, fun s -> if s.Batch > 1 then Seq.singleton { s with Batch = 1 } else Seq.empty)

    /// <summary>Which side of each declared kink every pre-activation lies on (an activated layer), or which input each window chose (max pooling).</summary>
    static member KinkSides(layer: Layer) : int[] =
        match layer with
        | :? ActivatedLayer as activated when activated.Activation.Kinks.Count > 0 ->
            [| for z in activated.PreActivations.ToArray() do
                 for kink in activated.Activation.Kinks -> if z > kink then 1 else 0 |]
        | :? MaxPool2D as pool -> pool.Chosen.ToArray()
        | _ -> [||]

    /// <summary>How a message names element <paramref name="index"/> of a tensor: <c>weight[2, 0, 1, 1]</c>.</summary>
    static member Label(name: string, shape: int list, index: int) =
        let rec digits (dims: int list) (i: int) =
            match dims with
            | [] -> []
            | [ _ ] -> [ i ]
            | _ :: rest -> let inner = List.fold (*) 1 rest in (i / inner) :: digits rest (i % inner)
        sprintf "%s[%s]" name (String.Join(", ", digits shape index))

    /// <summary>The failures of one case, its errors recorded in the log and stencils across a kink counted in <paramref name="skipped"/>.</summary>
    static member Check(layer: Layer, fingerprint: (Layer -> int[]) option, numericalLog: Accuracy, skipped: int ref, sample: LayerSample) =
        let random = Random sample.Seed
        let batch = sample.Batch
        for p in layer.Parameters do
            let fanIn = if p.Shape.Count >= 2 then p.Count / p.Shape[0] else 0
            for i in 0 .. p.Count - 1 do
                p.Values[i] <- if fanIn > 0 then (2.0 * random.NextDouble() - 1.0) * sqrt (3.0 / float fanIn) else 0.5 * Numerics.StandardNormal random
        let x = Array.init (batch * layer.InputSize) (fun _ -> Numerics.StandardNormal random)
        let g = Array.init (batch * layer.OutputSize) (fun _ -> Numerics.StandardNormal random)
        let y = layer.Forward(ReadOnlySpan x, batch).ToArray()
        let inputGradient = Array.zeroCreate x.Length
        layer.Backward(ReadOnlySpan x, ReadOnlySpan g, Span inputGradient)
        let objective () =
            let y = layer.Forward(ReadOnlySpan x, batch)
            let mutable sum = 0.0
            for i in 0 .. y.Length - 1 do sum <- sum + g[i] * y[i]
            sum / float batch
        let scale = (Array.fold2 (fun s a b -> s + abs (a * b)) 0.0 g y) / float batch
        let entries =
            [ for p, parameter in Seq.indexed layer.Parameters do
                let gradient = Array.copy parameter.Gradient
                let shape = List.ofSeq parameter.Shape
                for i in 0 .. parameter.Count - 1 ->
                    { Name = LayerCheck.Label(parameter.Name, shape, i); Target = Target.Parameter(0, p, i)
                      Get = (fun () -> parameter.Values[i]); Set = (fun v -> parameter.Values[i] <- v); Analytic = gradient[i] }
              for i in 0 .. x.Length - 1 ->
                { Name = sprintf "input[%d, %d]" (i / layer.InputSize) (i % layer.InputSize); Target = Input i
                  Get = (fun () -> x[i]); Set = (fun v -> x[i] <- v); Analytic = inputGradient[i] / float batch } ]
        let sides () = Array.append (LayerCheck.KinkSides layer) (match fingerprint with Some f -> f layer | None -> [||])
        let policy = if (objective () |> ignore; sides ()).Length = 0 then Smooth else SkipStraddles(sides, skipped)
        numericalLog.Configuration()
        Compare.derivatives policy objective scale numericalLog None entries

    static member private Run(create: unit -> Layer, fingerprint, options: CheckOptions) =
        let options = if isNull options then CheckOptions() else options
        let name = (create ()).GetType().Name
        let numerical = Accuracy(sprintf "%s gradients vs 5-point stencil" name)
        let skipped = ref 0
        Run.propertyWith (sprintf "layer %s" name) (options.CasesOr 100) [ numerical ]
            (fun () -> [ sprintf "values whose stencil crossed a kink, left out: %d" skipped.Value ]) options.RunSeed LayerCheck.Samples
            (fun s -> Checked(LayerCheck.Check(create (), fingerprint, numerical, skipped, s)))

    /// <summary>Verifies the parameter and input gradients of the layers <paramref name="create"/> builds against the 5-point stencil.</summary>
    /// <param name="create">Builds a fresh layer (one per case), e.g. <c>() =&gt; new MyLayer(8, 3)</c>.</param>
    /// <param name="options">Cases and seed (null: 100 cases, the seed from VERIFY_SEED, CI or a fresh one).</param>
    /// <exception cref="VerificationException">A derivative is wrong: the message gives the smallest failing case and the seed.</exception>
    static member Verify(create: Func<Layer>, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        LayerCheck.Run(create.Invoke, None, options)

    /// <summary>As <see cref="Verify(Func{Layer}, CheckOptions)"/>, for a layer with kinks of its own: <paramref name="kinkSides"/> tells, after a forward pass, which side of each kink every argument lies on.</summary>
    /// <param name="create">Builds a fresh layer (one per case).</param>
    /// <param name="kinkSides">A fingerprint that changes exactly when an argument crosses a kink.</param>
    /// <param name="options">Cases and seed (null: the defaults).</param>
    static member Verify(create: Func<Layer>, kinkSides: Func<Layer, int[]>, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        LayerCheck.Run(create.Invoke, Some kinkSides.Invoke, options)
