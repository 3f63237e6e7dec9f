using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Layers;

/// <summary>A standalone element-wise activation: forward with an operator, backward with its derivative operator.</summary>
public static class ActivationLayer
{
    // An activation (tanh, exp or erf inside) costs about this many multiply-adds per element.
    private const long WorkPerElement = 32;

    /// <summary>y = f(x) element-wise; long spans are split over <see cref="Gemm.MaxThreads"/> threads (each element computed alike).</summary>
    public static unsafe void Forward<T, TActivation>(ReadOnlySpan<T> x, Span<T> y, TActivation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        // Invalid spans go to the serial map, which says what is wrong before anything is written.
        if (ParallelRanges.Threads(x.Length, WorkPerElement, ParallelRanges.VectorUnit) <= 1 || !Guard.CanWrite(x, y))
        {
            Blas.Map(activation, x, y);
            return;
        }

        fixed (T* input = x, output = y)
        {
            ParallelRanges.Run(new MapRange<T, TActivation>(input, output, activation), x.Length, WorkPerElement, ParallelRanges.VectorUnit);
        }
    }

    /// <summary>
    /// dx = dy ⊙ f'(·), where <paramref name="saved"/> is what the derivative operator reads: the forward
    /// output for ReLU, LeakyReLU, sigmoid and tanh, the forward input for GELU and SiLU.
    /// <paramref name="dx"/> may be the same span as <paramref name="dy"/>.
    /// </summary>
    public static void Backward<T, TDerivative>(ReadOnlySpan<T> dy, ReadOnlySpan<T> saved, Span<T> dx, TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T> =>
        Blas.Map(derivative, dy, saved, dx);

    private readonly unsafe struct MapRange<T, TActivation>(T* x, T* y, TActivation activation) : IRangeWork
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        public void Run(int first, int end, int part) =>
            Blas.Map(activation, new ReadOnlySpan<T>(x + first, end - first), new Span<T>(y + first, end - first));
    }
}
