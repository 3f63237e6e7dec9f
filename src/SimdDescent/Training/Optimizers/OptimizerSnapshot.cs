using System.Numerics;

namespace SimdDescent.Training.Optimizers;

/// <summary>A saved copy of an optimizer's state arenas and step count (see <see cref="Optimizer{T}.SaveState"/>).</summary>
/// <param name="StepCount">Steps taken when the state was saved.</param>
/// <param name="StateNames">The names of the arenas, in order.</param>
/// <param name="States">The arenas' contents.</param>
public sealed record OptimizerSnapshot<T>(long StepCount, IReadOnlyList<string> StateNames, IReadOnlyList<T[]> States)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>;
