/// A convolution's layout copies (Kernels.ChannelLayout) against their naive twin (Kernels.Reference.NaiveChannelLayout), bit for
/// bit, at every shape up to small bounds (batch, channels, positions to 4·Count + 3, a row stride with and without spare
/// columns, which must stay as they were), each copy made in two ranges (of samples, of channels), as two threads of the
/// convolution's passes make it; the threads themselves are the network facts' subject (Facts.Kernels, a CNN on 1, 2 and 3
/// threads).
module ChannelLayoutKernelProperties

open System
open Xunit
open Xunit.Abstractions
open Engine.Kernels

let private lanes = Numerics.Vector<float>.Count

let private check (batch: int) (count: int) (positions: int) (spare: int) =
    let random = Random(batch * 10000 + count * 100 + positions)
    let rowStride = batch * positions + spare
    let channels = Array.init (count * rowStride) (fun _ -> random.NextDouble() - 0.5)
    let bias = Array.init count (fun _ -> random.NextDouble() - 0.5)
    let samples = Array.init (batch * count * positions) (fun _ -> random.NextDouble() - 0.5)
    let what = sprintf "batch %d, %d channels, %d positions, row stride %d" batch count positions rowStride
    let fast, naive = Array.create samples.Length nan, Array.create samples.Length nan
    let split = batch / 2
    ChannelLayout.ToSamples(ReadOnlySpan channels, rowStride, ReadOnlySpan bias, positions, Span fast, 0, split)
    ChannelLayout.ToSamples(ReadOnlySpan channels, rowStride, ReadOnlySpan bias, positions, Span fast, split, batch)
    Reference.NaiveChannelLayout.ToSamples(ReadOnlySpan channels, rowStride, ReadOnlySpan bias, batch, positions, Span naive)
    ImageColumnsKernelProperties.firstDifference naive fast |> Option.iter (fun i -> failwithf "ToSamples, %s: element %d" what i)
    let fast, naive = Array.copy channels, Array.copy channels
    ChannelLayout.ToChannels(ReadOnlySpan samples, batch, count, positions, Span fast, rowStride, 0, count / 2)
    ChannelLayout.ToChannels(ReadOnlySpan samples, batch, count, positions, Span fast, rowStride, count / 2, count)
    Reference.NaiveChannelLayout.ToChannels(ReadOnlySpan samples, batch, count, positions, Span naive, rowStride)
    ImageColumnsKernelProperties.firstDifference naive fast |> Option.iter (fun i -> failwithf "ToChannels, %s: element %d" what i)

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``the layout copies equal their naive twin bit for bit at every shape`` () =
        let mutable cases = 0
        for batch in 1 .. 3 do
            for count in 1 .. 3 do
                for positions in 0 .. 4 * lanes + 3 do
                    for spare in [ 0; 5 ] do
                        check batch count positions spare
                        cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)
