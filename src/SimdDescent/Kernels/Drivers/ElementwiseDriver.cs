using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// Loops for element-wise operators: the width is chosen once per call and the body is unrolled four
/// registers deep. The first and the last register are computed from the inputs <em>before</em> the
/// loop stores anything and are stored after it, so in-place calls (destination = input) stay correct;
/// between them the loop starts, on spans of eight registers or more, at the first register-aligned
/// destination address, so no store splits across two cache lines (every unaligned 64-byte store
/// would), and it stops short of the last register, so an exact multiple of the width computes no
/// register twice.
/// </summary>
internal static class ElementwiseDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        switch (SimdDispatch.ForLength<T>(n))
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
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        switch (SimdDispatch.ForLength<T>(n))
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
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var zr = ref MemoryMarshal.GetReference(z);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        switch (SimdDispatch.ForLength<T>(n))
        {
            case VectorPath.Vector512: Map<T, TOp, Width512<T>, Vector512<T>>(op, ref xr, ref yr, ref zr, ref dr, n); break;
            case VectorPath.Vector256: Map<T, TOp, Width256<T>, Vector256<T>>(op, ref xr, ref yr, ref zr, ref dr, n); break;
            case VectorPath.Vector128: Map<T, TOp, Width128<T>, Vector128<T>>(op, ref xr, ref yr, ref zr, ref dr, n); break;
            default: Map<T, TOp, ScalarWidth<T>, T>(op, ref xr, ref yr, ref zr, ref dr, n); break;
        }
    }

    private static void Map<T, TOp, TWidth, TVector>(in TOp op, ref T x, ref T d, nuint n)
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
                Unsafe.Add(ref d, j) = op.Invoke(Unsafe.Add(ref x, j));
            }

            return;
        }

        var last = n - count;
        var tail = TWidth.Apply(op, TWidth.Load(ref x, last));
        var start = StartOfLoop<T>(ref d, n, count);
        var head = start != 0 ? TWidth.Apply(op, TWidth.Load(ref x, 0)) : default;
        var i = start;
        for (; i + (4 * count) < n; i += 4 * count)
        {
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i)), ref d, i);
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i + count)), ref d, i + count);
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i + 2 * count)), ref d, i + 2 * count);
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i + 3 * count)), ref d, i + 3 * count);
        }

        for (; i + count < n; i += count)
        {
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i)), ref d, i);
        }

        if (start != 0)
        {
            TWidth.Store(head, ref d, 0);
        }

        TWidth.Store(tail, ref d, last);
    }

    private static void Map<T, TOp, TWidth, TVector>(in TOp op, ref T x, ref T y, ref T d, nuint n)
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
                Unsafe.Add(ref d, j) = op.Invoke(Unsafe.Add(ref x, j), Unsafe.Add(ref y, j));
            }

            return;
        }

        var last = n - count;
        var tail = TWidth.Apply(op, TWidth.Load(ref x, last), TWidth.Load(ref y, last));
        var start = StartOfLoop<T>(ref d, n, count);
        var head = start != 0 ? TWidth.Apply(op, TWidth.Load(ref x, 0), TWidth.Load(ref y, 0)) : default;
        var i = start;
        for (; i + (4 * count) < n; i += 4 * count)
        {
            var r0 = TWidth.Apply(op, TWidth.Load(ref x, i), TWidth.Load(ref y, i));
            var r1 = TWidth.Apply(op, TWidth.Load(ref x, i + count), TWidth.Load(ref y, i + count));
            var r2 = TWidth.Apply(op, TWidth.Load(ref x, i + 2 * count), TWidth.Load(ref y, i + 2 * count));
            var r3 = TWidth.Apply(op, TWidth.Load(ref x, i + 3 * count), TWidth.Load(ref y, i + 3 * count));
            TWidth.Store(r0, ref d, i);
            TWidth.Store(r1, ref d, i + count);
            TWidth.Store(r2, ref d, i + 2 * count);
            TWidth.Store(r3, ref d, i + 3 * count);
        }

        for (; i + count < n; i += count)
        {
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i), TWidth.Load(ref y, i)), ref d, i);
        }

        if (start != 0)
        {
            TWidth.Store(head, ref d, 0);
        }

        TWidth.Store(tail, ref d, last);
    }

    private static void Map<T, TOp, TWidth, TVector>(in TOp op, ref T x, ref T y, ref T z, ref T d, nuint n)
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
                Unsafe.Add(ref d, j) = op.Invoke(Unsafe.Add(ref x, j), Unsafe.Add(ref y, j), Unsafe.Add(ref z, j));
            }

            return;
        }

        var last = n - count;
        var tail = TWidth.Apply(op, TWidth.Load(ref x, last), TWidth.Load(ref y, last), TWidth.Load(ref z, last));
        var start = StartOfLoop<T>(ref d, n, count);
        var head = start != 0 ? TWidth.Apply(op, TWidth.Load(ref x, 0), TWidth.Load(ref y, 0), TWidth.Load(ref z, 0)) : default;
        var i = start;
        for (; i + (2 * count) < n; i += 2 * count)
        {
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i), TWidth.Load(ref y, i), TWidth.Load(ref z, i)), ref d, i);
            TWidth.Store(
                TWidth.Apply(op, TWidth.Load(ref x, i + count), TWidth.Load(ref y, i + count), TWidth.Load(ref z, i + count)),
                ref d,
                i + count);
        }

        for (; i + count < n; i += count)
        {
            TWidth.Store(TWidth.Apply(op, TWidth.Load(ref x, i), TWidth.Load(ref y, i), TWidth.Load(ref z, i)), ref d, i);
        }

        if (start != 0)
        {
            TWidth.Store(head, ref d, 0);
        }

        TWidth.Store(tail, ref d, last);
    }

    /// <summary>
    /// Where the loop starts: at the first register-aligned destination address when the span is long
    /// enough for split stores to matter (then the first register is stored apart), else at 0 — a short
    /// span is a few registers, and the extra register would cost more than the splits it saves.
    /// </summary>
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
