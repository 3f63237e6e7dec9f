using System.Numerics;

namespace SimdDescent.Checking;

/// <summary>
/// Settings of a gradient check. <see cref="For{T}"/> gives the defaults per element type:
/// <list type="bullet">
/// <item>double: ε = 1e-6, absolute tolerance 1e-7, relative tolerance 1e-5. Central differences are
/// O(ε²) ≈ 1e-12 off and rounding adds about 1e-16·|loss|/ε ≈ 1e-10, so real bugs stand far above this.</item>
/// <item>float: ε = 1e-3, absolute tolerance 1e-3, relative tolerance 5e-2. Rounding alone adds about
/// 6e-8·|loss|/ε ≈ 6e-5 to every difference, and float GEMMs add their own; a float check catches gross
/// errors only — declare the network in double to check it tightly.</item>
/// </list>
/// An element passes when its absolute error is within <see cref="AbsoluteTolerance"/> or its relative
/// error |a − n| / max(|a|, |n|) is within <see cref="RelativeTolerance"/>.
/// </summary>
public sealed record GradientCheckOptions
{
    /// <summary>Step of the central difference; each parameter moves by ε·max(1, |θ|).</summary>
    public required double Epsilon { get; init; }

    /// <summary>Largest acceptable |analytic − numeric|.</summary>
    public required double AbsoluteTolerance { get; init; }

    /// <summary>Largest acceptable |analytic − numeric| / max(|analytic|, |numeric|).</summary>
    public required double RelativeTolerance { get; init; }

    /// <summary>Tensors up to this many elements are checked element by element; larger ones along random directions.</summary>
    public int MaxElementsPerTensor { get; init; } = 512;

    /// <summary>Random unit directions u per large tensor; each compares ∇L·u with (L(θ + εu) − L(θ − εu)) / 2ε.</summary>
    public int RandomDirections { get; init; } = 8;

    /// <summary>Whether the gradient with respect to the inputs is checked too.</summary>
    public bool CheckInputs { get; init; } = true;

    /// <summary>
    /// Whether the loss is taken in training mode, where batch normalization uses the batch's statistics (the
    /// running statistics it moves are restored afterwards); off by default, which checks inference mode. Dropout
    /// would make a training-mode loss random, so a network with a dropout layer is refused.
    /// </summary>
    public bool TrainingMode { get; init; }

    /// <summary>Seed of the random directions.</summary>
    public ulong Seed { get; init; } = 12345;

    /// <summary>The defaults for <typeparamref name="T"/> (see the type's remarks).</summary>
    public static GradientCheckOptions For<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(double)
            ? new GradientCheckOptions { Epsilon = 1e-6, AbsoluteTolerance = 1e-7, RelativeTolerance = 1e-5 }
            : new GradientCheckOptions { Epsilon = 1e-3, AbsoluteTolerance = 1e-3, RelativeTolerance = 5e-2 };
}
