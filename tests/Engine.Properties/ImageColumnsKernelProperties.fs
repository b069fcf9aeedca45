/// im2col and col2im (Kernels.ImageColumns) against their naive twin (Kernels.Reference.NaiveImageColumns), bit for bit, at every
/// convolution shape up to small bounds: channels, image height and width (to 2·Count + 3, so that rows cover the vector loop and
/// its tail), kernel height and width, stride and each side's padding; each sample written into a block of a wider batch matrix
/// whose other entries must stay as they were.
module ImageColumnsKernelProperties

open System
open Xunit
open Xunit.Abstractions
open Engine.Kernels

let private lanes = Numerics.Vector<float>.Count

/// Every geometry whose kernel fits the padded image, with the bottom and right padding that the output size leaves over.
let geometries =
    seq {
        for channels in [ 1; 2 ] do
            for height in 1 .. 4 do
                for width in 1 .. 2 * lanes + 3 do
                    for kernelHeight in 1 .. 3 do
                        for kernelWidth in 1 .. 4 do
                            for stride in 1 .. 3 do
                                for top, bottom in [ 0, 0; 0, 1; 1, 1; 1, 2; 2, 2 ] do
                                    for left, right in [ 0, 0; 0, 1; 1, 1; 1, 2; 2, 2 ] do
                                        let spanHeight, spanWidth = height + top + bottom - kernelHeight, width + left + right - kernelWidth
                                        if spanHeight >= 0 && spanWidth >= 0 then
                                            yield ConvolutionGeometry(channels, height, width, kernelHeight, kernelWidth, stride, top, left,
                                                                      spanHeight / stride + 1, spanWidth / stride + 1)
    }

/// The first index at which two arrays differ in any bit.
let firstDifference (a: float[]) (b: float[]) =
    Seq.zip a b |> Seq.tryFindIndex (fun (x, y) -> BitConverter.DoubleToInt64Bits x <> BitConverter.DoubleToInt64Bits y)

/// The sample's block in a batch matrix: two samples' columns and three more, the sample second.
let private layout (shape: ConvolutionGeometry) = 2 * shape.Positions + 3, shape.Positions + 1

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``im2col equals its naive twin bit for bit at every shape, inside a wider batch matrix`` () =
        let mutable cases = 0
        for shape in geometries do
            let random = Random cases
            let rowStride, offset = layout shape
            let image = Array.init (shape.Channels * shape.Height * shape.Width) (fun _ -> random.NextDouble() - 0.5)
            let guard = Array.init (shape.Patch * rowStride) (fun i -> 1e300 + float i)
            let fast, naive = Array.copy guard, Array.copy guard
            ImageColumns.ImageToColumns(ReadOnlySpan image, &shape, Span(Array.create shape.PaddedSize nan), Span fast, rowStride, offset)
            Reference.NaiveImageColumns.ImageToColumns(ReadOnlySpan image, &shape, Span naive, rowStride, offset)
            let differs = firstDifference fast naive
            differs |> Option.iter (fun i -> failwithf "%A: column matrix element %d is %.17g, naive %.17g" shape i fast[i] naive[i])
            cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)

    [<Fact>]
    member _.``col2im equals its naive twin bit for bit at every shape, reading one sample's block of a wider batch matrix`` () =
        let mutable cases = 0
        for shape in geometries do
            let random = Random cases
            let rowStride, offset = layout shape
            let columns = Array.init (shape.Patch * rowStride) (fun _ -> random.NextDouble() - 0.5)
            let size = shape.Channels * shape.Height * shape.Width
            // The image buffer is longer than the image: its tail must stay as it was.
            let fast, naive = Array.create (size + 3) 7.0, Array.create (size + 3) 7.0
            ImageColumns.ColumnsToImage(ReadOnlySpan columns, rowStride, offset, &shape, Span(Array.create shape.PaddedSize nan), Span(fast, 0, size))
            Reference.NaiveImageColumns.ColumnsToImage(ReadOnlySpan columns, rowStride, offset, &shape, Span(naive, 0, size))
            let differs = firstDifference fast naive
            differs |> Option.iter (fun i -> failwithf "%A: image element %d is %.17g, naive %.17g" shape i fast[i] naive[i])
            cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)
