using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// The epilogue of a dense layer's backward, run before its two products: dZ = derivative(dY, saved)
    /// element by element (the activation derivative applied to the upstream gradient) and, in the same
    /// pass while each row is in registers, the bias gradient db[j] = Σᵢ dZ[i, j] (overwritten). Then
    /// dW = Xᵀ·dZ (TN) and dX = dZ·Wᵀ (NT) follow with <see cref="Multiply{T}"/>.
    /// </summary>
    /// <param name="upstreamGradient">dY, rows × width, row-major.</param>
    /// <param name="saved">What the derivative operator needs from the forward (the activation's output or input), rows × width.</param>
    /// <param name="gradientDestination">dZ, rows × width; may be <paramref name="upstreamGradient"/> itself (in place).</param>
    /// <param name="biasGradientDestination">db, width elements, overwritten; empty when the layer has no bias.</param>
    /// <param name="rows">The batch size.</param>
    /// <param name="width">The layer width.</param>
    /// <param name="derivative">Invoked as derivative(upstreamGradient, saved), e.g. a ReLU backward operator.</param>
    /// <exception cref="ArgumentException">A span does not hold rows × width (or width) elements, or dZ partially overlaps an input.</exception>
    public static unsafe void BiasActivationBackward<T, TDerivative>(
        ReadOnlySpan<T> upstreamGradient, ReadOnlySpan<T> saved, Span<T> gradientDestination, Span<T> biasGradientDestination,
        int rows, int width, TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Guard.Matrix(upstreamGradient, rows, width);
        Guard.Matrix(saved, rows, width);
        Guard.Matrix((ReadOnlySpan<T>)gradientDestination, rows, width);
        Guard.NoPartialOverlap(upstreamGradient, gradientDestination);
        Guard.NoPartialOverlap(saved, gradientDestination);
        if (!biasGradientDestination.IsEmpty && biasGradientDestination.Length != width)
        {
            throw new ArgumentException(
                $"Expected biasGradientDestination to be empty or hold width = {width} elements, but it has {biasGradientDestination.Length}.", nameof(biasGradientDestination));
        }

        fixed (T* dy = upstreamGradient, s = saved, dz = gradientDestination, db = biasGradientDestination)
        {
            var columns = new BiasActivationColumns<T, TDerivative>(dy, s, dz, biasGradientDestination.IsEmpty ? null : db, rows, width, derivative);
            ParallelRanges.Run(columns, width, (long)rows * ParallelRanges.ElementwiseWork, ParallelRanges.VectorUnit);
        }
    }

    /// <summary>Columns [first, end) of <see cref="BiasActivationBackward{T, TDerivative}"/> at the calling thread's width.</summary>
    private readonly unsafe struct BiasActivationColumns<T, TDerivative>(T* dy, T* saved, T* dz, T* db, int rows, int width, TDerivative derivative)
        : IRangeWork
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T>
    {
        public void Run(int first, int end, int part)
        {
            ref var dyFirst = ref dy[first];
            ref var savedFirst = ref saved[first];
            ref var dzFirst = ref dz[first];
            ref var dbFirst = ref db == null ? ref Unsafe.NullRef<T>() : ref db[first];
            var columns = end - first;
            switch (SimdDispatch.Current)
            {
                case VectorPath.Vector512:
                    BiasActivationBackward<T, TDerivative, Width512<T>, Vector512<T>>(ref dyFirst, ref savedFirst, ref dzFirst, ref dbFirst, db != null, rows, columns, width, derivative);
                    break;
                case VectorPath.Vector256:
                    BiasActivationBackward<T, TDerivative, Width256<T>, Vector256<T>>(ref dyFirst, ref savedFirst, ref dzFirst, ref dbFirst, db != null, rows, columns, width, derivative);
                    break;
                case VectorPath.Vector128:
                    BiasActivationBackward<T, TDerivative, Width128<T>, Vector128<T>>(ref dyFirst, ref savedFirst, ref dzFirst, ref dbFirst, db != null, rows, columns, width, derivative);
                    break;
                default:
                    BiasActivationBackward<T, TDerivative, ScalarWidth<T>, T>(ref dyFirst, ref savedFirst, ref dzFirst, ref dbFirst, db != null, rows, columns, width, derivative);
                    break;
            }
        }
    }

    /// <summary>
    /// Columns [0, <paramref name="columns"/>) of rows <paramref name="stride"/> apart, row by row, so the bias gradient
    /// (one row, in L1) is summed over rows in order: deterministic, and the same on any range of columns.
    /// </summary>
    private static void BiasActivationBackward<T, TDerivative, TWidth, TVector>(
        ref T dy, ref T saved, ref T dz, ref T db, bool hasBias, int rows, int columns, int stride, in TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        if (hasBias)
        {
            MemoryMarshal.CreateSpan(ref db, columns).Clear();
        }

        var w = TWidth.Count;
        for (var i = 0; i < rows; i++)
        {
            var j = 0;
            for (; j + w <= columns; j += w)
            {
                var z = derivative.Invoke<TWidth, TVector>(TWidth.Load(ref dy, (nuint)j), TWidth.Load(ref saved, (nuint)j));
                TWidth.Store(z, ref dz, (nuint)j);
                if (hasBias)
                {
                    TWidth.Store(TWidth.Add(TWidth.Load(ref db, (nuint)j), z), ref db, (nuint)j);
                }
            }

            for (; j < columns; j++)
            {
                var z = derivative.Invoke<ScalarWidth<T>, T>(Unsafe.Add(ref dy, j), Unsafe.Add(ref saved, j));
                Unsafe.Add(ref dz, j) = z;
                if (hasBias)
                {
                    Unsafe.Add(ref db, j) += z;
                }
            }

            dy = ref Unsafe.Add(ref dy, stride);
            saved = ref Unsafe.Add(ref saved, stride);
            dz = ref Unsafe.Add(ref dz, stride);
        }
    }
}
