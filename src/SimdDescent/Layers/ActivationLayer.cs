using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>A standalone element-wise activation: forward with an operator, backward with its derivative operator.</summary>
public static class ActivationLayer
{
    /// <summary>y = f(x) element-wise.</summary>
    public static void Forward<T, TActivation>(ReadOnlySpan<T> x, Span<T> y, TActivation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T> =>
        Blas.Map(activation, x, y);

    /// <summary>
    /// dx = dy ⊙ f'(·), where <paramref name="saved"/> is what the derivative operator reads: the forward
    /// output for ReLU, LeakyReLU, sigmoid and tanh, the forward input for GELU and SiLU.
    /// <paramref name="dx"/> may be the same span as <paramref name="dy"/>.
    /// </summary>
    public static void Backward<T, TDerivative>(ReadOnlySpan<T> dy, ReadOnlySpan<T> saved, Span<T> dx, TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T> =>
        Blas.Map(derivative, dy, saved, dx);
}
