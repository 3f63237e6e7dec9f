using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// The second pass of ArgMax: the first index holding a given value or a NaN. <c>Span.IndexOf</c> cannot
/// serve: float is not bitwise-equatable (NaN, ±0), so it compares element by element through
/// <c>Equals</c>, ten times slower than the max pass it follows.
/// </summary>
internal static class SearchDriver
{
    /// <summary>The first i with x[i] == value or x[i] NaN; −1 if there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstIndexOfValueOrNaN<T>(ReadOnlySpan<T> x, T value)
        where T : unmanaged
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        var n = (nuint)x.Length;
        return SimdDispatch.CurrentFor<T>(x.Length) switch
        {
            VectorPath.Vector512 => FirstIndexOfValueOrNaN<T, Width512<T>, Vector512<T>>(ref xr, n, value),
            VectorPath.Vector256 => FirstIndexOfValueOrNaN<T, Width256<T>, Vector256<T>>(ref xr, n, value),
            VectorPath.Vector128 => FirstIndexOfValueOrNaN<T, Width128<T>, Vector128<T>>(ref xr, n, value),
            _ => FirstIndexOfValueOrNaN<T, ScalarWidth<T>, T>(ref xr, n, value),
        };
    }

    private static int FirstIndexOfValueOrNaN<T, TWidth, TVector>(ref T x, nuint n, T value)
        where T : unmanaged
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        if (n < count)
        {
            for (nuint j = 0; j < n; j++)
            {
                if (Matches<T, ScalarWidth<T>, T>(Unsafe.Add(ref x, j), value) != 0)
                {
                    return (int)j;
                }
            }

            return -1;
        }

        var target = TWidth.Broadcast(value);
        nuint i = 0;
        for (; i < n - count; i += count)
        {
            var bits = Matches<T, TWidth, TVector>(TWidth.Load(ref x, i), target);
            if (bits != 0)
            {
                return (int)(i + (nuint)BitOperations.TrailingZeroCount(bits));
            }
        }

        // The last register overlaps lanes already searched; none of them matched, so its first match is the first.
        var last = n - count;
        var lastBits = Matches<T, TWidth, TVector>(TWidth.Load(ref x, last), target);
        return lastBits == 0 ? -1 : (int)(last + (nuint)BitOperations.TrailingZeroCount(lastBits));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Matches<T, TWidth, TVector>(TVector v, TVector target)
        where T : unmanaged
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct =>
        TWidth.LaneBits(TWidth.Or(TWidth.Equal(v, target), TWidth.IsNaN(v)));
}
