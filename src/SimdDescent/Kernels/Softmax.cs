using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Row-wise softmax of a rows × width matrix, numerically stable: each row is shifted by its maximum
/// before exponentiation, so logits of any finite size (±1e30 included) give finite probabilities.
/// </summary>
public static class Softmax
{
    /// <summary>destination[r, j] = e^(x[r, j] − max_r) / Σ_k e^(x[r, k] − max_r). May run in place.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> destination, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Guard.Matrix(x, rows, width);
        Guard.Destination(x.Length, destination);
        Guard.NoPartialOverlap(x, destination);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dr = ref MemoryMarshal.GetReference(destination);

        // One dispatch per call; each row then takes three passes (max; exp written and summed; scale).
        switch (SimdDispatch.CurrentFor<T>(width))
        {
            case VectorPath.Vector512: ForwardRows<T, Width512<T>, Vector512<T>>(ref xr, ref dr, rows, (nuint)width); break;
            case VectorPath.Vector256: ForwardRows<T, Width256<T>, Vector256<T>>(ref xr, ref dr, rows, (nuint)width); break;
            case VectorPath.Vector128: ForwardRows<T, Width128<T>, Vector128<T>>(ref xr, ref dr, rows, (nuint)width); break;
            default: ForwardRows<T, ScalarWidth<T>, T>(ref xr, ref dr, rows, (nuint)width); break;
        }
    }

    /// <summary>Writes e^(x − max x) to <paramref name="destination"/>; returns max x (the shift) and the sum written.</summary>
    internal static (T Max, T Sum) ExponentiateShifted<T>(ReadOnlySpan<T> row, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(row);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)row.Length;
        return SimdDispatch.CurrentFor<T>(row.Length) switch
        {
            VectorPath.Vector512 => ExponentiateShifted<T, Width512<T>, Vector512<T>>(ref xr, ref dr, n),
            VectorPath.Vector256 => ExponentiateShifted<T, Width256<T>, Vector256<T>>(ref xr, ref dr, n),
            VectorPath.Vector128 => ExponentiateShifted<T, Width128<T>, Vector128<T>>(ref xr, ref dr, n),
            _ => ExponentiateShifted<T, ScalarWidth<T>, T>(ref xr, ref dr, n),
        };
    }

    private static void ForwardRows<T, TWidth, TVector>(ref T x, ref T destination, int rows, nuint width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        nuint offset = 0;
        for (var r = 0; r < rows; r++, offset += width)
        {
            ref var output = ref Unsafe.Add(ref destination, offset);
            var (_, sum) = ExponentiateShifted<T, TWidth, TVector>(ref Unsafe.Add(ref x, offset), ref output, width);
            ElementwiseDriver.Map<T, ScaleOperator<T>, TWidth, TVector>(new ScaleOperator<T>(T.One / sum), ref output, ref output, width);
        }
    }

    /// <summary>The max pass, then e^(x − max) written and summed in one pass; <paramref name="n"/> ≥ one register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T Max, T Sum) ExponentiateShifted<T, TWidth, TVector>(ref T row, ref T destination, nuint n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var max = ReductionDriver.Reduce<T, MaxOperator<T>, TWidth, TVector>(new MaxOperator<T>(), ref row, n);
        var sum = ElementwiseDriver.MapAndReduce<T, SubtractExpOperator<T>, SumOperator<T>, TWidth, TVector>(
            new SubtractExpOperator<T>(max), new SumOperator<T>(), ref row, ref destination, n);
        return (max, sum);
    }
}
