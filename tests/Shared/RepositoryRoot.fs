/// The repository's root, shared by the test projects that read its files (data/, docs/, samples/): linked into each.
module RepositoryRoot

open System
open System.IO

/// The first folder above the test binaries that holds Verify.sln.
let path =
    let rec up (folder: DirectoryInfo | null) =
        match folder with
        | null -> failwith "Verify.sln not found above the test binaries"
        | f when File.Exists(Path.Combine(f.FullName, "Verify.sln")) -> f.FullName
        | f -> up f.Parent
    up (DirectoryInfo AppContext.BaseDirectory)
