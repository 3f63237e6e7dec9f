using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Activation functions and their backward passes: a forward pass writes y = f(x) to <c>destination</c>. A backward pass takes
/// the upstream gradient dy and whichever saved tensor is cheaper: the output y for ReLU, LeakyReLU,
/// sigmoid and tanh (so a fused layer need not keep its pre-activation), the input x for GELU and SiLU;
/// it writes dx to <c>destination</c>, which may be the same span as dy.
/// </summary>
public static class Activations
{
    /// <summary>y = max(x, 0).</summary>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new ReluOperator<T>(), x, destination);

    /// <summary>y = x for x &gt; 0, else alpha·x.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative or NaN.</exception>
    public static void LeakyRelu<T>(ReadOnlySpan<T> x, Span<T> destination, T alpha)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new LeakyReluOperator<T>(CheckSlope(alpha)), x, destination);

    /// <summary>y = 1 / (1 + e^−x).</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new SigmoidOperator<T>(), x, destination);

    /// <summary>y = tanh x.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new TanhOperator<T>(), x, destination);

    /// <summary>y = GELU(x), tanh approximation (PyTorch's <c>approximate='tanh'</c>).</summary>
    public static void Gelu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new GeluOperator<T>(), x, destination);

    /// <summary>y = x·σ(x).</summary>
    public static void Silu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new SiluOperator<T>(), x, destination);

    /// <summary>dx = dy·[y &gt; 0], from the ReLU output y.</summary>
    public static void ReluBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new ReluBackwardOperator<T>(), dy, y, destination);

    /// <summary>dx = dy for y &gt; 0, else alpha·dy, from the LeakyReLU output y.</summary>
    public static void LeakyReluBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, Span<T> destination, T alpha)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new LeakyReluBackwardOperator<T>(CheckSlope(alpha)), dy, y, destination);

    /// <summary>dx = dy·y·(1 − y), from the sigmoid output y.</summary>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new SigmoidBackwardOperator<T>(), dy, y, destination);

    /// <summary>dx = dy·(1 − y²), from the tanh output y.</summary>
    public static void TanhBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new TanhBackwardOperator<T>(), dy, y, destination);

    /// <summary>dx = dy·GELU′(x), from the input x.</summary>
    public static void GeluBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new GeluBackwardOperator<T>(), dy, x, destination);

    /// <summary>dx = dy·SiLU′(x), from the input x.</summary>
    public static void SiluBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new SiluBackwardOperator<T>(), dy, x, destination);

    private static T CheckSlope<T>(T alpha)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => alpha >= T.Zero
            ? alpha
            : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Expected a LeakyReLU slope alpha ≥ 0 (the backward pass reads the sign of the output).");
}
