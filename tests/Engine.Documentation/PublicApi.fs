/// The public API is changed on purpose only: each shipped assembly's public surface, as C# declarations without bodies,
/// must equal its approved baseline in api/. A change fails here, writes the new surface beside the baseline and says how to
/// accept it; the accepted baseline then shows the change in review.
module PublicApi

open System
open System.IO
open System.Reflection
open System.Text.RegularExpressions
open Microsoft.FSharp.Reflection
open PublicApiGenerator
open Xunit
open Repository

/// Attributes the F# compiler puts on what it generates, which say nothing a caller relies on that the declarations do not
/// already show: source order numbers of record fields and union cases, debugger views, trimming hints. (CompilationArgumentCounts
/// stays: it is what tells an F# caller that a function is curried.)
let private bookkeeping =
    [| "Microsoft.FSharp.Core.CompilationMappingAttribute"
       "System.Diagnostics.DebuggerDisplayAttribute"
       "System.Diagnostics.DebuggerTypeProxyAttribute"
       "System.Diagnostics.CodeAnalysis.DynamicDependencyAttribute" |]

/// C#'s keywords for the built-in types, as the generator writes them.
let private keywords =
    dict [ typeof<bool>, "bool"; typeof<byte>, "byte"; typeof<char>, "char"; typeof<decimal>, "decimal"; typeof<double>, "double"
           typeof<float32>, "float"; typeof<int>, "int"; typeof<int64>, "long"; typeof<obj>, "object"; typeof<sbyte>, "sbyte"
           typeof<int16>, "short"; typeof<string>, "string"; typeof<uint32>, "uint"; typeof<uint64>, "ulong"; typeof<uint16>, "ushort" ]

/// A type as the generator writes it: C#'s keyword for a built-in type, otherwise namespaces and declaring types joined by
/// dots, generic arguments in angle brackets.
let rec private typeName (t: Type) =
    if keywords.ContainsKey t then keywords[t]
    elif t.IsArray then typeName (nonNull (t.GetElementType())) + "[" + String(',', t.GetArrayRank() - 1) + "]"
    elif t.IsGenericParameter then t.Name
    else
        let definition = if t.IsGenericType then t.GetGenericTypeDefinition() else t
        let name = Regex.Replace(nonNull definition.FullName, "`[0-9]+", "").Replace('+', '.')
        if t.IsGenericType then name + "<" + String.Join(", ", t.GetGenericArguments() |> Array.map typeName) + ">" else name

/// The cases of the assembly's public F# unions with their fields, in declaration order (which fixes their tags). The generator
/// leaves out compiler-generated members, and a union's case constructors are such members: without this list a change to a
/// case's fields would not show.
let private unionCases (assembly: Assembly) =
    let unions =
        assembly.GetExportedTypes()
        |> Array.filter (fun t ->
            FSharpType.IsUnion t
            && (match t.GetCustomAttribute<CompilationMappingAttribute>(``inherit`` = false) with
                | null -> false
                | mapping -> mapping.SourceConstructFlags &&& SourceConstructFlags.KindMask = SourceConstructFlags.SumType))
        |> Array.sortBy (fun t -> typeName t)
    if unions.Length = 0 then ""
    else
        let lines =
            [ "// The cases of the public F# unions, whose compiler-generated constructors the declarations above leave out:"
              for union in unions do
                  "// " + typeName union
                  for case in FSharpType.GetUnionCases union do
                      let fields = case.GetFields() |> Array.map (fun f -> f.Name + ": " + typeName f.PropertyType)
                      "//     | " + case.Name + (if fields.Length = 0 then "" else " of " + String.Join(" * ", fields)) ]
        String.Join("\n", lines) + "\n"

/// The public surface of an assembly, in a form that depends only on its public declarations: types ordered by full name,
/// members by the generator's fixed order, "\n" line ends. Assembly attributes that describe the build (version, company,
/// configuration, ...) are left out by the generator; those that stay (InternalsVisibleTo, TargetFramework) change only when
/// the project file does.
let generate (assembly: Assembly) =
    let options = ApiGeneratorOptions(IncludeAssemblyAttributes = true, ExcludeAttributes = bookkeeping)
    let declarations = ApiGenerator.GeneratePublicApi(assembly, options).Replace("\r\n", "\n").TrimEnd('\n') + "\n"
    declarations + unionCases assembly

/// Lines that must agree after a difference before the comparison counts the two texts as back in step.
let private resynchronization = 3

/// Lines of context shown around a difference, and at most this many lines shown from each side of it.
let private context, shownPerSide = 3, 12

/// The first difference between two texts as a unified-diff hunk (lines from `approved` marked -, from `received` +), and
/// whether more differences follow it; None if they are equal.
let firstDifference (approved: string[]) (received: string[]) =
    let n, m = approved.Length, received.Length
    let mutable start = 0
    while start < n && start < m && approved[start] = received[start] do start <- start + 1
    if start = n && start = m then None
    else
        // The nearest point past `start` (fewest lines skipped on both sides together) where the texts agree again for
        // `resynchronization` lines or both end: what lies between is the first hunk.
        let inStep a b =
            Seq.init resynchronization id
            |> Seq.forall (fun j ->
                (a + j >= n && b + j >= m) || (a + j < n && b + j < m && approved[a + j] = received[b + j]))
        let removed, added =
            seq { for skipped in 1 .. (n - start) + (m - start) do
                    for a in max 0 (skipped - (m - start)) .. min skipped (n - start) do
                        if inStep (start + a) (start + skipped - a) then yield a, skipped - a }
            |> Seq.head
        let before = max 0 (start - context)
        let afterRemoved = min n (start + removed + context)
        let afterAdded = min m (start + added + context)
        let shown (mark: string) (lines: string[]) first count =
            [ for i in first .. first + min count shownPerSide - 1 -> mark + lines[i]
              if count > shownPerSide then yield sprintf "%s… %d more lines" mark (count - shownPerSide) ]
        let trailing = afterRemoved - (start + removed)
        let hunk =
            // A side with no lines is numbered from the line before it, as unified diffs do.
            let range count = sprintf "%d,%d" (if count = 0 then before else before + 1) count
            [ yield sprintf "@@ -%s +%s @@" (range (afterRemoved - before)) (range (afterAdded - before))
              for i in before .. start - 1 -> " " + approved[i]
              yield! shown "-" approved start removed
              yield! shown "+" received start added
              for i in start + removed .. start + removed + trailing - 1 -> " " + approved[i] ]
        let more = approved[start + removed ..] <> received[start + added ..]
        Some(hunk, more)

/// Compares an assembly's public API with api/<name>.approved.txt; on a difference writes api/<name>.received.txt and fails
/// with the first difference and how to accept the change.
let verify (assembly: Assembly) =
    let name = nonNull (assembly.GetName().Name)
    let approvedPath, receivedPath = $"api/{name}.approved.txt", $"api/{name}.received.txt"
    let received = generate assembly
    let approvedFile = Path.Combine(root, approvedPath)
    let approved = if File.Exists approvedFile then read approvedPath else ""
    let receivedFile = Path.Combine(root, receivedPath)
    let lines (text: string) = if text = "" then [||] else text.TrimEnd('\n').Split '\n'
    match firstDifference (lines approved) (lines received) with
    | None -> File.Delete receivedFile
    | Some(hunk, more) ->
        Directory.CreateDirectory(Path.GetDirectoryName receivedFile |> nonNull) |> ignore
        File.WriteAllText(receivedFile, received)
        let baseline = if File.Exists approvedFile then $"differs from {approvedPath}" else $"has no baseline: {approvedPath} does not exist"
        let message =
            [ $"The public API of {name} {baseline}. The first difference (- approved, + received):"
              yield! hunk
              if more then "(more differences follow)"
              $"The whole public API as built is in {receivedPath}. If the change is deliberate, accept it from the repository's root:"
              $"    cp {receivedPath} {approvedPath}"
              "and commit the approved file with the change; otherwise change the code back." ]
        Assert.Fail(String.Join("\n", message))

[<Fact>]
let ``the engine's public API is the approved one (api/Engine.approved.txt)`` () =
    verify typeof<Engine.Networks.Network>.Assembly

[<Fact>]
let ``the verification kit's public API is the approved one (api/Engine.Verification.approved.txt)`` () =
    verify typeof<Engine.Verification.Report>.Assembly

[<Fact>]
let ``the public API is generated the same way twice`` () =
    for assembly in [ typeof<Engine.Networks.Network>.Assembly; typeof<Engine.Verification.Report>.Assembly ] do
        Assert.Equal(generate assembly, generate assembly)

[<Fact>]
let ``firstDifference shows an inserted line with its context and nothing else`` () =
    let approved = [| "a"; "b"; "c"; "d"; "e"; "f"; "g"; "h" |]
    let received = [| "a"; "b"; "c"; "d"; "new"; "e"; "f"; "g"; "h" |]
    let hunk, more = (firstDifference approved received).Value
    Assert.Equal<string list>([ "@@ -2,6 +2,7 @@"; " b"; " c"; " d"; "+new"; " e"; " f"; " g" ], hunk)
    Assert.False more

[<Fact>]
let ``firstDifference shows a changed line, then says that more differences follow`` () =
    let approved = [| "a"; "b"; "c"; "d"; "e"; "f"; "g"; "h"; "i"; "j" |]
    let received = [| "a"; "B"; "c"; "d"; "e"; "f"; "g"; "h"; "i"; "J" |]
    let hunk, more = (firstDifference approved received).Value
    Assert.Equal<string list>([ "@@ -1,5 +1,5 @@"; " a"; "-b"; "+B"; " c"; " d"; " e" ], hunk)
    Assert.True more

[<Fact>]
let ``firstDifference shows removed lines at the end, and finds nothing between equal texts`` () =
    let hunk, more = (firstDifference [| "a"; "b"; "c" |] [| "a" |]).Value
    Assert.Equal<string list>([ "@@ -1,3 +1,1 @@"; " a"; "-b"; "-c" ], hunk)
    Assert.False more
    Assert.True((firstDifference [| "a"; "b" |] [| "a"; "b" |]).IsNone)
