/// Helpers shared by the fixtures: the notes' tolerance (as many decimals as they print) and the data files.
module Notes

open System
open System.IO
open Xunit
open Engine.Data

/// Asserts that `actual` rounds to `expected` at `decimals` decimals: |actual − expected| ≤ ½·10^(−decimals).
let equalTo (decimals: int) (expected: float) (actual: float) =
    let bound = 0.5 * Math.Pow(10.0, float -decimals)
    if not (abs (actual - expected) <= bound * (1.0 + 1e-9)) then
        failwithf "expected %.*f (to %d decimals), got %.17g (off by %.3g)" decimals expected decimals actual (abs (actual - expected))

/// Asserts every element, naming the index of the first that differs.
let allEqualTo (decimals: int) (expected: float[]) (actual: float[]) =
    Assert.Equal(expected.Length, actual.Length)
    Array.iteri2 (fun i e a ->
        try equalTo decimals e a
        with ex -> failwithf "element %d: %s" i ex.Message) expected actual

/// A file of the project's data folder (copied beside the tests; provenance in data/NOTICE.md).
let dataFile name = Path.Combine(AppContext.BaseDirectory, "data", name)

let digits () = CsvReader.ReadFile(dataFile "digits.csv.gz").Classified()
let iris () = CsvReader.ReadFile(dataFile "iris.csv").Classified()
let breastCancer () = CsvReader.ReadFile(dataFile "breast_cancer.csv").Classified()
