namespace Engine;

/// <summary>Something the <see cref="Registry{T}"/> can list: it has a unique, lower-case name.</summary>
public interface INamed
{
    /// <summary>The name the registry lists it under (lower case, e.g. <c>relu</c>).</summary>
    string Name { get; }
}
