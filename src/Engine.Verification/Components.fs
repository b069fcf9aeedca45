namespace Engine.Verification

open System
open System.Collections.Concurrent
open System.Collections.Generic
open System.Reflection
open System.Runtime.ExceptionServices
open FsCheck
open FsCheck.FSharp
open Engine

/// <summary>A registered activation or loss by name, with the hyperparameters drawn for it (as Hyperparameter.Format writes them); none means the defaults.</summary>
type Component =
    { /// <summary>The registered name.</summary>
      Name: string
      /// <summary>Hyperparameter values by name.</summary>
      Hyperparameters: (string * string) list }

    /// <inheritdoc/>
    override this.ToString() =
        if this.Hyperparameters.IsEmpty then this.Name
        else sprintf "%s(%s)" this.Name (String.Join(", ", this.Hyperparameters |> List.map (fun (k, v) -> k + "=" + v)))

/// <summary>
/// The distinct values the generators drew for every constructor parameter, keyed by type and parameter name, so that a
/// completeness test can require that every setting users can choose was varied, not only the default.
/// </summary>
module Coverage =
    let private drawn = ConcurrentDictionary<struct (string * string), ConcurrentDictionary<string, byte>>()

    /// Records that a value was drawn for a type's constructor parameter.
    let record (typeName: string) (parameter: string) (value: string) =
        drawn.GetOrAdd(struct (typeName, parameter), fun _ -> ConcurrentDictionary()).TryAdd(value, 0uy) |> ignore

    /// Records every hyperparameter value of an activation, loss or optimizer.
    let recordComponent (instance: obj) =
        for h, value in Hyperparameters.ValuesOf instance do record (instance.GetType().Name) h.Name (Hyperparameter.Format value)

    /// The text a value is recorded as: an activation's or loss's stored form (name and hyperparameters), else its ToString.
    let format (value: objnull) =
        match value with
        | null -> "null"
        | :? INamed as c -> (Serialization.Components.Encode c).ToJsonString()
        | _ -> string value

    /// <summary>
    /// Builds a 'T with its public constructor whose parameters are exactly the names given, in any order, and records every
    /// argument: a generator that builds layers this way cannot forget a constructor parameter without failing here.
    /// </summary>
    let construct<'T> (arguments: (string * objnull) list) : 'T =
        let names = arguments |> List.map fst |> Set.ofList
        let constructor =
            typeof<'T>.GetConstructors()
            |> Array.tryFind (fun c -> (c.GetParameters() |> Array.map (fun p -> nonNull p.Name) |> Set.ofArray) = names)
        match constructor with
        | None -> invalidOp (sprintf "%s has no public constructor with exactly the parameters %s." typeof<'T>.Name (String.Join(", ", names)))
        | Some c ->
            let byName = dict arguments
            for name, value in arguments do record typeof<'T>.Name name (format value)
            try c.Invoke(c.GetParameters() |> Array.map (fun p -> byName[nonNull p.Name])) :?> 'T
            with :? TargetInvocationException as e when not (isNull e.InnerException) ->
                ExceptionDispatchInfo.Capture(nonNull e.InnerException).Throw()
                Unchecked.defaultof<'T>

    /// The distinct values drawn for a type's parameter (as text).
    let values (typeName: string) (parameter: string) : Set<string> =
        match drawn.TryGetValue(struct (typeName, parameter)) with
        | true, set -> set.Keys |> Set.ofSeq
        | _ -> Set.empty

/// Draws registered components with every hyperparameter varied over the range its [Hyperparameter] declares.
module Draw =
    /// One hyperparameter's value as text: a double uniform in [Min, Max] (either end a tenth of the time each), an integer
    /// in [Min, Max], either bool, any value of an enum.
    let hyperparameter (h: Hyperparameter) : Gen<string> =
        if h.Type = typeof<double> then
            Gen.frequency [ 1, Gen.constant h.Min
                            1, Gen.constant h.Max
                            8, Gen.choose (0, 1_000_000) |> Gen.map (fun k -> h.Min + (h.Max - h.Min) * float k / 1e6) ]
            |> Gen.map (fun v -> Hyperparameter.Format(nonNull (box v)))
        elif h.Type = typeof<int> then Gen.choose (int h.Min, int h.Max) |> Gen.map (fun v -> Hyperparameter.Format(nonNull (box v)))
        elif h.Type = typeof<bool> then Gen.elements [ "true"; "false" ]
        else Gen.elements [ for v in Enum.GetValues h.Type |> Seq.cast<obj> -> Hyperparameter.Format v ]

    /// Every hyperparameter of `t`, drawn.
    let hyperparameters (t: Type) : Gen<(string * string) list> =
        Hyperparameters.Of t |> Seq.map (fun h -> hyperparameter h |> Gen.map (fun v -> h.Name, v)) |> List.ofSeq |> Gen.sequenceToList

    /// One of `names` of the registry, with its hyperparameters drawn.
    let componentOf (registry: Registry<'T>) (names: seq<string>) : Gen<Component> =
        gen {
            let! name = Gen.elements names
            let! values = hyperparameters ((registry.Get name).GetType())
            return { Name = name; Hyperparameters = values }
        }

    /// The component, built by the registry with its hyperparameters; every value is recorded in Coverage.
    let create (registry: Registry<'T>) (c: Component) : 'T =
        let instance = registry.Create(c.Name, Dictionary(dict c.Hyperparameters))
        Coverage.recordComponent instance
        instance

    /// Shrinks a component to its defaults.
    let shrink (c: Component) = if c.Hyperparameters.IsEmpty then Seq.empty else Seq.singleton { c with Hyperparameters = [] }
