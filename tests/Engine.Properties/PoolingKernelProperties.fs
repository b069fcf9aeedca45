/// The pooling kernels (Kernels.Pooling) against their naive twin (Kernels.Reference.NaivePooling), bit for bit, at every pooling shape
/// up to small bounds: channels, image height and width (to 2·Count + 3, so that rows hold several vectors of windows and a tail),
/// window size and stride. Values come from a small set with ±0, ±∞ and NaN, so that windows tie often and hold every kind of
/// value; the first maximum in row-major order must win every tie, as in the naive twin.
module PoolingKernelProperties

open System
open Xunit
open Xunit.Abstractions
open Engine.Kernels

let private lanes = Numerics.Vector<float>.Count

/// Every geometry whose window fits the image.
let geometries =
    seq {
        for channels in [ 1; 2 ] do
            for height in 1 .. 6 do
                for width in 1 .. 2 * lanes + 3 do
                    for size in 1 .. min 4 (min height width) do
                        for stride in 1 .. 3 do
                            yield PoolingGeometry(channels, height, width, size, stride, (height - size) / stride + 1, (width - size) / stride + 1)
    }

let private values = [| 0.0; -0.0; 1.0; 1.0; 2.0; -1.0; 0.5; infinity; -infinity; nan |]

/// Buffers one longer than the kernels may write, ending in a guard that must stay as it was.
let private buffer (length: int) (fill: int -> float) = Array.init (length + 1) (fun i -> if i < length then fill i else 12345.0)

let private sameBits (what: string) (shape: PoolingGeometry) (fast: float[]) (naive: float[]) =
    ImageColumnsKernelProperties.firstDifference fast naive
    |> Option.iter (fun i -> failwithf "%A: %s element %d is %.17g, naive %.17g" shape what i fast[i] naive[i])

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``max pooling and its gradient equal their naive twin bit for bit at every shape, ties and non-finite values included`` () =
        let mutable cases = 0
        for shape in geometries do
            let random = Random cases
            let image = Array.init shape.InputSize (fun _ -> values[random.Next(if cases % 2 = 0 then 4 else values.Length)])
            let fast, naive = buffer shape.OutputSize (fun _ -> 0.0), buffer shape.OutputSize (fun _ -> 0.0)
            let fastChosen, naiveChosen = Array.zeroCreate shape.OutputSize, Array.zeroCreate shape.OutputSize
            Pooling.Max(ReadOnlySpan image, &shape, Span(fast, 0, shape.OutputSize), Span fastChosen)
            Reference.NaivePooling.Max(ReadOnlySpan image, &shape, Span(naive, 0, shape.OutputSize), Span naiveChosen)
            sameBits "output" shape fast naive
            if fastChosen <> naiveChosen then failwithf "%A: chosen %A, naive %A" shape fastChosen naiveChosen
            let delta = Array.init shape.OutputSize (fun _ -> random.NextDouble() - 0.5)
            let fastGradient, naiveGradient = buffer shape.InputSize (fun _ -> nan), buffer shape.InputSize (fun _ -> nan)
            Pooling.MaxGradient(ReadOnlySpan delta, ReadOnlySpan fastChosen, &shape, Span(fastGradient, 0, shape.InputSize))
            Reference.NaivePooling.MaxGradient(ReadOnlySpan delta, ReadOnlySpan naiveChosen, &shape, Span(naiveGradient, 0, shape.InputSize))
            sameBits "gradient" shape fastGradient naiveGradient
            cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)

    [<Fact>]
    member _.``average pooling and its gradient equal their naive twin bit for bit at every shape`` () =
        let mutable cases = 0
        for shape in geometries do
            let random = Random cases
            let image = Array.init shape.InputSize (fun _ -> random.NextDouble() - 0.5)
            let fast, naive = buffer shape.OutputSize (fun _ -> 0.0), buffer shape.OutputSize (fun _ -> 0.0)
            Pooling.Average(ReadOnlySpan image, &shape, Span(fast, 0, shape.OutputSize))
            Reference.NaivePooling.Average(ReadOnlySpan image, &shape, Span(naive, 0, shape.OutputSize))
            sameBits "output" shape fast naive
            let delta = Array.init shape.OutputSize (fun _ -> random.NextDouble() - 0.5)
            let fastGradient, naiveGradient = buffer shape.InputSize (fun _ -> nan), buffer shape.InputSize (fun _ -> nan)
            Pooling.AverageGradient(ReadOnlySpan delta, &shape, Span(fastGradient, 0, shape.InputSize))
            Reference.NaivePooling.AverageGradient(ReadOnlySpan delta, &shape, Span(naiveGradient, 0, shape.InputSize))
            sameBits "gradient" shape fastGradient naiveGradient
            cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)
