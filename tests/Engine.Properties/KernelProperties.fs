/// Property 4: each SIMD kernel against its naive twin (Engine.Kernels.Reference, the specification) and MathNet.Numerics, at
/// every shape from 0 to 4·Count + 3 in each dimension (columns to two micro-tiles + 3), at offsets inside larger buffers whose other elements must stay untouched.
module KernelProperties

open System
open System.Numerics
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open Engine.Kernels
open Engine.Kernels.Reference
open Engine.Verification

let lanes = System.Numerics.Vector<float>.Count

let maxDimension = 4 * lanes + 3

/// Columns up to two micro-tiles and a cut one, whichever vector width the products' micro-kernel uses.
let maxColumns = max maxDimension (2 * PackedProduct.MicroColumns + 3)

let productLog = Accuracy "4. matrix products vs their naive twins and MathNet"

/// The three products: C = α·A·Bᵀ, α·A·B and α·Aᵀ·B.
type Product =
    | ABt
    | AB
    | AtB

/// A product, its dimensions, α, whether it accumulates, the buffers' offset and the seed.
type Shape = { Product: Product; M: int; N: int; K: int; Alpha: float; Accumulate: bool; Offset: int; Seed: int }

let shapes =
    gen {
        let! product = Gen.elements [ ABt; AB; AtB ]
        let! m = Gen.choose (0, maxDimension)
        let! n = Gen.choose (0, maxColumns)
        let! k = Gen.choose (0, maxDimension)
        let! alpha = Gen.elements [ 1.0; 0.5; -2.0 ]
        let! accumulate = Gen.elements [ false; true ]
        let! offset = Gen.choose (0, 7)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Product = product; M = m; N = n; K = k; Alpha = alpha; Accumulate = accumulate; Offset = offset; Seed = seed }
    } |> Arb.fromGen

/// Element (i, p) of op(A) and (p, j) of op(B), read from the stored row-major arrays.
let private operands (s: Shape) (a: float[]) (b: float[]) =
    let opA i p = match s.Product with AtB -> a[p * s.M + i] | _ -> a[i * s.K + p]
    let opB p j = match s.Product with ABt -> b[j * s.K + p] | _ -> b[p * s.N + j]
    opA, opB

/// Runs the product on the buffers' slices at the shape's offset: the engine's kernel, or with `naive` its twin.
let private run naive (s: Shape) (a: float[]) (b: float[]) (c: float[]) =
    let o = s.Offset
    let a = ReadOnlySpan(a, o, s.M * s.K)
    let b = ReadOnlySpan(b, o, s.N * s.K)
    let c = Span(c, o, s.M * s.N)
    match s.Product, naive with
    | ABt, false -> MatrixProducts.MultiplyTransposedB(a, b, c, s.M, s.N, s.K, s.Alpha, s.Accumulate)
    | AB, false -> MatrixProducts.Multiply(a, b, c, s.M, s.N, s.K, s.Alpha, s.Accumulate)
    | AtB, false -> MatrixProducts.MultiplyTransposedA(a, b, c, s.M, s.N, s.K, s.Alpha, s.Accumulate)
    | ABt, true -> NaiveProducts.MultiplyTransposedB(a, b, c, s.M, s.N, s.K, s.Alpha, s.Accumulate)
    | AB, true -> NaiveProducts.Multiply(a, b, c, s.M, s.N, s.K, s.Alpha, s.Accumulate)
    | AtB, true -> NaiveProducts.MultiplyTransposedA(a, b, c, s.M, s.N, s.K, s.Alpha, s.Accumulate)

/// |c − reference| ≤ 1e-12·(|C₀| + |α|·Σₚ|A(i,p)·B(p,j)|): relative to the size of the terms summed, the standard
/// bound for a dot product whose summation order differs. The errors go to `log` (the random property's or the chosen shapes'), so
/// the property's report does not depend on which test ran first.
let checkInto (log: Accuracy) (s: Shape) =
    let random = Random s.Seed
    let guard = 1e300
    let fill length = Array.init (s.Offset + length + 5) (fun i -> if i < s.Offset || i >= s.Offset + length then guard else random.NextDouble() * 2.0 - 1.0)
    let a, b, c = fill (s.M * s.K), fill (s.N * s.K), fill (s.M * s.N)
    let before = Array.copy c
    run false s a b c
    let naive = Array.copy before
    run true s a b naive
    // The size of the terms summed, |C₀| + |α|·Σₚ|A(i,p)·B(p,j)|: the naive twin on the absolute values.
    let magnitudes = Array.map abs before
    run true { s with Alpha = abs s.Alpha } (Array.map abs a) (Array.map abs b) magnitudes
    let opA, opB = operands s (Array.sub a s.Offset (s.M * s.K)) (Array.sub b s.Offset (s.N * s.K))
    let mathNet =
        if s.M = 0 || s.N = 0 then Matrix<float>.Build.Dense(max 1 s.M, max 1 s.N)
        elif s.K = 0 then Matrix<float>.Build.Dense(s.M, s.N)
        else Matrix<float>.Build.Dense(s.M, s.K, fun i p -> opA i p) * Matrix<float>.Build.Dense(s.K, s.N, fun p j -> opB p j)
    let failures = ResizeArray<string>()
    log.Configuration()
    for index in 0 .. c.Length - 1 do
        let inside = index >= s.Offset && index < s.Offset + s.M * s.N
        if not inside && c[index] <> before[index] then failures.Add(sprintf "wrote outside C at %d" index)
        if inside then
            let i, j = (index - s.Offset) / s.N, (index - s.Offset) % s.N
            let initial = if s.Accumulate then before[index] else 0.0
            let reference = initial + s.Alpha * mathNet[i, j]
            for name, expected in [ "naive twin", naive[index]; "MathNet", reference ] do
                let error = if c[index] = expected then 0.0 else abs (c[index] - expected) / magnitudes[index]
                log.Add error
                if not (error <= 1e-12) then failures.Add(sprintf "C[%d, %d] = %.17g, %s %.17g" i j c[index] name expected)
    failures

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``the three matrix products equal their naive twins and MathNet at every shape up to 4·Count + 3, inside larger buffers`` () =
        Suite.check output "4. matrix products" 1000 [ productLog ] (fun () -> []) shapes (fun s -> Outcome.OfFailures(checkInto productLog s))

    [<Fact>]
    member _.``every product of every shape in 0..4·Count + 3 in each dimension (columns to two micro-tiles + 3) passes, exhaustively`` () =
        let mutable cases = 0
        for product in [ ABt; AB; AtB ] do
            for m in 0 .. maxDimension do
                for n in 0 .. maxColumns do
                    for k in [ 0; 1; lanes - 1; lanes; lanes + 1; 2 * lanes + 3; maxDimension; PackedProduct.SharedBlock + 1 ] do
                        let s = { Product = product; M = m; N = n; K = k; Alpha = 1.0; Accumulate = (m + n) % 2 = 0; Offset = (m * n) % 3; Seed = m * 1000 + n * 10 + k }
                        let failures = checkInto (Accuracy "4. matrix products at chosen shapes") s
                        Assert.True(failures.Count = 0, sprintf "%A: %s" s (String.Join("\n", Seq.truncate 3 failures)))
                        cases <- cases + 1
        output.WriteLine(sprintf "%d shapes checked exhaustively, Vector<double> of %d lanes, the %s micro-kernel of %d × %d" cases lanes
                            (if PackedProduct.Uses512Bits then "512-bit" else "Vector<double>") PackedProduct.MicroRows PackedProduct.MicroColumns)

/// The vector kernels against their naive twins at every length from 0 to 4·Count + 3: bit for bit where both round each
/// element once, within the reordering bound for the sums (and the exponential's 2 ulp for ExpSum).
[<Fact>]
let ``the vector kernels equal their naive twins at every length from 0 to 4·Count + 3`` () =
    for length in 0 .. maxDimension do
        let random = Random length
        let x = Array.init length (fun _ -> random.NextDouble() - 0.5)
        let y = Array.init length (fun _ -> random.NextDouble() - 0.5)
        /// The kernel and its twin applied to copies of the same vector, which must end bit-identical.
        let same (name: string) (initial: float[]) (kernel: float[] -> unit) (twin: float[] -> unit) =
            let fast, naive = Array.copy initial, Array.copy initial
            kernel fast
            twin naive
            Assert.True((fast = naive), sprintf "%s, length %d: %A vs the naive twin's %A" name length fast naive)
        same "ScaledAdd" y (fun v -> VectorOps.ScaledAdd(ReadOnlySpan x, -0.3, Span v)) (fun v -> NaiveVectorOps.ScaledAdd(ReadOnlySpan x, -0.3, Span v))
        same "Scale" x (fun v -> VectorOps.Scale(Span v, 1.7)) (fun v -> NaiveVectorOps.Scale(Span v, 1.7))
        same "AddScalar" x (fun v -> VectorOps.AddScalar(Span v, 0.3)) (fun v -> NaiveVectorOps.AddScalar(Span v, 0.3))
        for rows in [ 0; 1; 3 ] do
            let matrix = Array.init (rows * length) (fun _ -> random.NextDouble())
            same "AddToRows" matrix (fun m -> VectorOps.AddToRows(Span m, rows, ReadOnlySpan x)) (fun m -> NaiveVectorOps.AddToRows(Span m, rows, ReadOnlySpan x))
            same "SumColumns" (Array.zeroCreate length) (fun v -> VectorOps.SumColumns(ReadOnlySpan matrix, rows, 0.5, Span v)) (fun v -> NaiveVectorOps.SumColumns(ReadOnlySpan matrix, rows, 0.5, Span v))
        // The same non-negative terms summed in another order (vector lanes, fused multiply-adds): within (n − 1)·2⁻⁵³ ≤ 4e-15 relatively.
        let sameSum (name: string) (expected: float) (actual: float) =
            Assert.True(Numerical.relativeError 0.0 expected actual <= 4e-15, sprintf "%s, length %d: %.17g vs the naive twin's %.17g" name length actual expected)
        let positive = Array.map abs x
        sameSum "Sum" (NaiveVectorOps.Sum(ReadOnlySpan positive)) (VectorOps.Sum(ReadOnlySpan positive))
        sameSum "SumOfSquares" (NaiveVectorOps.SumOfSquares(ReadOnlySpan x)) (VectorOps.SumOfSquares(ReadOnlySpan x))
        sameSum "SquaredDistance" (NaiveVectorOps.SquaredDistance(ReadOnlySpan x, ReadOnlySpan y)) (VectorOps.SquaredDistance(ReadOnlySpan x, ReadOnlySpan y))
        // ExpSum: exponents over softmax's whole range (down to −745, where e^x leaves the doubles) and past the ±709.78 of
        // Vector.Exp's fast path. Each eᵢ within 2 ulp of Math.Exp (Tolerances.vectorizedExponential's property), so each term
        // within 4u relatively (u = 2⁻⁵³), and the two orders of the sum within (n − 1)u each: (4 + 2(n − 1))u of the sum.
        for low in [ -1.0; -745.0; -800.0 ] do
            let exponents = Array.init length (fun _ -> low * random.NextDouble())
            let shift = if length = 0 then 0.0 else Array.max exponents
            let fast, naive = Array.zeroCreate length, Array.zeroCreate length
            let fastSum = VectorOps.ExpSum(ReadOnlySpan exponents, shift, Span fast)
            let naiveSum = NaiveVectorOps.ExpSum(ReadOnlySpan exponents, shift, Span naive)
            Assert.Equal(fastSum, VectorOps.ExpSum(ReadOnlySpan exponents, shift, Span<float>.Empty))
            for i in 0 .. length - 1 do
                let ulps = abs (BitConverter.DoubleToInt64Bits fast[i] - BitConverter.DoubleToInt64Bits naive[i])
                Assert.True(ulps <= 2L, sprintf "ExpSum, length %d, exponents down to %g, element %d: %.17g vs Math.Exp's %.17g (%d ulp)" length low i fast[i] naive[i] ulps)
            let bound = float (4 + 2 * max 0 (length - 1)) * Math.ScaleB(1.0, -53) * naiveSum
            Assert.True(abs (fastSum - naiveSum) <= bound, sprintf "ExpSum, length %d, exponents down to %g: %.17g vs the naive twin's %.17g" length low fastSum naiveSum)
        Assert.Equal(-1, VectorOps.IndexOfNonFinite(ReadOnlySpan x))
        for bad in [ nan; infinity; -infinity ] do
            for at in 0 .. length - 1 do
                let copy = Array.copy x
                copy[at] <- bad
                Assert.Equal(NaiveVectorOps.IndexOfNonFinite(ReadOnlySpan copy), VectorOps.IndexOfNonFinite(ReadOnlySpan copy))
                Assert.Equal(at, VectorOps.IndexOfNonFinite(ReadOnlySpan copy))

/// Property 4 at the packed product's block boundaries: large enough to be split over threads (ProductThreads.MinimumParallelWork)
/// and to cross every block (PackedProduct.RowBlock, ColumnBlock, SharedBlock), with a right edge that cuts a micro-tile.
[<Fact>]
let ``a large product equals its naive twin and MathNet across every block boundary`` () =
    for product in [ ABt; AB; AtB ] do
        let s = { Product = product; M = PackedProduct.RowBlock + PackedProduct.MicroRows + 1; N = PackedProduct.ColumnBlock + PackedProduct.MicroColumns + 3
                  K = PackedProduct.SharedBlock + 5; Alpha = -0.5; Accumulate = true; Offset = 3; Seed = 11 }
        Assert.True(float s.M * float s.N * float s.K >= ProductThreads.MinimumParallelWork)
        let failures = checkInto (Accuracy "4. matrix products at chosen shapes") s
        Assert.True(failures.Count = 0, sprintf "%A: %s" s (String.Join("\n", Seq.truncate 3 failures)))
