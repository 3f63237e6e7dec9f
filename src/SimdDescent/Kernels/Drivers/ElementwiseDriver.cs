using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// Loops for element-wise operators: the width is chosen once per call and the body is unrolled four
/// registers deep (two for three inputs), each group loaded and computed before it is stored; deeper
/// unrolling made transcendental operators spill their temporaries (tanh over 1M floats 12× slower).
/// The first and the last register are computed from the inputs <em>before</em> the loop stores
/// anything and are stored after it, so in-place calls (destination = input) stay correct; between
/// them the loop starts, on spans of eight registers or more, at the first register-aligned
/// destination address, so no store splits across two cache lines (every unaligned 64-byte store
/// would), and it stops short of the last register, so an exact multiple of the width computes no
/// register twice. The two- and three-input loops take the operator by value: the public kernel that
/// dispatches then jumps to the loop (a tail call) instead of calling it from a frame of its own, about
/// 1 ns of a 5 ns Add of 16 floats. The one-input loop keeps <c>in</c>: by value, its exp over 4,096
/// floats ran 2× slower (538 → 980 ns) with the same loop instructions, and at full speed again with
/// dynamic PGO turned off (<c>DOTNET_TieredPGO=0</c>), so the profile-guided layout of the tail-called
/// loop is what loses; with <c>in</c> it does not happen.
/// </summary>
internal static class ElementwiseDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        if (SimdDispatch.AnyForced)
        {
            MapForced(op, x, destination);
            return;
        }

        Map(SimdDispatch.DefaultFor<T>(x.Length), op, x, destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MapForced<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
        => Map(SimdDispatch.CurrentFor<T>(x.Length), op, x, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<T, TOp>(VectorPath path, TOp op, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        switch (path)
        {
            case VectorPath.Vector512: Map<T, TOp, Width512<T>, Vector512<T>>(op, ref xr, ref dr, n); break;
            case VectorPath.Vector256: Map<T, TOp, Width256<T>, Vector256<T>>(op, ref xr, ref dr, n); break;
            case VectorPath.Vector128: Map<T, TOp, Width128<T>, Vector128<T>>(op, ref xr, ref dr, n); break;
            default: Map<T, TOp, ScalarWidth<T>, T>(op, ref xr, ref dr, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IBinaryOperator<T>
    {
        if (SimdDispatch.AnyForced)
        {
            MapForced(op, x, y, destination);
            return;
        }

        Map(SimdDispatch.DefaultFor<T>(x.Length), op, x, y, destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MapForced<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IBinaryOperator<T>
        => Map(SimdDispatch.CurrentFor<T>(x.Length), op, x, y, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<T, TOp>(VectorPath path, TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IBinaryOperator<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        switch (path)
        {
            case VectorPath.Vector512: Map<T, TOp, Width512<T>, Vector512<T>>(op, ref xr, ref yr, ref dr, n); break;
            case VectorPath.Vector256: Map<T, TOp, Width256<T>, Vector256<T>>(op, ref xr, ref yr, ref dr, n); break;
            case VectorPath.Vector128: Map<T, TOp, Width128<T>, Vector128<T>>(op, ref xr, ref yr, ref dr, n); break;
            default: Map<T, TOp, ScalarWidth<T>, T>(op, ref xr, ref yr, ref dr, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination)
        where T : unmanaged
        where TOp : struct, ITernaryOperator<T>
    {
        if (SimdDispatch.AnyForced)
        {
            MapForced(op, x, y, z, destination);
            return;
        }

        Map(SimdDispatch.DefaultFor<T>(x.Length), op, x, y, z, destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MapForced<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination)
        where T : unmanaged
        where TOp : struct, ITernaryOperator<T>
        => Map(SimdDispatch.CurrentFor<T>(x.Length), op, x, y, z, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<T, TOp>(VectorPath path, TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination)
        where T : unmanaged
        where TOp : struct, ITernaryOperator<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var zr = ref MemoryMarshal.GetReference(z);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        switch (path)
        {
            case VectorPath.Vector512: Map<T, TOp, Width512<T>, Vector512<T>>(op, ref xr, ref yr, ref zr, ref dr, n); break;
            case VectorPath.Vector256: Map<T, TOp, Width256<T>, Vector256<T>>(op, ref xr, ref yr, ref zr, ref dr, n); break;
            case VectorPath.Vector128: Map<T, TOp, Width128<T>, Vector128<T>>(op, ref xr, ref yr, ref zr, ref dr, n); break;
            default: Map<T, TOp, ScalarWidth<T>, T>(op, ref xr, ref yr, ref zr, ref dr, n); break;
        }
    }

    /// <summary>The unary loop at one width, for kernels that dispatch once and then run several loops.</summary>
    internal static void Map<T, TOp, TWidth, TVector>(in TOp op, ref T x, ref T d, nuint n)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        if (n < count)
        {
            for (nuint j = 0; j < n; j++)
            {
                Unsafe.Add(ref d, j) = op.Invoke<ScalarWidth<T>, T>(Unsafe.Add(ref x, j));
            }

            return;
        }

        var last = n - count;
        var tail = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, last));
        var start = StartOfLoop<T>(ref d, n, count);
        var head = start != 0 ? op.Invoke<TWidth, TVector>(TWidth.Load(ref x, 0)) : default;
        var i = start;
        for (; i + (4 * count) < n; i += 4 * count)
        {
            var r0 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i));
            var r1 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + count));
            var r2 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + 2 * count));
            var r3 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + 3 * count));
            TWidth.Store(r0, ref d, i);
            TWidth.Store(r1, ref d, i + count);
            TWidth.Store(r2, ref d, i + 2 * count);
            TWidth.Store(r3, ref d, i + 3 * count);
        }

        for (; i + count < n; i += count)
        {
            TWidth.Store(op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i)), ref d, i);
        }

        if (start != 0)
        {
            TWidth.Store(head, ref d, 0);
        }

        TWidth.Store(tail, ref d, last);
    }

    private static void Map<T, TOp, TWidth, TVector>(TOp op, ref T x, ref T y, ref T d, nuint n)
        where T : unmanaged
        where TOp : struct, IBinaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        if (n < count)
        {
            for (nuint j = 0; j < n; j++)
            {
                Unsafe.Add(ref d, j) = op.Invoke<ScalarWidth<T>, T>(Unsafe.Add(ref x, j), Unsafe.Add(ref y, j));
            }

            return;
        }

        var last = n - count;
        var tail = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, last), TWidth.Load(ref y, last));
        var start = StartOfLoop<T>(ref d, n, count);
        var head = start != 0 ? op.Invoke<TWidth, TVector>(TWidth.Load(ref x, 0), TWidth.Load(ref y, 0)) : default;
        var i = start;
        for (; i + (4 * count) < n; i += 4 * count)
        {
            var r0 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i), TWidth.Load(ref y, i));
            var r1 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + count), TWidth.Load(ref y, i + count));
            var r2 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + 2 * count), TWidth.Load(ref y, i + 2 * count));
            var r3 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + 3 * count), TWidth.Load(ref y, i + 3 * count));
            TWidth.Store(r0, ref d, i);
            TWidth.Store(r1, ref d, i + count);
            TWidth.Store(r2, ref d, i + 2 * count);
            TWidth.Store(r3, ref d, i + 3 * count);
        }

        for (; i + count < n; i += count)
        {
            TWidth.Store(op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i), TWidth.Load(ref y, i)), ref d, i);
        }

        if (start != 0)
        {
            TWidth.Store(head, ref d, 0);
        }

        TWidth.Store(tail, ref d, last);
    }

    private static void Map<T, TOp, TWidth, TVector>(TOp op, ref T x, ref T y, ref T z, ref T d, nuint n)
        where T : unmanaged
        where TOp : struct, ITernaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        if (n < count)
        {
            for (nuint j = 0; j < n; j++)
            {
                Unsafe.Add(ref d, j) = op.Invoke<ScalarWidth<T>, T>(Unsafe.Add(ref x, j), Unsafe.Add(ref y, j), Unsafe.Add(ref z, j));
            }

            return;
        }

        var last = n - count;
        var tail = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, last), TWidth.Load(ref y, last), TWidth.Load(ref z, last));
        var start = StartOfLoop<T>(ref d, n, count);
        var head = start != 0 ? op.Invoke<TWidth, TVector>(TWidth.Load(ref x, 0), TWidth.Load(ref y, 0), TWidth.Load(ref z, 0)) : default;
        var i = start;
        for (; i + (2 * count) < n; i += 2 * count)
        {
            var r0 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i), TWidth.Load(ref y, i), TWidth.Load(ref z, i));
            var r1 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + count), TWidth.Load(ref y, i + count), TWidth.Load(ref z, i + count));
            TWidth.Store(r0, ref d, i);
            TWidth.Store(r1, ref d, i + count);
        }

        for (; i + count < n; i += count)
        {
            TWidth.Store(op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i), TWidth.Load(ref y, i), TWidth.Load(ref z, i)), ref d, i);
        }

        if (start != 0)
        {
            TWidth.Store(head, ref d, 0);
        }

        TWidth.Store(tail, ref d, last);
    }

    /// <summary>
    /// d[i] = op(x[i]) for 0 ≤ i &lt; n, <paramref name="n"/> ≥ one register, and returns the values
    /// written folded by <paramref name="reduce"/> (e.g. the sum of a softmax numerator) in the same pass,
    /// in an order fixed by <paramref name="n"/> alone. The last, overlapping register is computed before
    /// any store, so the call may run in place, and only its new lanes are folded.
    /// </summary>
    internal static T MapAndReduce<T, TOp, TReduce, TWidth, TVector>(in TOp op, in TReduce reduce, ref T x, ref T d, nuint n)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
        where TReduce : struct, IUnaryReductionOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        var last = n - count;
        var tail = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, last));
        var a0 = TWidth.Broadcast(reduce.Identity);
        var a1 = a0;
        var a2 = a0;
        var a3 = a0;
        nuint i = 0;
        for (; i + (4 * count) < n; i += 4 * count)
        {
            var r0 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i));
            var r1 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + count));
            var r2 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + 2 * count));
            var r3 = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i + 3 * count));
            TWidth.Store(r0, ref d, i);
            TWidth.Store(r1, ref d, i + count);
            TWidth.Store(r2, ref d, i + 2 * count);
            TWidth.Store(r3, ref d, i + 3 * count);
            a0 = reduce.Accumulate<TWidth, TVector>(a0, r0);
            a1 = reduce.Accumulate<TWidth, TVector>(a1, r1);
            a2 = reduce.Accumulate<TWidth, TVector>(a2, r2);
            a3 = reduce.Accumulate<TWidth, TVector>(a3, r3);
        }

        for (; i + count < n; i += count)
        {
            var r = op.Invoke<TWidth, TVector>(TWidth.Load(ref x, i));
            TWidth.Store(r, ref d, i);
            a0 = reduce.Accumulate<TWidth, TVector>(a0, r);
        }

        // 1 to count elements remain, the last lanes of the tail register (all of it for the scalar width).
        var folded = reduce.Accumulate<TWidth, TVector>(a1, tail);
        a1 = n - i == count ? folded : TWidth.Select(TWidth.LastLanesMask((int)(n - i)), folded, a1);
        TWidth.Store(tail, ref d, last);
        return TWidth.MergeLanes(reduce, reduce.Merge<TWidth, TVector>(reduce.Merge<TWidth, TVector>(a0, a1), reduce.Merge<TWidth, TVector>(a2, a3)));
    }

    /// <summary>Elements from <paramref name="d"/> to the next address that is a multiple of one register (fewer than <paramref name="count"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint StartOfLoop<T>(ref T d, nuint n, nuint count)
        where T : unmanaged
    {
        const int AlignFromRegisters = 8;
        if (n < AlignFromRegisters * count)
        {
            return 0;
        }

        return Alignment.ElementsToNext(ref d, count * (nuint)Unsafe.SizeOf<T>());
    }
}
