/// Products split their columns over threads; every output is still the same fixed-order sum, so results are bit-identical
/// whatever the thread count.
module Threads

open System
open Xunit
open Engine.Kernels
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Training
open KernelProperties

/// Runs `compute` with each thread count.
let private withThreads (counts: int list) (compute: int -> 'a) = counts |> List.map (fun t -> t, compute t)

let private assertBitIdentical (what: string) (results: (int * float[]) list) =
    let _, reference = List.head results
    for threads, result in List.tail results do
        let index = Array.zip reference result |> Array.tryFindIndex (fun (x, y) -> BitConverter.DoubleToInt64Bits x <> BitConverter.DoubleToInt64Bits y)
        Assert.True(index.IsNone, sprintf "%s: on %d threads element %A differs from one thread" what threads index)

/// Large enough to be split over threads (ProductThreads.MinimumParallelWork) and to cross every block boundary
/// (PackedProduct.RowBlock, ColumnBlock, SharedBlock), with a right edge that cuts a micro-tile.
let private large product =
    { Product = product; M = PackedProduct.RowBlock + PackedProduct.MicroRows + 1; N = PackedProduct.ColumnBlock + PackedProduct.MicroColumns + 3
      K = PackedProduct.SharedBlock + 5; Alpha = -0.5; Accumulate = true; Offset = 3; Seed = 11 }

type Tests() =
    [<Fact>]
    member _.``a large product equals the naive loop and MathNet across every block boundary`` () =
        for product in [ ABt; AB; AtB ] do
            let s = large product
            Assert.True(float s.M * float s.N * float s.K >= ProductThreads.MinimumParallelWork)
            let failures = check s
            Assert.True(failures.Count = 0, sprintf "%A: %s" s (String.Join("\n", Seq.truncate 3 failures)))

    [<Fact>]
    member _.``a large product is bit-identical on 1, 2 and 3 threads`` () =
        for product in [ ABt; AB; AtB ] do
            let s = large product
            let random = Random s.Seed
            let a = Array.init (s.M * s.K) (fun _ -> random.NextDouble() - 0.5)
            let b = Array.init (s.N * s.K) (fun _ -> random.NextDouble() - 0.5)
            let c0 = Array.init (s.M * s.N) (fun _ -> random.NextDouble())
            let compute threads =
                let c = Array.copy c0
                match product with
                | ABt -> MatrixProducts.MultiplyTransposedB(ReadOnlySpan a, ReadOnlySpan b, Span c, s.M, s.N, s.K, s.Alpha, true, threads)
                | AB -> MatrixProducts.Multiply(ReadOnlySpan a, ReadOnlySpan b, Span c, s.M, s.N, s.K, s.Alpha, true, threads)
                | AtB -> MatrixProducts.MultiplyTransposedA(ReadOnlySpan a, ReadOnlySpan b, Span c, s.M, s.N, s.K, s.Alpha, true, threads)
                c
            withThreads [ 1; 2; 3 ] compute |> assertBitIdentical (sprintf "%A" product)

    [<Fact>]
    member _.``training is bit-identical on 1, 2 and 3 threads`` () =
        let train threads =
            let network = Network.Dense([| 300; 160; 10 |], Relu(), Softmax())
            network.Threads <- threads
            network.Initialize(WeightInitialization.He, 5)
            let batch = 64
            let random = Random 6
            let x = Array.init (batch * 300) (fun _ -> random.NextDouble())
            let y = Array.init batch (fun _ -> float (random.Next 10))
            for _ in 1 .. 5 do
                network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan y, batch, SparseCategoricalCrossEntropy()) |> ignore
                Sgd.Step(network, 0.05)
            network.Parameters |> Seq.collect _.Values |> Array.ofSeq
        withThreads [ 1; 2; 3 ] train |> assertBitIdentical "parameters after 5 steps"

    [<Fact>]
    member _.``a training step whose products run on two threads allocates 0 bytes after warm-up`` () =
        let network = Network.Dense([| 300; 160; 10 |], Relu(), Softmax())
        network.Initialize(WeightInitialization.He, 5)
        network.Threads <- 2
        Assert.True(64.0 * 300.0 * 160.0 >= ProductThreads.MinimumParallelWork)
        Allocation.assertStepsAllocateNothing network 64

    [<Fact>]
    member _.``a thread count below 1 is refused with its value, by a product and by a network`` () =
        let product = Assert.Throws<ArgumentOutOfRangeException>(fun () ->
            MatrixProducts.Multiply(ReadOnlySpan [| 1.0 |], ReadOnlySpan [| 1.0 |], Span [| 0.0 |], 1, 1, 1, 1.0, false, 0))
        Assert.Equal("threads", product.ParamName)
        Assert.Contains("at least 1, but is 0", product.Message)
        let network = Network.Dense([| 2; 1 |], Relu(), Identity())
        let setting = Assert.Throws<ArgumentOutOfRangeException>(fun () -> network.Threads <- 0)
        Assert.Equal("Threads", setting.ParamName)
        Assert.Equal(Environment.ProcessorCount, network.Threads)
