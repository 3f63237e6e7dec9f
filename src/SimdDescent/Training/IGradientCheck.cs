using System.Numerics;
using SimdDescent.Networks;
using SimdDescent.Training.Data;

namespace SimdDescent.Training;

/// <summary>
/// A numerical gradient check the trainer runs on the first mini-batch before training (and every
/// <see cref="TrainerOptions.GradientCheckInterval"/> steps): it compares the network's analytic
/// gradient on rows [firstRow, firstRow + rows) with finite differences and must leave the
/// parameters as it found them.
/// </summary>
public interface IGradientCheck<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Checks <paramref name="network"/>'s gradient on the given rows of <paramref name="data"/>.</summary>
    GradientCheckOutcome Check(INetwork<T> network, DataSet<T> data, int firstRow, int rows);
}
