/// Helpers shared by the facts: the exception assertion, temporary folders, layer specs from JSON, IDX bytes, parameters,
/// and a deliberately broken activation.
module Facts.Support

open System
open System.IO
open System.Text.Json.Nodes
open Xunit
open Engine.Activations
open Engine.Networks
open Engine.Serialization

/// Asserts that the message mentions each of `expected` (the position, the expected and the actual value, …), whatever the
/// sentence around them: wording can improve without a test edit, and a message that loses a value fails.
let mentions (expected: string list) (message: string) =
    for m in expected do Assert.True(message.Contains m, sprintf "the message does not mention %s: %s" m message)

/// Asserts that `action` throws an ArgumentException (or a subclass) naming `argument`, whose message mentions each of `values`.
let throwsFor (argument: string) (values: string list) (action: unit -> 'T) =
    let error = Assert.ThrowsAny<ArgumentException>(fun () -> action () |> ignore)
    Assert.Equal(argument, error.ParamName)
    mentions values error.Message

/// A new, empty folder under the system's temporary folder (the caller deletes it).
let tempFolder () =
    let folder = Path.Combine(Path.GetTempPath(), "verify-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory folder |> ignore
    folder

/// The layer a JSON layer spec describes, as a model file's topology stores it.
let parseLayer (json: string) = Topology.Decode((nonNull (JsonNode.Parse json)).AsObject())

/// An IDX file: the magic number of `typeCode` and as many dimensions, the dimensions big-endian, then `payload`.
let idx (typeCode: byte) (dimensions: int list) (payload: byte[]) =
    Array.concat [ [| 0uy; 0uy; typeCode; byte dimensions.Length |]
                   dimensions |> List.toArray |> Array.collect (fun d -> BitConverter.GetBytes d |> Array.rev)
                   payload ]

/// A copy of every parameter tensor's values, input side first.
let parameters (network: Network) = network.Parameters |> Seq.map (fun p -> Array.copy p.Values) |> Array.ofSeq

/// Every parameter value in one array, input side first.
let values (network: Network) = network.Parameters |> Seq.collect _.Values |> Array.ofSeq

/// Bytes this thread allocates in the action `arrange` returns (`arrange` runs before the count, once per window), counted
/// inside a no-GC region of `budget` bytes: a collection started by another thread of the test process moves this thread's
/// count though it allocated nothing, never inside the region. A window that a collection ends anyway is measured again, at
/// most three times; `what` names the action in the failure.
let allocatedBy (budget: int64) (what: string) (arrange: unit -> (unit -> unit)) =
    let window () =
        let action = arrange ()
        if not (GC.TryStartNoGCRegion budget) then None
        else
            let before = GC.GetAllocatedBytesForCurrentThread()
            action ()
            let allocated = GC.GetAllocatedBytesForCurrentThread() - before
            if Runtime.GCSettings.LatencyMode = Runtime.GCLatencyMode.NoGCRegion then
                GC.EndNoGCRegion()
                Some allocated
            else None
    match Seq.init 3 (fun _ -> window ()) |> Seq.tryPick id with
    | Some allocated -> allocated
    | None -> failwithf "each of three measuring windows was ended by a collection: %s took more than %d bytes, or something else did" what budget

/// Sigmoid with its derivative multiplied by `factor` (1.001: slightly wrong; NaN: broken).
[<Struct>]
type ScaledSigmoidDerivative(factor: float) =
    interface IScalarFunction with
        member _.Value(z: float) = 1.0 / (1.0 + exp -z)
        member _.Derivative(_: float, a: float) = factor * a * (1.0 - a)

/// An activation named "sigmoid" whose derivative is `factor` times sigmoid's: a wrong rule for the checks to catch, and
/// (with its parameterless constructor, 0.1 % wrong) a second type under the name "sigmoid" for the registry to refuse.
type BrokenSigmoid(factor: float) =
    inherit ElementwiseActivation<ScaledSigmoidDerivative>(ScaledSigmoidDerivative factor)
    new() = BrokenSigmoid 1.001
    override _.Name = "sigmoid"

/// <summary>
/// The collection of facts that run with nothing else of this assembly beside them: allocation is measured per thread, and
/// the matrix products' worker threads are shared by the process and created on the first product that gets them, so a fact
/// running beside another could see its warm-up miss them and count their creation in its measured steps.
/// </summary>
[<CollectionDefinition("alone", DisableParallelization = true)>]
type Alone() = class end
