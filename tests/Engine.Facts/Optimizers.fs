/// The optimizers' binding, step and saved state, and the element-wise loop every rule runs: arguments refused by name, the
/// edges of the learning rate and of the step counts, the state's names, and the first step's allocations.
[<Xunit.Collection("alone")>]
module Facts.Optimizers

open System
open System.Collections.Generic
open System.Numerics
open Xunit
open Engine.Networks
open Engine.Optimizers
open Engine.Serialization
open Facts.Support

/// A weight of `n` values, its gradient filled with `g`.
let private weight (n: int) (g: float) =
    let parameter = Parameter("weight", n)
    Array.Fill(parameter.Gradient, g)
    parameter

/// An optimizer keeping four buffers per parameter, one more than the element-wise loop has room for.
type FourBuffers() =
    inherit Optimizer(0.0, false)
    override _.Name = "four-buffers"
    override _.StateNames = [| "a"; "b"; "c"; "d" |] :> IReadOnlyList<string>
    override _.Update(_: Span<float>, _: ReadOnlySpan<float>, _: ParameterState, _: float) = ()

/// θ ← θ − g on every element, keeping no state.
[<Struct>]
type SubtractGradient =
    interface IElementwiseRule with
        member _.Update(value: byref<Vector<float>>, gradient: Vector<float>, _: byref<Vector<float>>, _: byref<Vector<float>>, _: byref<Vector<float>>) =
            value <- value - gradient

[<Fact>]
let ``binding refuses a null network, null parameters or names, a name count that differs, a repeated name and more than three buffers`` () =
    Assert.Equal("network", (Assert.Throws<ArgumentNullException>(fun () -> Sgd().Bind(Unchecked.defaultof<Network>) |> ignore)).ParamName)
    Assert.Equal("parameters", (Assert.Throws<ArgumentNullException>(fun () -> Sgd().Bind(Unchecked.defaultof<IReadOnlyList<Parameter>>, [ "w" ]) |> ignore)).ParamName)
    Assert.Equal("names", (Assert.Throws<ArgumentNullException>(fun () -> Sgd().Bind([ weight 2 0.0 ], Unchecked.defaultof<IReadOnlyList<string>>) |> ignore)).ParamName)
    throwsFor "names" [ "(2)"; "gives 1" ] (fun () -> Sgd().Bind([ weight 2 0.0; weight 3 0.0 ], [ "w" ]))
    throwsFor "names" [ "'w'"; "2 times" ] (fun () -> Sgd().Bind([ weight 2 0.0; weight 3 0.0 ], [ "w"; "w" ]))
    mentions [ "four-buffers"; "4"; "3" ] (Assert.Throws<InvalidOperationException>(fun () -> FourBuffers().Bind([ weight 2 0.0 ], [ "w" ]) |> ignore)).Message

[<Fact>]
let ``a state over no parameters steps, coupled decay included`` () =
    let state = Sgd(0.0, 0.0, false, 0.1, false).Bind([], [])
    state.Step 0.1
    Assert.Equal(1L, state.Steps)

[<Fact>]
let ``a step at learning rate 0 moves nothing and is counted; an infinite or NaN rate is refused by name`` () =
    let parameter = weight 3 1.0
    let state = Sgd().Bind([ parameter ], [ "w" ])
    state.Step 0.0
    Assert.Equal<float[]>(Array.zeroCreate 3, parameter.Values)
    Assert.Equal((1L, 1L), (state.Steps, state[0].Step))
    for rate in [ infinity; nan ] do
        throwsFor "learningRate" [ "non-negative and finite" ] (fun () -> state.Step rate)

[<Fact>]
let ``binding allocates every parameter's values and gradient, so the first step allocates nothing`` () =
    let warm = Sgd().Bind([ weight 100 1.0 ], [ "w" ])
    for _ in 1 .. 3 do warm.Step 0.1
    let firstStep () =
        let state = Sgd().Bind([ Parameter("weight", 100) ], [ "w" ])
        fun () -> state.Step 0.1
    Assert.Equal(0L, allocatedBy (16L * 1024L * 1024L) "the first step" firstStep)

[<Fact>]
let ``restoring refuses null, a tensor given twice or of no parameter, a shape of the right size but the wrong dimensions, too few values, and a step count not a whole number in [0, 2⁵³]; a fresh state restores`` () =
    let state = Adam().Bind([ Parameter("weight", 5, 3) ], [ "w" ])
    state.Step 0.1
    let saved = state.Save() |> Array.ofSeq
    let replaced (name: string) (tensor: Tensor) = saved |> Array.map (fun t -> if t.Name = name then tensor else t)
    Assert.Equal("tensors", (Assert.Throws<ArgumentNullException>(fun () -> state.Restore(Unchecked.defaultof<IReadOnlyList<Tensor>>))).ParamName)
    throwsFor "tensors" [ "'w.exp_avg'"; "twice" ] (fun () -> state.Restore(Array.append saved [| saved[0] |]))
    throwsFor "tensors" [ "'w.exp_avg'"; "[3, 5]"; "[5, 3]" ] (fun () -> state.Restore(replaced "w.exp_avg" (Tensor("w.exp_avg", [| 3; 5 |], Array.zeroCreate 15))))
    throwsFor "tensors" [ "'w.exp_avg'" ] (fun () -> state.Restore(replaced "w.exp_avg" (Tensor("w.exp_avg", [| 5; 3 |], Array.zeroCreate 14))))
    for steps in [ -1.0; 0.5; 2.0 ** 53.0 + 2.0 ] do
        throwsFor "tensors" [ "'w.step'"; string steps ] (fun () -> state.Restore(replaced "w.step" (Tensor("w.step", [| 1 |], [| steps |]))))
    throwsFor "tensors" [ "'extra'"; "(exp_avg, exp_avg_sq, step per parameter)" ] (fun () -> state.Restore(Array.append saved [| Tensor("extra", [| 1 |], [| 0.0 |]) |]))
    state.Restore(replaced "w.step" (Tensor("w.step", [| 1 |], [| 2.0 ** 53.0 |])))
    Assert.Equal(1L <<< 53, state[0].Step)
    throwsFor "index" [ "[0, 2)" ] (fun () -> let buffers = state[0] in buffers[2].Length)
    let fresh = Adam().Bind([ Parameter("weight", 5, 3) ], [ "w" ])
    fresh.Restore(fresh.Save())
    Assert.Equal((0L, 0L), (fresh.Steps, fresh[0].Step))

[<Fact>]
let ``the element-wise loop updates whole vectors and the padded tail, with no state, and refuses a gradient of another length`` () =
    let lanes = Vector<float>.Count
    let n = 2 * lanes + 3
    let values = Array.init n float
    let gradient = Array.init n (fun i -> 0.5 * float i)
    ElementwiseRule.Apply(SubtractGradient(), Span values, ReadOnlySpan gradient, Unchecked.defaultof<ParameterState>)
    Assert.Equal<float[]>(Array.init n (fun i -> 0.5 * float i), values)
    throwsFor "gradient" [ string n; sprintf "has %d" (n - 1) ] (fun () ->
        ElementwiseRule.Apply(SubtractGradient(), Span values, ReadOnlySpan gradient[1..], Unchecked.defaultof<ParameterState>))

[<Fact>]
let ``each optimizer keeps its state under PyTorch's names: SGD a momentum_buffer only with a momentum`` () =
    for optimizer, names in [ Sgd() :> Optimizer, []; Sgd(0.9, 0.0, false, 0.0, false), [ "momentum_buffer" ]; Adagrad(), [ "sum" ]
                              Adam(), [ "exp_avg"; "exp_avg_sq" ]; Adam(0.9, 0.999, 1e-8, 0.0, true, false), [ "exp_avg"; "exp_avg_sq"; "max_exp_avg_sq" ] ] do
        Assert.Equal<string list>(names, List.ofSeq optimizer.StateNames)

[<Fact>]
let ``RMSProp keeps square_avg, then momentum_buffer with a momentum, then grad_avg when centered`` () =
    for momentum, centered, names in [ 0.0, false, [ "square_avg" ]; 0.9, false, [ "square_avg"; "momentum_buffer" ]
                                       0.0, true, [ "square_avg"; "grad_avg" ]; 0.9, true, [ "square_avg"; "momentum_buffer"; "grad_avg" ] ] do
        Assert.Equal<string list>(names, List.ofSeq (RmsProp(0.99, 1e-8, momentum, centered, 0.0, false).StateNames))

[<Fact>]
let ``centered RMSProp takes a variance that rounding made negative as 0`` () =
    // With α = 0, v = g² rounded and gᵃᵛᵉ = g, so v − (gᵃᵛᵉ)² is the rounding error of g²: −8.9e-18 for g = 1.1. Taken as 0,
    // the step is γ·g/ε; its root would be NaN.
    let parameter = weight 3 1.1
    RmsProp(0.0, 1e-8, 0.0, true, 0.0, false).Bind([ parameter ], [ "w" ]).Step 0.01
    Assert.Equal<float[]>(Array.create 3 (Math.FusedMultiplyAdd(-0.01, 1.1 / 1e-8, 0.0)), parameter.Values)

[<Fact>]
let ``a decay rate of 0 is accepted: β₁ = β₂ = 0 and α = 0 average nothing`` () =
    let adam = Adam(0.0, 0.0, 1e-8, 0.0, false, false)
    Assert.Equal((0.0, 0.0), (adam.Beta1, adam.Beta2))
    Assert.Equal(0.0, RmsProp(0.0, 1e-8, 0.0, false, 0.0, false).Alpha)
