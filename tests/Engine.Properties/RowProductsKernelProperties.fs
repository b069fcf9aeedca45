/// The products of a batch of one (Kernels.RowProducts) against their naive twin (Kernels.Reference.NaiveRowProducts) and the
/// packed products they stand in for, bit for bit, at every shape up to 4·Count + 3 in each dimension (and a shared dimension of
/// a full packed block), inside larger buffers whose other elements must stay as they were.
module RowProductsKernelProperties

open System
open Xunit
open Xunit.Abstractions
open Engine.Kernels

let private lanes = Numerics.Vector<float>.Count

let private sizes = [ yield! [ 0 .. 4 * lanes + 3 ]; PackedProduct.SharedBlock ]

/// Values with zeros of both signs among them, so that the sign of a zero product is checked too.
let private draw (random: Random) length = Array.init length (fun _ -> match random.Next 8 with 0 -> 0.0 | 1 -> -0.0 | _ -> random.NextDouble() - 0.5)

/// C inside a buffer with guards on both sides.
let private guarded length = Array.init (length + 6) (fun i -> if i < 3 || i >= length + 3 then 777.0 else nan)

let private same (what: string) (expected: float[]) (actual: float[]) =
    ImageColumnsKernelProperties.firstDifference expected actual
    |> Option.iter (fun i -> failwithf "%s: element %d is %.17g, expected %.17g" what i actual[i] expected[i])

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``the outer product equals its naive twin and the packed product with k = 1, bit for bit, at every shape`` () =
        let mutable cases = 0
        for m in sizes do
            for n in sizes do
                let random = Random(m * 1000 + n)
                let a, b = draw random m, draw random n
                let alpha = if (m + n) % 2 = 0 then 1.0 else 0.5
                let fast, naive, packed = guarded (m * n), guarded (m * n), guarded (m * n)
                RowProducts.Outer(ReadOnlySpan a, ReadOnlySpan b, Span(fast, 3, m * n), alpha)
                Reference.NaiveRowProducts.Outer(ReadOnlySpan a, ReadOnlySpan b, Span(naive, 3, m * n), alpha)
                MatrixProducts.MultiplyTransposedA(ReadOnlySpan a, ReadOnlySpan b, Span(packed, 3, m * n), m, n, 1, alpha)
                same (sprintf "outer %d × %d vs naive" m n) naive fast
                same (sprintf "outer %d × %d vs packed" m n) packed fast
                cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)

    [<Fact>]
    member _.``a row times a matrix equals its naive twin and the packed product with m = 1, bit for bit, at every shape`` () =
        let mutable cases = 0
        for k in sizes do
            for n in sizes do
                let random = Random(k * 1000 + n)
                let a, b = draw random k, draw random (k * n)
                let fast, naive, packed = guarded n, guarded n, guarded n
                RowProducts.RowTimesMatrix(ReadOnlySpan a, ReadOnlySpan b, Span(fast, 3, n))
                Reference.NaiveRowProducts.RowTimesMatrix(ReadOnlySpan a, ReadOnlySpan b, Span(naive, 3, n))
                MatrixProducts.Multiply(ReadOnlySpan a, ReadOnlySpan b, Span(packed, 3, n), 1, n, k)
                same (sprintf "row × matrix, k = %d, n = %d vs naive" k n) naive fast
                same (sprintf "row × matrix, k = %d, n = %d vs packed" k n) packed fast
                cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)

    [<Fact>]
    member _.``the fused SGD step and forward product equals its naive twin's update and the product it replaces, bit for bit, at every shape`` () =
        let mutable cases = 0
        for m in sizes do
            for n in sizes do
                let random = Random(m * 1000 + n + 7)
                let delta, input, next, weights = draw random m, draw random n, draw random n, draw random (m * n)
                let rate = 0.25 + random.NextDouble()
                let fast, naive = guarded (m * n), guarded (m * n)
                Array.blit weights 0 fast 3 (m * n)
                Array.blit weights 0 naive 3 (m * n)
                let z, naiveZ, productZ = guarded m, guarded m, guarded m
                RowProducts.UpdateThenForward(ReadOnlySpan delta, ReadOnlySpan input, rate, Span(fast, 3, m * n), ReadOnlySpan next, Span(z, 3, m))
                Reference.NaiveRowProducts.UpdateThenForward(ReadOnlySpan delta, ReadOnlySpan input, rate, Span(naive, 3, m * n), ReadOnlySpan next, Span(naiveZ, 3, m))
                same (sprintf "fused step %d × %d: W vs naive" m n) naive fast
                // z must be the forward product's own sums through the updated W, not merely close to them.
                MatrixProducts.MultiplyTransposedB(ReadOnlySpan next, ReadOnlySpan(naive, 3, m * n), Span(productZ, 3, m), 1, m, n)
                same (sprintf "fused step %d × %d: z vs the forward product" m n) productZ z
                for i in 0 .. m - 1 do
                    let magnitude = Seq.sum (seq { for p in 0 .. n - 1 -> abs (next[p] * naive[3 + i * n + p]) })
                    if abs (z[3 + i] - naiveZ[3 + i]) > 1e-12 * magnitude then
                        failwithf "fused step %d × %d: z[%d] = %.17g, naive %.17g" m n i z[3 + i] naiveZ[3 + i]
                cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively (Vector<double>.Count = %d)" cases lanes)
