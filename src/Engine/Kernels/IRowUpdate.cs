using System.Numerics;

namespace Engine.Kernels;

/// <summary>
/// A change to B that the batch-1 forward product <see cref="MatrixProducts.DotRow{TUpdate}"/> applies as it reads B, element
/// (r, p) from a factor of row r and a factor of column p: the identity for the product alone, or an optimizer's step along a
/// rank-one gradient fused into it. The product asks for each row's factor once and each column's once per block of rows.
/// </summary>
internal interface IRowUpdate
{
    /// <summary>Whether B changes at all (false: B is only read).</summary>
    bool Changes { get; }

    /// <summary>Row <paramref name="row"/>'s factor.</summary>
    double Row(int row);

    /// <summary>Column <paramref name="p"/>'s factor.</summary>
    double Column(int p);

    /// <summary>The factors of columns [p, p + Count).</summary>
    Vector<double> Columns(int p);

    /// <summary>Lanes of B after the update, from their values, their row's factor (broadcast) and their columns' factors.</summary>
    Vector<double> Apply(Vector<double> value, Vector<double> row, Vector<double> columns);

    /// <summary>An element of B after the update, computed as a lane of the vector form is.</summary>
    double Apply(double value, double row, double column);
}
