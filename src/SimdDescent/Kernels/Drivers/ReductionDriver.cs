using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// Loops for reductions. Four independent accumulators hide the latency of the add/FMA chain (two
/// FMA ports × four-cycle latency want about eight in flight; four registers of 8–16 lanes already
/// saturate the two load ports); spans shorter than four registers use one, saving the merges that
/// dominate a short call. The tail is one overlapping register whose already-counted lanes are masked
/// back to the accumulator's old value. The merge order depends only on the length and the width,
/// never on the address, so a result is reproducible. The operator is passed by value and each width's
/// loop is returned from its own case, so the public kernel tail-calls the loop instead of calling it
/// from a frame of its own.
/// </summary>
internal static class ReductionDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reduce<T, TOp>(TOp op, ReadOnlySpan<T> x)
        where T : unmanaged
        where TOp : struct, IUnaryReductionOperator<T>
        => SimdDispatch.AnyForced ? ReduceForced(op, x) : Reduce(SimdDispatch.DefaultFor<T>(x.Length), op, x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ReduceForced<T, TOp>(TOp op, ReadOnlySpan<T> x)
        where T : unmanaged
        where TOp : struct, IUnaryReductionOperator<T>
        => Reduce(SimdDispatch.CurrentFor<T>(x.Length), op, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Reduce<T, TOp>(VectorPath path, TOp op, ReadOnlySpan<T> x)
        where T : unmanaged
        where TOp : struct, IUnaryReductionOperator<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        var n = (nuint)x.Length;
        switch (path)
        {
            case VectorPath.Vector512: return Reduce<T, TOp, Width512<T>, Vector512<T>>(op, ref xr, n);
            case VectorPath.Vector256: return Reduce<T, TOp, Width256<T>, Vector256<T>>(op, ref xr, n);
            case VectorPath.Vector128: return Reduce<T, TOp, Width128<T>, Vector128<T>>(op, ref xr, n);
            default: return Reduce<T, TOp, ScalarWidth<T>, T>(op, ref xr, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reduce<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
        => SimdDispatch.AnyForced ? ReduceForced(op, x, y) : Reduce(SimdDispatch.DefaultFor<T>(x.Length), op, x, y);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ReduceForced<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
        => Reduce(SimdDispatch.CurrentFor<T>(x.Length), op, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Reduce<T, TOp>(VectorPath path, TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var n = (nuint)x.Length;
        switch (path)
        {
            case VectorPath.Vector512: return Reduce<T, TOp, Width512<T>, Vector512<T>>(op, ref xr, ref yr, n);
            case VectorPath.Vector256: return Reduce<T, TOp, Width256<T>, Vector256<T>>(op, ref xr, ref yr, n);
            case VectorPath.Vector128: return Reduce<T, TOp, Width128<T>, Vector128<T>>(op, ref xr, ref yr, n);
            default: return Reduce<T, TOp, ScalarWidth<T>, T>(op, ref xr, ref yr, n);
        }
    }

    /// <summary>The unary reduction at one width, for kernels that dispatch once and then run several loops.</summary>
    internal static T Reduce<T, TOp, TWidth, TVector>(TOp op, ref T x, nuint n)
        where T : unmanaged
        where TOp : struct, IUnaryReductionOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        var identity = op.Identity;
        if (n < count)
        {
            var scalar = identity;
            for (nuint j = 0; j < n; j++)
            {
                scalar = op.Accumulate<ScalarWidth<T>, T>(scalar, Unsafe.Add(ref x, j));
            }

            return scalar;
        }

        var a0 = TWidth.Broadcast(identity);
        nuint i = 0;
        if (n >= 4 * count)
        {
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (; i + 4 * count <= n; i += 4 * count)
            {
                a0 = op.Accumulate<TWidth, TVector>(a0, TWidth.Load(ref x, i));
                a1 = op.Accumulate<TWidth, TVector>(a1, TWidth.Load(ref x, i + count));
                a2 = op.Accumulate<TWidth, TVector>(a2, TWidth.Load(ref x, i + 2 * count));
                a3 = op.Accumulate<TWidth, TVector>(a3, TWidth.Load(ref x, i + 3 * count));
            }

            a0 = op.Merge<TWidth, TVector>(op.Merge<TWidth, TVector>(a0, a1), op.Merge<TWidth, TVector>(a2, a3));
        }

        for (; i + count <= n; i += count)
        {
            a0 = op.Accumulate<TWidth, TVector>(a0, TWidth.Load(ref x, i));
        }

        if (i < n)
        {
            var mask = TWidth.LastLanesMask((int)(n - i));
            a0 = TWidth.Select(mask, op.Accumulate<TWidth, TVector>(a0, TWidth.Load(ref x, n - count)), a0);
        }

        return TWidth.MergeLanes(op, a0);
    }

    private static T Reduce<T, TOp, TWidth, TVector>(TOp op, ref T x, ref T y, nuint n)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        var identity = op.Identity;
        if (n < count)
        {
            var scalar = identity;
            for (nuint j = 0; j < n; j++)
            {
                scalar = op.Accumulate<ScalarWidth<T>, T>(scalar, Unsafe.Add(ref x, j), Unsafe.Add(ref y, j));
            }

            return scalar;
        }

        if (typeof(TVector) == typeof(Vector512<T>) && Realigned512.Pays<T>(n))
        {
            // Its own method, which the kernel tail-calls: a call in the middle of this one would make
            // every short call save the registers that live across it.
            return Realigned512.Reduce(op, ref x, ref y, n);
        }

        var a0 = TWidth.Broadcast(identity);
        nuint i = 0;
        if (n >= 4 * count)
        {
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (; i + 4 * count <= n; i += 4 * count)
            {
                a0 = op.Accumulate<TWidth, TVector>(a0, TWidth.Load(ref x, i), TWidth.Load(ref y, i));
                a1 = op.Accumulate<TWidth, TVector>(a1, TWidth.Load(ref x, i + count), TWidth.Load(ref y, i + count));
                a2 = op.Accumulate<TWidth, TVector>(a2, TWidth.Load(ref x, i + 2 * count), TWidth.Load(ref y, i + 2 * count));
                a3 = op.Accumulate<TWidth, TVector>(a3, TWidth.Load(ref x, i + 3 * count), TWidth.Load(ref y, i + 3 * count));
            }

            a0 = op.Merge<TWidth, TVector>(op.Merge<TWidth, TVector>(a0, a1), op.Merge<TWidth, TVector>(a2, a3));
        }

        return Finish<T, TOp, TWidth, TVector>(op, a0, ref x, ref y, i, n);
    }

    /// <summary>
    /// The end of a two-input reduction from element <paramref name="i"/>, after the four-register groups
    /// have been merged into <paramref name="a0"/>: whole registers, then the overlapping last register
    /// with its already-counted lanes masked off, then the lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Finish<T, TOp, TWidth, TVector>(TOp op, TVector a0, ref T x, ref T y, nuint i, nuint n)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        for (; i + count <= n; i += count)
        {
            a0 = op.Accumulate<TWidth, TVector>(a0, TWidth.Load(ref x, i), TWidth.Load(ref y, i));
        }

        if (i < n)
        {
            var mask = TWidth.LastLanesMask((int)(n - i));
            a0 = TWidth.Select(mask, op.Accumulate<TWidth, TVector>(a0, TWidth.Load(ref x, n - count), TWidth.Load(ref y, n - count)), a0);
        }

        return TWidth.MergeLanes(op, a0);
    }
}
