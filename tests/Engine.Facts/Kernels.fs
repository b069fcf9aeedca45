/// The SIMD kernels' argument checks, the thread count, and the scalar numerics (log1p, the clamped log, log-sum-exp).
module Facts.Kernels

open System
open Xunit
open Engine
open Engine.Kernels
open Facts.Support

[<Fact>]
let ``kernels reject negative dimensions and short buffers by name`` () =
    throwsFor "m" [ "non-negative"; "m=-1" ] (fun () -> MatrixProducts.Multiply(ReadOnlySpan(Array.zeroCreate 1), ReadOnlySpan(Array.zeroCreate 1), Span(Array.zeroCreate 1), -1, 1, 1))
    throwsFor "b" [ "6"; "[3, 2]" ] (fun () -> MatrixProducts.Multiply(ReadOnlySpan(Array.zeroCreate 3), ReadOnlySpan(Array.zeroCreate 5), Span(Array.zeroCreate 2), 1, 2, 3))
    throwsFor "c" [ "[2, 2]" ] (fun () -> MatrixProducts.MultiplyTransposedB(ReadOnlySpan(Array.zeroCreate 2), ReadOnlySpan(Array.zeroCreate 2), Span(Array.zeroCreate 3), 2, 2, 1))
    throwsFor "a" [ "[1, 2]" ] (fun () -> MatrixProducts.MultiplyTransposedA(ReadOnlySpan(Array.zeroCreate 1), ReadOnlySpan(Array.zeroCreate 2), Span(Array.zeroCreate 4), 2, 2, 1))
    throwsFor "y" [ "3"; "has 2" ] (fun () -> VectorOps.ScaledAdd(ReadOnlySpan(Array.zeroCreate 3), 1.0, Span(Array.zeroCreate 2)))
    throwsFor "matrix" [ "[2, 3]" ] (fun () -> VectorOps.SumColumns(ReadOnlySpan(Array.zeroCreate 5), 2, 1.0, Span(Array.zeroCreate 3)))
    throwsFor "y" [ "3"; "has 2" ] (fun () -> VectorOps.SquaredDistance(ReadOnlySpan(Array.zeroCreate 3), ReadOnlySpan(Array.zeroCreate 2)) |> ignore)
    throwsFor "matrix" [ "[2, 3]" ] (fun () -> VectorOps.AddToRows(Span(Array.zeroCreate 5), 2, ReadOnlySpan(Array.zeroCreate 3)))
    for length in 0 .. 4 * Numerics.Vector<float>.Count + 3 do
        let x = Array.init length (fun i -> float i + 0.5)
        Assert.Equal(Array.sum x, VectorOps.Sum(ReadOnlySpan x))
        let shifted = Array.copy x
        VectorOps.AddScalar(Span shifted, 2.0)
        Assert.Equal<float[]>(Array.map ((+) 2.0) x, shifted)
    // k = 0: the product is zero, or C unchanged when accumulating.
    let c = [| 5.0; 5.0 |]
    MatrixProducts.Multiply(ReadOnlySpan [||], ReadOnlySpan [||], Span c, 1, 2, 0, 1.0, true)
    Assert.Equal<float[]>([| 5.0; 5.0 |], c)
    MatrixProducts.MultiplyTransposedB(ReadOnlySpan [||], ReadOnlySpan [||], Span c, 1, 2, 0)
    Assert.Equal<float[]>([| 0.0; 0.0 |], c)
    let d = [| 5.0; 5.0 |]
    MatrixProducts.MultiplyTransposedA(ReadOnlySpan [||], ReadOnlySpan [||], Span d, 1, 2, 0)
    Assert.Equal<float[]>([| 0.0; 0.0 |], d)

[<Fact>]
let ``every product checks its dimensions and each of its three buffers`` () =
    let z (n: int) : float[] = Array.zeroCreate n
    let products : (string * (float[] -> float[] -> float[] -> int -> int -> int -> unit)) list =
        [ "A·Bᵀ", (fun a b c m n k -> MatrixProducts.MultiplyTransposedB(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k))
          "A·B", (fun a b c m n k -> MatrixProducts.Multiply(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k))
          "Aᵀ·B", (fun a b c m n k -> MatrixProducts.MultiplyTransposedA(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k)) ]
    // m = 2, n = 3, k = 4: A has 8 values, B 12, C 6 in every layout.
    for _, product in products do
        throwsFor "m" [ "non-negative" ] (fun () -> product (z 8) (z 12) (z 6) 2 -3 4)
        throwsFor "a" [ "8" ] (fun () -> product (z 7) (z 12) (z 6) 2 3 4)
        throwsFor "b" [ "12" ] (fun () -> product (z 8) (z 11) (z 6) 2 3 4)
        throwsFor "c" [ "6" ] (fun () -> product (z 8) (z 12) (z 5) 2 3 4)

[<Fact>]
let ``the finiteness scan reads only its span`` () =
    for length in 0 .. 4 * Numerics.Vector<float>.Count + 3 do
        let buffer = Array.append (Array.create length 1.0) [| nan; infinity |]
        Assert.Equal(-1, VectorOps.IndexOfNonFinite(ReadOnlySpan(buffer, 0, length)))

[<Fact>]
let ``a product whose buffers are too short names the argument and the shape`` () =
    let error = Assert.Throws<ArgumentException>(fun () -> MatrixProducts.Multiply(ReadOnlySpan(Array.zeroCreate 5), ReadOnlySpan(Array.zeroCreate 6), Span(Array.zeroCreate 4), 2, 2, 3))
    Assert.Equal("a", error.ParamName)
    Assert.Contains("[2, 3]", error.Message)

[<Fact>]
let ``the convolution's fused passes refuse buffers too short before handing on a pointer, naming the argument`` () =
    let shape = ConvolutionGeometry(2, 4, 4, 3, 3, 1, 1, 1, 4, 4)
    let batch, outChannels = 3, 5
    let rowStride = batch * shape.Positions
    let zeros (n: int) = Array.zeroCreate<float> n
    let forward (columns: int) (stride: int) =
        ConvolutionPasses.Forward(ReadOnlySpan(zeros (batch * shape.ImageSize)), batch, &shape, ReadOnlySpan(zeros (outChannels * shape.Patch)),
                                  ReadOnlySpan(zeros outChannels), Span(zeros columns), stride, Span(zeros (outChannels * rowStride)),
                                  Span(zeros (batch * outChannels * shape.Positions)), 1)
    Assert.Equal("columns", Assert.Throws<ArgumentException>(fun () -> forward (shape.Patch * rowStride - 1) rowStride).ParamName)
    Assert.Equal("rowStride", Assert.Throws<ArgumentOutOfRangeException>(fun () -> forward (shape.Patch * rowStride) (rowStride - 1)).ParamName)
    let inputGradient (columnGradient: int) =
        ConvolutionPasses.InputGradient(ReadOnlySpan(zeros (outChannels * shape.Patch)), ReadOnlySpan(zeros (outChannels * rowStride)), outChannels,
                                        Span(zeros columnGradient), rowStride, batch, &shape, Span(zeros (batch * shape.ImageSize)), 1)
    let error = Assert.Throws<ArgumentException>(fun () -> inputGradient (shape.Patch * rowStride - 1))
    Assert.Equal("columnGradient", error.ParamName)
    Assert.Contains(sprintf "[%d, %d]" shape.Patch rowStride, error.Message)
    inputGradient (shape.Patch * rowStride)

[<Fact>]
let ``the scalar numerics: log1p, the clamped log and log-sum-exp`` () =
    Assert.Equal(1e-20, Numerics.Log1p 1e-20)
    Assert.Equal(Math.Log 2.0, Numerics.Log1p 1.0, 15)
    Assert.True(abs (Numerics.Log1p 1e-10 - 9.9999999995e-11) <= 1e-25)
    Assert.Equal(-100.0, Numerics.ClampedLog 0.0)
    Assert.Equal(-100.0, Numerics.ClampedLog Numerics.MinProbability, 12)
    Assert.Equal(Math.Log 0.5, Numerics.ClampedLog 0.5)
    Assert.Equal(1000.0 + Math.Log 2.0, Numerics.LogSumExp(ReadOnlySpan [| 1000.0; 1000.0 |]), 12)
    Assert.Equal(Math.Log(Math.Exp 1.0 + Math.Exp 2.0), Numerics.LogSumExp(ReadOnlySpan [| 1.0; 2.0 |]), 14)

/// Bitwise equality, naming the first element that differs.
let assertBitIdentical (what: string) (reference: float[]) (result: float[]) =
    let index = Array.zip reference result |> Array.tryFindIndex (fun (x, y) -> BitConverter.DoubleToInt64Bits x <> BitConverter.DoubleToInt64Bits y)
    Assert.True(index.IsNone, sprintf "%s: element %A differs from one thread" what index)

[<Fact>]
let ``a large product is bit-identical on 1, 2 and 3 threads`` () =
    // Large enough to be split over threads (ProductThreads.MinimumParallelWork) and to cross every block boundary, with a
    // right edge that cuts a micro-tile.
    let m, n, k = PackedProduct.RowBlock + PackedProduct.MicroRows + 1, PackedProduct.ColumnBlock + PackedProduct.MicroColumns + 3, PackedProduct.SharedBlock + 5
    Assert.True(float m * float n * float k >= ProductThreads.MinimumParallelWork)
    let random = Random 11
    let a = Array.init (m * k) (fun _ -> random.NextDouble() - 0.5)
    let b = Array.init (n * k) (fun _ -> random.NextDouble() - 0.5)
    let c0 = Array.init (m * n) (fun _ -> random.NextDouble())
    let products : (string * (float[] -> int -> unit)) list =
        [ "A·Bᵀ", (fun c threads -> MatrixProducts.MultiplyTransposedB(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k, -0.5, true, threads))
          "A·B", (fun c threads -> MatrixProducts.Multiply(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k, -0.5, true, threads))
          "Aᵀ·B", (fun c threads -> MatrixProducts.MultiplyTransposedA(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k, -0.5, true, threads)) ]
    for name, product in products do
        let compute threads = let c = Array.copy c0 in product c threads; c
        let one = compute 1
        for threads in [ 2; 3 ] do assertBitIdentical (sprintf "%s on %d threads" name threads) one (compute threads)

[<Fact>]
let ``a thread count below 1 is refused with its value, by a product and by a network`` () =
    let product = Assert.Throws<ArgumentOutOfRangeException>(fun () ->
        MatrixProducts.Multiply(ReadOnlySpan [| 1.0 |], ReadOnlySpan [| 1.0 |], Span [| 0.0 |], 1, 1, 1, 1.0, false, 0))
    Assert.Equal("threads", product.ParamName)
    mentions [ "at least 1"; "is 0" ] product.Message
    let network = Engine.Networks.Network.Dense([| 2; 1 |], Engine.Activations.Relu(), Engine.Activations.Identity())
    let setting = Assert.Throws<ArgumentOutOfRangeException>(fun () -> network.Threads <- 0)
    Assert.Equal("Threads", setting.ParamName)
    Assert.Equal(Environment.ProcessorCount, network.Threads)

[<Fact>]
let ``setting a network's thread count creates the workers it needs, so that its first split step allocates nothing`` () =
    // 7 threads: more than any other test or the machine's processors ask for, so no earlier run has created these workers.
    let network = Engine.Networks.Network.Dense([| 2; 1 |], Engine.Activations.Relu(), Engine.Activations.Identity())
    network.Threads <- 7
    Assert.True(RangeThreads.WorkerCount >= 6, sprintf "%d workers after Threads = 7" RangeThreads.WorkerCount)

[<Fact>]
let ``the passes around the products split over threads give the same bits on 1, 2 and 3 threads: im2col, col2im, layout copies, pooling, activations at an odd width, bias adds and bias gradients`` () =
    let batch = 256
    let gradients threads =
        let conv1 = Engine.Networks.Conv2D(Engine.Networks.ImageShape(1, 8, 8), 8, 3, 3, 1, "same", Engine.Activations.Sigmoid())
        let average = Engine.Networks.AvgPool2D(conv1.OutputShape, 2, 1)
        let conv2 = Engine.Networks.Conv2D(average.OutputShape, 16, 3, 3, 1, "same", Engine.Activations.Tanh())
        let max = Engine.Networks.MaxPool2D(conv2.OutputShape, 2)
        let flatten = Engine.Networks.Flatten(max.OutputShape)
        let hidden = Engine.Networks.Dense(flatten.OutputSize, 157, Engine.Activations.Sigmoid())
        let layers : Engine.Networks.Layer list = [ conv1; average; conv2; max; flatten; hidden; Engine.Networks.Dense(157, 10, Engine.Activations.Softmax()) ]
        let network = Engine.Networks.Network(layers)
        network.Initialize(Engine.Networks.WeightInitialization.He, 3)
        network.Threads <- threads
        let random = Random 4
        let x = Array.init (batch * 64) (fun _ -> random.NextDouble() - 0.5)
        let y = Array.init batch (fun _ -> float (random.Next 10))
        network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan y, batch, Engine.Losses.SparseCategoricalCrossEntropy(), true) |> ignore
        [| for layer in network.Layers do yield! layer.Outputs.ToArray()
           for p in network.Parameters do yield! p.Gradient
           yield! network.InputGradient.ToArray() |]
    // Every pass splits: the smallest, the 157-wide activation and bias add, touch 256 × 157 values.
    Assert.True(float batch * 157.0 >= RangeThreads.MinimumParallelWork)
    let one = gradients 1
    for threads in [ 2; 3 ] do assertBitIdentical (sprintf "outputs and gradients on %d threads" threads) one (gradients threads)
