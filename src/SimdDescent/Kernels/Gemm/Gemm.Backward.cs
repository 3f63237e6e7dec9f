using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasActivationBackward<T, TDerivative>(
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

        ref var dy = ref MemoryMarshal.GetReference(upstreamGradient);
        ref var s = ref MemoryMarshal.GetReference(saved);
        ref var dz = ref MemoryMarshal.GetReference(gradientDestination);
        ref var db = ref MemoryMarshal.GetReference(biasGradientDestination);
        var hasBias = !biasGradientDestination.IsEmpty;
        switch (SimdDispatch.Current)
        {
            case VectorPath.Vector512:
                BiasActivationBackward<T, TDerivative, Width512<T>, Vector512<T>>(ref dy, ref s, ref dz, ref db, hasBias, rows, width, derivative);
                break;
            case VectorPath.Vector256:
                BiasActivationBackward<T, TDerivative, Width256<T>, Vector256<T>>(ref dy, ref s, ref dz, ref db, hasBias, rows, width, derivative);
                break;
            case VectorPath.Vector128:
                BiasActivationBackward<T, TDerivative, Width128<T>, Vector128<T>>(ref dy, ref s, ref dz, ref db, hasBias, rows, width, derivative);
                break;
            default:
                BiasActivationBackward<T, TDerivative, ScalarWidth<T>, T>(ref dy, ref s, ref dz, ref db, hasBias, rows, width, derivative);
                break;
        }
    }

    /// <summary>Row by row, so the bias gradient (one row, in L1) is summed over rows in order: deterministic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BiasActivationBackward<T, TDerivative, TWidth, TVector>(
        ref T dy, ref T saved, ref T dz, ref T db, bool hasBias, int rows, int width, in TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        if (hasBias)
        {
            MemoryMarshal.CreateSpan(ref db, width).Clear();
        }

        var w = TWidth.Count;
        for (var i = 0; i < rows; i++)
        {
            var j = 0;
            for (; j + w <= width; j += w)
            {
                var z = derivative.Invoke<TWidth, TVector>(TWidth.Load(ref dy, (nuint)j), TWidth.Load(ref saved, (nuint)j));
                TWidth.Store(z, ref dz, (nuint)j);
                if (hasBias)
                {
                    TWidth.Store(TWidth.Add(TWidth.Load(ref db, (nuint)j), z), ref db, (nuint)j);
                }
            }

            for (; j < width; j++)
            {
                var z = derivative.Invoke<ScalarWidth<T>, T>(Unsafe.Add(ref dy, j), Unsafe.Add(ref saved, j));
                Unsafe.Add(ref dz, j) = z;
                if (hasBias)
                {
                    Unsafe.Add(ref db, j) += z;
                }
            }

            dy = ref Unsafe.Add(ref dy, width);
            saved = ref Unsafe.Add(ref saved, width);
            dz = ref Unsafe.Add(ref dz, width);
        }
    }
}
