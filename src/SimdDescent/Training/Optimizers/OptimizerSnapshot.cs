using System.Numerics;

namespace SimdDescent.Training.Optimizers;

/// <summary>
/// A copy of an optimizer's state (see <see cref="Optimizer{T}.SaveState"/>): everything a checkpoint stores
/// of it and hands back to <see cref="Optimizer{T}.RestoreState"/>.
/// </summary>
/// <param name="Kind">The optimizer's kind (<see cref="Optimizer{T}.Kind"/>, e.g. <c>Adam</c>); state restores only into the same kind.</param>
/// <param name="StepCount">Steps taken when the state was saved.</param>
/// <param name="StateNames">The names of the arenas, in order (PyTorch's, e.g. <c>exp_avg</c>).</param>
/// <param name="States">The arenas' contents, one per name, each as long as the parameter arena.</param>
public sealed record OptimizerSnapshot<T>(string Kind, long StepCount, IReadOnlyList<string> StateNames, IReadOnlyList<T[]> States)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>;
