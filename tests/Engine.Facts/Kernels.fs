/// The SIMD kernels' argument checks, the thread count, and the scalar numerics (log1p, the clamped log, log-sum-exp).
module Facts.Kernels

open System
open Xunit
open Engine
open Engine.Kernels
open Engine.Kernels.Reference
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
    mentions [ "at least 1"; "is 0" ] setting.Message
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

[<Fact>]
let ``every internal kernel and naive twin checks each buffer, the row stride and the thread count by name`` () =
    let z (n: int) : float[] = Array.zeroCreate n
    // One channel of 3×3, a 2×2 window at stride 1 without padding: Patch 4, Positions 4; a batch of 2 has 18 image values
    // and 8 columns (rowStride 8), with one output channel K has 4 values, the product and z 8 each.
    let shape = ConvolutionGeometry(1, 3, 3, 2, 2, 1, 0, 0, 2, 2)
    let forward images kernels columns stride product zs =
        ConvolutionPasses.Forward(ReadOnlySpan(z images), 2, &shape, ReadOnlySpan(z kernels), ReadOnlySpan(z 1), Span(z columns), stride, Span(z product), Span(z zs), 1)
    throwsFor "images" [ "[2, 9]" ] (fun () -> forward 17 4 32 8 8 8)
    throwsFor "kernels" [ "[1, 4]" ] (fun () -> forward 18 3 32 8 8 8)
    throwsFor "columns" [ "[4, 8]" ] (fun () -> forward 18 4 31 8 8 8)
    throwsFor "rowStride" [ "2 samples of 4 positions" ] (fun () -> forward 18 4 28 7 7 8)
    throwsFor "product" [ "[1, 8]" ] (fun () -> forward 18 4 32 8 7 8)
    throwsFor "z" [ "[2, 4]" ] (fun () -> forward 18 4 32 8 8 7)
    throwsFor "delta" [ "[1, 8]" ] (fun () ->
        ConvolutionPasses.InputGradient(ReadOnlySpan(z 4), ReadOnlySpan(z 7), 1, Span(z 32), 8, 2, &shape, Span(z 18), 1))
    throwsFor "images" [ "[2, 9]" ] (fun () -> ImageColumns.ImagesToColumns(ReadOnlySpan(z 17), 0, 2, &shape, Span(z 32), 8))
    throwsFor "columns" [ "[4, 8]" ] (fun () -> ImageColumns.ImagesToColumns(ReadOnlySpan(z 18), 0, 2, &shape, Span(z 31), 8))
    throwsFor "rowStride" [ "2 samples" ] (fun () -> ImageColumns.ImagesToColumns(ReadOnlySpan(z 18), 0, 2, &shape, Span(z 28), 7))
    throwsFor "images" [ "[2, 9]" ] (fun () -> ImageColumns.ColumnsToImages(ReadOnlySpan(z 32), 8, 0, 2, &shape, Span(z 17)))
    // Two channels of 4 positions for a batch of 2: 16 sample-major values, channel rows of at least 8.
    throwsFor "samples" [ "16" ] (fun () -> ChannelLayout.ToChannels(ReadOnlySpan(z 15), 2, 2, 4, Span(z 16), 8, 0, 2))
    throwsFor "channels" [ "[2, 8]" ] (fun () -> ChannelLayout.ToChannels(ReadOnlySpan(z 16), 2, 2, 4, Span(z 15), 8, 0, 2))
    throwsFor "rowStride" [ "2 samples" ] (fun () -> ChannelLayout.ToChannels(ReadOnlySpan(z 16), 2, 2, 4, Span(z 14), 7, 0, 2))
    throwsFor "samples" [ "16" ] (fun () -> ChannelLayout.ToSamples(ReadOnlySpan(z 16), 8, ReadOnlySpan(z 2), 4, Span(z 15), 0, 2))
    throwsFor "c" [ "[2, 3]" ] (fun () -> RowProducts.Outer(ReadOnlySpan(z 2), ReadOnlySpan(z 3), Span(z 5), 1.0))
    throwsFor "b" [ "[2, 3]"; "has 5" ] (fun () -> RowProducts.RowTimesMatrix(ReadOnlySpan(z 2), ReadOnlySpan(z 5), Span(z 3)))
    let step weights next zs = RowProducts.UpdateThenForward(ReadOnlySpan(z 2), ReadOnlySpan(z 3), 0.1, Span(z weights), ReadOnlySpan(z next), Span(z zs))
    throwsFor "weights" [ "[2, 3]" ] (fun () -> step 5 3 2)
    throwsFor "next" [ "3" ] (fun () -> step 6 2 2)
    throwsFor "z" [ "2" ] (fun () -> step 6 3 1)
    throwsFor "threads" [ "0" ] (fun () -> VectorOps.AddToRows(Span(z 6), 2, ReadOnlySpan(z 3), 0))
    throwsFor "threads" [ "0" ] (fun () -> VectorOps.SumColumns(ReadOnlySpan(z 6), 2, 1.0, Span(z 3), 0))
    throwsFor "exps" [ "3" ] (fun () -> VectorOps.ExpSum(ReadOnlySpan(z 3), 0.0, Span(z 2)))
    // The naive twins check as their kernels do; an empty exps asks ExpSum for the sum alone.
    throwsFor "m" [ "non-negative" ] (fun () -> NaiveProducts.Multiply(ReadOnlySpan(z 6), ReadOnlySpan(z 6), Span(z 4), -2, 2, 3))
    let naive : (float[] -> float[] -> float[] -> unit) list =
        [ (fun a b c -> NaiveProducts.MultiplyTransposedB(ReadOnlySpan a, ReadOnlySpan b, Span c, 2, 2, 3))
          (fun a b c -> NaiveProducts.Multiply(ReadOnlySpan a, ReadOnlySpan b, Span c, 2, 2, 3))
          (fun a b c -> NaiveProducts.MultiplyTransposedA(ReadOnlySpan a, ReadOnlySpan b, Span c, 2, 2, 3)) ]
    for product in naive do
        let call a b c = product (z a) (z b) (z c)
        throwsFor "a" [ "6" ] (fun () -> call 5 6 4)
        throwsFor "b" [ "6" ] (fun () -> call 6 5 4)
        throwsFor "c" [ "[2, 2]" ] (fun () -> call 6 6 3)
    throwsFor "y" [ "3" ] (fun () -> NaiveVectorOps.ScaledAdd(ReadOnlySpan(z 3), 1.0, Span(z 2)))
    throwsFor "matrix" [ "[2, 3]" ] (fun () -> NaiveVectorOps.AddToRows(Span(z 5), 2, ReadOnlySpan(z 3)))
    throwsFor "matrix" [ "[2, 3]" ] (fun () -> NaiveVectorOps.SumColumns(ReadOnlySpan(z 5), 2, 1.0, Span(z 3)))
    throwsFor "exps" [ "3" ] (fun () -> NaiveVectorOps.ExpSum(ReadOnlySpan(z 3), 0.0, Span(z 2)))
    throwsFor "y" [ "3" ] (fun () -> NaiveVectorOps.SquaredDistance(ReadOnlySpan(z 3), ReadOnlySpan(z 2)))
    Assert.Equal(3.0, NaiveVectorOps.ExpSum(ReadOnlySpan(z 3), 0.0, Span<float>.Empty))
    Assert.Equal(3.0, VectorOps.ExpSum(ReadOnlySpan(z 3), 0.0, Span<float>.Empty))

[<Fact>]
let ``the naive twins of the fused SGD row step and of the finiteness scan give every output their kernels give`` () =
    // W (2×3) takes the step W −= η·δ·xᵀ, then z = W·next: both the updated W and z are outputs.
    let run (step: float[] -> float[] -> unit) =
        let weights = [| 0.5; -1.0; 2.0; 0.25; 3.0; -0.75 |]
        let z = Array.zeroCreate 2
        step weights z
        weights, z
    let delta, input, next = [| 0.5; -2.0 |], [| 1.0; 2.0; -1.0 |], [| 2.0; -1.0; 0.5 |]
    let naive = run (fun w z -> NaiveRowProducts.UpdateThenForward(ReadOnlySpan delta, ReadOnlySpan input, 0.1, Span w, ReadOnlySpan next, Span z))
    let fused = run (fun w z -> RowProducts.UpdateThenForward(ReadOnlySpan delta, ReadOnlySpan input, 0.1, Span w, ReadOnlySpan next, Span z))
    // Within rounding: each value is a few products of short decimals, and the kernel may fuse them otherwise.
    let near (expected: float[]) (actual: float[]) =
        Assert.Equal(expected.Length, actual.Length)
        Array.iter2 (fun (e: float) a -> Assert.Equal(e, a, 12)) expected actual
    near [| 0.45; -1.1; 2.05; 0.45; 3.4; -0.95 |] (fst naive)
    near [| 3.025; -2.975 |] (snd naive)
    near (fst naive) (fst fused)
    near (snd naive) (snd fused)
    for values in [ [||]; [| 1.0; 2.0; 3.0 |]; Array.create 11 0.5 ] do
        Assert.Equal(-1, NaiveVectorOps.IndexOfNonFinite(ReadOnlySpan values))
        Assert.Equal(-1, VectorOps.IndexOfNonFinite(ReadOnlySpan values))
    Assert.Equal(2, NaiveVectorOps.IndexOfNonFinite(ReadOnlySpan [| 1.0; 2.0; nan; infinity |]))

[<Fact>]
let ``the vector kernels read and write only their spans, whole vectors, tails and thread ranges alike`` () =
    // Each span is the front of a longer buffer whose rest holds sentinels: a kernel that writes past its span changes them,
    // one that reads past it adds them in.
    for length in 0 .. 4 * Numerics.Vector<float>.Count + 3 do
        let buffer = Array.append (Array.init length (fun i -> float i)) [| 1000.0; 1000.0 |]
        VectorOps.AddScalar(Span(buffer, 0, length), 0.5)
        Assert.Equal<float[]>(Array.append (Array.init length (fun i -> float i + 0.5)) [| 1000.0; 1000.0 |], buffer)
        let x = Array.append (Array.create length 3.0) [| 7.0 |]
        let y = Array.append (Array.create length 1.0) [| -7.0 |]
        Assert.Equal(4.0 * float length, VectorOps.SquaredDistance(ReadOnlySpan(x, 0, length), ReadOnlySpan(y, 0, length)))
        Assert.Equal(3.0 * float length, VectorOps.Sum(ReadOnlySpan(x, 0, length)))
        Assert.Equal(9.0 * float length, VectorOps.SumOfSquares(ReadOnlySpan(x, 0, length)))
    // Large enough to split over two threads (rows · columns above RangeThreads.MinimumParallelWork).
    let rows, columns = 64, 1024
    let matrix = Array.init (rows * columns) (fun i -> float (i % 7))
    let sums = Array.append (Array.zeroCreate columns) (Array.create columns -1.0)
    VectorOps.SumColumns(ReadOnlySpan matrix, rows, 0.5, Span(sums, 0, columns), 2)
    let expected = Array.init columns (fun j -> 0.5 * Seq.sum (seq { for r in 0 .. rows - 1 -> matrix[r * columns + j] }))
    Assert.Equal<float[]>(Array.append expected (Array.create columns -1.0), sums)

[<Fact>]
let ``the standard normal draws have mean 0 and variance 1 within five standard errors`` () =
    // 200,000 draws from a fixed seed: the sample mean's standard error is 1/√n ≈ 0.0022 and the variance's √(2/n) ≈ 0.0032,
    // so 5 standard errors bound each. A Box–Muller angle of 2π/U instead of 2π·U gives a mean of about 0.05.
    let random = Random 20261129
    let n = 200_000
    let draws = Array.init n (fun _ -> Numerics.StandardNormal random)
    let mean = Array.average draws
    let variance = (draws |> Array.sumBy (fun d -> (d - mean) * (d - mean))) / float n
    Assert.InRange(mean, -5.0 / sqrt (float n), 5.0 / sqrt (float n))
    Assert.InRange(variance, 1.0 - 5.0 * sqrt (2.0 / float n), 1.0 + 5.0 * sqrt (2.0 / float n))
