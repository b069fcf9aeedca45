/// The hyperparameter mechanism on types of its own: what a defining constructor must declare (an attribute, a public
/// property of the same name and type, a supported value type, a range for numbers), how values are summarized, parsed
/// by name and refused in words, and how an argument exception's reason is put on one line.
module Facts.Hyperparameters

open System
open Xunit
open Engine
open Facts.Support

type Mode =
    | Fast = 0
    | Exact = 1

/// A component with a hyperparameter of each supported value type.
type Probe([<Hyperparameter(0.5, 2.0)>] rate: double, [<Hyperparameter(1.0, 8.0)>] count: int, [<Hyperparameter>] flag: bool,
           [<Hyperparameter>] mode: Mode) =
    member _.Rate = rate
    member _.Count = count
    member _.Flag = flag
    member _.Mode = mode
    interface INamed with
        member _.Name = "probe"

/// A component without hyperparameters.
type Bare() =
    interface INamed with
        member _.Name = "bare"

type Hidden([<Hyperparameter(0.0, 1.0)>] rate: double) =
    member _.Speed = rate

type Mistyped([<Hyperparameter(0.0, 1.0)>] rate: double) =
    member _.Rate = int rate

type Textual([<Hyperparameter>] label: string) =
    member _.Label = label

type Unranged([<Hyperparameter>] rate: double) =
    member _.Rate = rate

type Inverted([<Hyperparameter(2.0, 1.0)>] rate: double) =
    member _.Rate = rate

type Pinned([<Hyperparameter(1.0, 1.0)>] rate: double) =
    member _.Rate = rate

let private refused (type': Type) (expected: string list) =
    mentions expected (Assert.Throws<InvalidOperationException>(fun () -> Hyperparameters.Of type' |> ignore)).Message

[<Fact>]
let ``a defining constructor's parameter needs a same-named public property of its type, a supported type and a range`` () =
    refused typeof<Hidden> [ "Hidden"; "'rate'"; "public property" ]
    refused typeof<Mistyped> [ "Mistyped"; "'rate'"; "same name and type" ]
    refused typeof<Textual> [ "Textual"; "'label'"; "String" ]
    refused typeof<Unranged> [ "Unranged"; "'rate'"; "range" ]
    refused typeof<Inverted> [ "Inverted"; "'rate'"; "range" ]
    let pinned = Assert.Single(Hyperparameters.Of typeof<Pinned>)
    Assert.Equal((1.0, 1.0), (pinned.Min, pinned.Max))
    Assert.Equal<string list>([ "rate"; "count"; "flag"; "mode" ], Hyperparameters.Of typeof<Probe> |> Seq.map _.Name |> List.ofSeq)
    Assert.Empty(Hyperparameters.Of typeof<Bare>)
    Assert.Equal("type", Assert.Throws<ArgumentNullException>(fun () -> Hyperparameters.Of(Unchecked.defaultof<Type>) |> ignore).ParamName)
    Assert.Equal("instance", Assert.Throws<ArgumentNullException>(fun () -> Hyperparameters.ValuesOf(Unchecked.defaultof<obj>) |> ignore).ParamName)

[<Fact>]
let ``a summary is the bare name without hyperparameters and every value by name with them`` () =
    Assert.Equal("bare", Hyperparameters.Summarize(Bare()))
    Assert.Equal("probe(rate=0.5, count=3, flag=true, mode=Exact)", Hyperparameters.Summarize(Probe(0.5, 3, true, Mode.Exact)))

[<Fact>]
let ``values are parsed by name, the others kept, and a name or value that does not fit is refused in words`` () =
    let defaults = Probe(1.0, 2, false, Mode.Fast)
    let create (values: (string * string) list) = Hyperparameters.Create(typeof<Probe>, defaults, readOnlyDict values)
    let probe = create [ "count", "5"; "mode", "exact" ]
    Assert.Equal((1.0, 5, false, Mode.Exact), (probe.Rate, probe.Count, probe.Flag, probe.Mode))
    Assert.Equal("values", Assert.Throws<ArgumentNullException>(fun () -> Hyperparameters.Create(typeof<Probe>, defaults, Unchecked.defaultof<Collections.Generic.IReadOnlyDictionary<string, string>>) |> ignore).ParamName)
    throwsFor "values" [ "'speed'"; "rate, count, flag, mode" ] (fun () -> create [ "speed", "1" ])
    throwsFor "values" [ "'speed'"; "none" ] (fun () -> Hyperparameters.Create(typeof<Bare>, Bare(), readOnlyDict [ "speed", "1" ]))
    throwsFor "rate" [ "a number"; "'fast'" ] (fun () -> create [ "rate", "fast" ])
    throwsFor "count" [ "an integer"; "'1.5'" ] (fun () -> create [ "count", "1.5" ])
    throwsFor "flag" [ "true or false"; "'yes'" ] (fun () -> create [ "flag", "yes" ])
    throwsFor "mode" [ "one of Fast, Exact"; "'slow'" ] (fun () -> create [ "mode", "slow" ])

[<Fact>]
let ``an argument exception's reason is its own sentence on one line, an actual value said in words`` () =
    Assert.Equal("bad input.", Hyperparameters.Reason(ArgumentException("bad input.", "x")))
    Assert.Equal("no name.", Hyperparameters.Reason(ArgumentException("no name.")))
    Assert.Equal("", Hyperparameters.Reason(ArgumentException("", "x")))
    Assert.Equal("rate must lie in [0, 1), but is 1.5.", Hyperparameters.Reason(ArgumentOutOfRangeException("rate", 1.5, "rate must lie in [0, 1).")))
