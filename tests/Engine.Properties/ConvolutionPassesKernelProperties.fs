/// The convolution's fused passes (Kernels.ConvolutionPasses) against the passes they fuse, run one after another over the whole
/// batch on one thread — im2col per sample, the packed product, the layout copy plus the bias (forward); the packed product,
/// col2im per sample (input gradient) — bit for bit: at small shapes (a sample of the im2col property's geometries, batches of
/// 1 to 3), and at shapes whose samples' columns exceed a fused pass's chunk, so that each thread works through several chunks,
/// with each sample's columns a whole number of the product's strips and not, on 1, 2 and 3 threads.
module ConvolutionPassesKernelProperties

open System
open Xunit
open Xunit.Abstractions
open Engine.Kernels

let private differs what (expected: float[]) (actual: float[]) =
    ImageColumnsKernelProperties.firstDifference expected actual
    |> Option.iter (fun i -> failwithf "%s: element %d is %.17g, unfused %.17g" what i actual[i] expected[i])

/// Checks both passes of one convolution and batch on the given thread counts against the unfused passes.
let private check (shape: ConvolutionGeometry) (outChannels: int) (batch: int) (threadCounts: int list) =
    let random = Random(shape.GetHashCode() + 31 * outChannels + batch)
    let values n = Array.init n (fun _ -> random.NextDouble() - 0.5)
    let patch, positions, imageSize = shape.Patch, shape.Positions, shape.ImageSize
    let rowStride = MatrixProducts.LeadingDimension(batch * positions)
    let images, kernels, bias = values (batch * imageSize), values (outChannels * patch), values outChannels
    let delta = Array.init (outChannels * rowStride) (fun i -> if i % rowStride < batch * positions then random.NextDouble() - 0.5 else 0.0)
    let padded = Array.zeroCreate shape.PaddedSize
    // Unfused forward: im2col of every sample, one product over the batch's columns, the layout copy.
    let columns = Array.zeroCreate (patch * rowStride)
    for b in 0 .. batch - 1 do
        ImageColumns.ImageToColumns(ReadOnlySpan(images, b * imageSize, imageSize), &shape, Span padded, Span columns, rowStride, b * positions)
    let product = Array.zeroCreate (outChannels * rowStride)
    MatrixProducts.Multiply(ReadOnlySpan kernels, ReadOnlySpan columns, Span product, outChannels, rowStride, patch)
    let z = Array.zeroCreate (batch * outChannels * positions)
    ChannelLayout.ToSamples(ReadOnlySpan product, rowStride, ReadOnlySpan bias, positions, Span z, 0, batch)
    // Unfused input gradient: one product Kᵀ·δ, col2im of every sample.
    let columnGradient = Array.zeroCreate (patch * rowStride)
    MatrixProducts.MultiplyTransposedA(ReadOnlySpan kernels, ReadOnlySpan delta, Span columnGradient, patch, rowStride, outChannels)
    let imageGradient = Array.zeroCreate (batch * imageSize)
    for b in 0 .. batch - 1 do
        ImageColumns.ColumnsToImage(ReadOnlySpan columnGradient, rowStride, b * positions, &shape, Span padded, Span(imageGradient, b * imageSize, imageSize))
    for threads in threadCounts do
        let what = sprintf "%A, %d output channels, batch %d, %d threads" shape outChannels batch threads
        let fusedColumns, fusedProduct, fusedZ = Array.zeroCreate columns.Length, Array.zeroCreate product.Length, Array.create z.Length nan
        ConvolutionPasses.Forward(ReadOnlySpan images, batch, &shape, ReadOnlySpan kernels, ReadOnlySpan bias, Span fusedColumns, rowStride,
                                  Span fusedProduct, Span fusedZ, threads)
        differs ("forward column matrix, " + what) columns fusedColumns
        differs ("forward product, " + what) product fusedProduct
        differs ("forward z, " + what) z fusedZ
        let fusedColumnGradient, fusedImageGradient = Array.zeroCreate columnGradient.Length, Array.create imageGradient.Length nan
        ConvolutionPasses.InputGradient(ReadOnlySpan kernels, ReadOnlySpan delta, outChannels, Span fusedColumnGradient, rowStride, batch, &shape,
                                        Span fusedImageGradient, threads)
        differs ("input gradient's column matrix, " + what) columnGradient fusedColumnGradient
        differs ("input gradient, " + what) imageGradient fusedImageGradient

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``the fused passes equal the unfused passes bit for bit at small shapes`` () =
        let mutable cases = 0
        // Every 23rd geometry: the im2col property covers each one; here the wiring of the passes is what is checked.
        for shape in ImageColumnsKernelProperties.geometries |> Seq.indexed |> Seq.filter (fun (i, _) -> i % 23 = 0) |> Seq.map snd do
            for outChannels, batch in [ 1, 1; 3, 2; 2, 3 ] do
                check shape outChannels batch [ 1 ]
                cases <- cases + 1
        output.WriteLine(sprintf "%d cases checked" cases)

    [<Fact>]
    member _.``the fused passes equal the unfused passes bit for bit when threads work through several chunks`` () =
        // (convolution, output channels, batch): the CNN's second convolution (64 positions, 4 strips of 16 a sample); 49
        // positions a sample, so that chunks and threads start inside a strip; stride 2 with 25 positions.
        let cases =
            [ ConvolutionGeometry(16, 8, 8, 3, 3, 1, 1, 1, 8, 8), 32, 32
              ConvolutionGeometry(16, 7, 7, 3, 3, 1, 1, 1, 7, 7), 16, 29
              ConvolutionGeometry(8, 9, 9, 3, 3, 2, 1, 1, 5, 5), 32, 120 ]
        for shape, outChannels, batch in cases do
            // At least two chunks per thread on three threads (a chunk: the samples whose columns fit 2¹⁵ values), and enough
            // work for the passes to split over threads.
            let chunk = max 1 ((1 <<< 15) / (shape.Patch * shape.Positions))
            Assert.True(batch / 3 >= 2 * chunk, sprintf "%A: a thread has fewer than two chunks of %d samples" shape chunk)
            Assert.True(float (outChannels * shape.Patch * shape.Positions * batch) >= ProductThreads.MinimumParallelWork, sprintf "%A is not split" shape)
            check shape outChannels batch [ 1; 2; 3 ]
