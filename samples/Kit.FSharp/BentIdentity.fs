namespace Kit.FSharp

open Engine.Activations

/// The bent identity: a = (√(z² + 1) − 1)/2 + z, a' = z / (2√(z² + 1)) + 1.
[<Struct>]
type BentIdentityFunction =
    interface IScalarFunction with
        member _.Value(z: float) = (sqrt (z * z + 1.0) - 1.0) / 2.0 + z
        member _.Derivative(z: float, _: float) = z / (2.0 * sqrt (z * z + 1.0)) + 1.0

type BentIdentity() =
    inherit ElementwiseActivation<BentIdentityFunction>(BentIdentityFunction())
    override _.Name = "bent-identity"
