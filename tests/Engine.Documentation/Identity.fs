/// The package identity agrees everywhere: nn --version, the engine assembly, CITATION.cff and CHANGELOG.md name one version.
module Identity

open System.Reflection
open System.Text.RegularExpressions
open Xunit
open Repository

/// The first match of `pattern`'s group 1 in a repository file.
let private first (path: string) (pattern: string) =
    let m = Regex.Match(read path, pattern, RegexOptions.Multiline)
    Assert.True(m.Success, sprintf "%s has no line matching %s" path pattern)
    m.Groups[1].Value

[<Fact>]
let ``nn --version, the engine assembly, CITATION.cff and CHANGELOG.md name the same version`` () =
    let code, out, err = run "nn.dll" [ "--version" ]
    Assert.True((code = 0), sprintf "exit %d\n%s" code err)
    let tool = out.Trim()
    let engine =
        (nonNull (typeof<Engine.Networks.Network>.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>())).InformationalVersion
    let citation = first "CITATION.cff" @"^version: (\S+)$"
    let changelog = first "CHANGELOG.md" @"^## \[(\d[^\]]*)\]"
    Assert.Matches(@"^\d+\.\d+\.\d+$", tool)
    Assert.Equal(tool, engine)
    Assert.Equal(tool, citation)
    Assert.Equal(tool, changelog)

[<Fact>]
let ``nn -v is --version`` () =
    let _, long, _ = run "nn.dll" [ "--version" ]
    let code, short, _ = run "nn.dll" [ "-v" ]
    Assert.Equal(0, code)
    Assert.Equal(long, short)
