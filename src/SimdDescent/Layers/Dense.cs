using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// The fully connected layer, Y = f(X·W + b), with X [batch, inputs], W [inputs, units] row-major,
/// b [units] and Y [batch, units]: forward is one fused GEMM (NN), backward is dW = Xᵀ·dZ (TN),
/// db = column sums of dZ, dX = dZ·Wᵀ (NT).
/// </summary>
public static class Dense
{
    /// <summary>y [batch, units] = activation(x [batch, inputs] · w [inputs, units] + bias), bias empty for none.</summary>
    public static void Forward<T, TActivation>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y,
        int batch, int inputs, int units, TActivation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T> =>
        Gemm.MultiplyBiasActivation(Transpose.No, Transpose.No, batch, units, inputs,
            x, inputs, weight, units, bias, y, units, activation);

    /// <summary>
    /// Backward without an activation: dZ = <paramref name="dz"/>. Overwrites <paramref name="weightGradient"/> (empty: frozen),
    /// <paramref name="biasGradient"/> (empty: no bias) and <paramref name="dx"/> (empty: not needed).
    /// </summary>
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> dz,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx,
        int batch, int inputs, int units)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!biasGradient.IsEmpty)
        {
            Reductions.ColumnSums(dz, biasGradient, batch, units);
        }

        Products(x, weight, dz, weightGradient, dx, batch, inputs, units);
    }

    /// <summary>
    /// Backward through a fused activation: dZ = dY ⊙ f'(saved), written over <paramref name="dy"/>, and the
    /// bias gradient in the same pass (saved is the layer's output for ReLU, LeakyReLU, sigmoid and tanh,
    /// its pre-activation for GELU and SiLU); then the weight and input gradients as <see cref="Backward{T}"/>.
    /// </summary>
    public static void Backward<T, TDerivative>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> saved, Span<T> dy,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx,
        int batch, int inputs, int units, TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T>
    {
        Gemm.BiasActivationBackward(dy, saved, dy, biasGradient, batch, units, derivative);
        Products(x, weight, dy, weightGradient, dx, batch, inputs, units);
    }

    /// <summary>
    /// dW = Xᵀ·dZ unless <paramref name="weightGradient"/> is empty (a frozen weight: no GEMM at all), and
    /// dX = dZ·Wᵀ unless <paramref name="dx"/> is empty.
    /// </summary>
    private static void Products<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> dz, Span<T> weightGradient, Span<T> dx,
        int batch, int inputs, int units)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!weightGradient.IsEmpty)
        {
            // dW [inputs, units] = Xᵀ [inputs, batch] · dZ [batch, units]
            Gemm.Multiply(Transpose.Yes, Transpose.No, inputs, units, batch, T.One, x, inputs, dz, units, T.Zero, weightGradient, units);
        }

        if (!dx.IsEmpty)
        {
            // dX [batch, inputs] = dZ [batch, units] · Wᵀ [units, inputs]
            Gemm.Multiply(Transpose.No, Transpose.Yes, batch, inputs, units, T.One, dz, units, weight, units, T.Zero, dx, inputs);
        }
    }
}
