using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SimdDescent.Kernels;

/// <summary>
/// Packs a transposed B panel (the NT product, dX = dY·Wᵀ) with in-register 8 × 8 (float) or 4 × 4
/// (double) transposes. The cross-platform vector API has no two-source shuffle, so this is the one
/// place the GEMM uses x86 intrinsics; elsewhere (and for rows left over) the panel is packed element
/// by element. Element-for-element the same copy, so the choice never changes a result.
/// </summary>
internal static class AvxTransposePacking
{
    /// <summary>
    /// Packs the first <paramref name="columns"/> columns of op(B) (rows of the stored B), rounded down to
    /// whole 8 × 8 (float) or 4 × 4 (double) blocks, into a panel <paramref name="nr"/> wide, and returns
    /// how many columns and k steps it packed; the caller packs the rest element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int Columns, int Steps) Pack<T>(ref T b, nint ldb, int kc, int columns, int nr, ref T destination)
        where T : unmanaged
    {
        if (Avx.IsSupported && typeof(T) == typeof(float))
        {
            var blockColumns = columns / 8 * 8;
            return (blockColumns, PackSingle(ref Unsafe.As<T, float>(ref b), ldb, kc, blockColumns, nr, ref Unsafe.As<T, float>(ref destination)));
        }

        if (Avx.IsSupported && typeof(T) == typeof(double))
        {
            var blockColumns = columns / 4 * 4;
            return (blockColumns, PackDouble(ref Unsafe.As<T, double>(ref b), ldb, kc, blockColumns, nr, ref Unsafe.As<T, double>(ref destination)));
        }

        return (0, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PackSingle(ref float b, nint ldb, int kc, int columns, int nr, ref float destination)
    {
        var blocks = kc / 8 * 8;
        for (var j = 0; j < columns; j += 8)
        {
            ref var rows = ref Unsafe.Add(ref b, j * ldb);
            for (var p = 0; p < blocks; p += 8)
            {
                ref var source = ref Unsafe.Add(ref rows, p);
                var t0 = Avx.UnpackLow(Load(ref source, 0), Load(ref source, ldb));
                var t1 = Avx.UnpackHigh(Load(ref source, 0), Load(ref source, ldb));
                var t2 = Avx.UnpackLow(Load(ref source, 2 * ldb), Load(ref source, 3 * ldb));
                var t3 = Avx.UnpackHigh(Load(ref source, 2 * ldb), Load(ref source, 3 * ldb));
                var t4 = Avx.UnpackLow(Load(ref source, 4 * ldb), Load(ref source, 5 * ldb));
                var t5 = Avx.UnpackHigh(Load(ref source, 4 * ldb), Load(ref source, 5 * ldb));
                var t6 = Avx.UnpackLow(Load(ref source, 6 * ldb), Load(ref source, 7 * ldb));
                var t7 = Avx.UnpackHigh(Load(ref source, 6 * ldb), Load(ref source, 7 * ldb));

                // s0 = column 0 of rows 0-3 | column 4 of rows 0-3, and so on.
                var s0 = Avx.Shuffle(t0, t2, 0x44);
                var s1 = Avx.Shuffle(t0, t2, 0xEE);
                var s2 = Avx.Shuffle(t1, t3, 0x44);
                var s3 = Avx.Shuffle(t1, t3, 0xEE);
                var s4 = Avx.Shuffle(t4, t6, 0x44);
                var s5 = Avx.Shuffle(t4, t6, 0xEE);
                var s6 = Avx.Shuffle(t5, t7, 0x44);
                var s7 = Avx.Shuffle(t5, t7, 0xEE);
                ref var target = ref Unsafe.Add(ref destination, (p * nr) + j);
                Store(Avx.Permute2x128(s0, s4, 0x20), ref target, 0);
                Store(Avx.Permute2x128(s1, s5, 0x20), ref target, nr);
                Store(Avx.Permute2x128(s2, s6, 0x20), ref target, 2 * nr);
                Store(Avx.Permute2x128(s3, s7, 0x20), ref target, 3 * nr);
                Store(Avx.Permute2x128(s0, s4, 0x31), ref target, 4 * nr);
                Store(Avx.Permute2x128(s1, s5, 0x31), ref target, 5 * nr);
                Store(Avx.Permute2x128(s2, s6, 0x31), ref target, 6 * nr);
                Store(Avx.Permute2x128(s3, s7, 0x31), ref target, 7 * nr);
            }
        }

        return blocks;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PackDouble(ref double b, nint ldb, int kc, int columns, int nr, ref double destination)
    {
        var blocks = kc / 4 * 4;
        for (var j = 0; j < columns; j += 4)
        {
            ref var rows = ref Unsafe.Add(ref b, j * ldb);
            for (var p = 0; p < blocks; p += 4)
            {
                ref var source = ref Unsafe.Add(ref rows, p);
                var t0 = Avx.UnpackLow(Load(ref source, 0), Load(ref source, ldb));
                var t1 = Avx.UnpackHigh(Load(ref source, 0), Load(ref source, ldb));
                var t2 = Avx.UnpackLow(Load(ref source, 2 * ldb), Load(ref source, 3 * ldb));
                var t3 = Avx.UnpackHigh(Load(ref source, 2 * ldb), Load(ref source, 3 * ldb));
                ref var target = ref Unsafe.Add(ref destination, (p * nr) + j);
                Store(Avx.Permute2x128(t0, t2, 0x20), ref target, 0);
                Store(Avx.Permute2x128(t1, t3, 0x20), ref target, nr);
                Store(Avx.Permute2x128(t0, t2, 0x31), ref target, 2 * nr);
                Store(Avx.Permute2x128(t1, t3, 0x31), ref target, 3 * nr);
            }
        }

        return blocks;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<TElement> Load<TElement>(ref TElement source, nint offset) => Vector256.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TElement>(Vector256<TElement> value, ref TElement target, nint offset) =>
        value.StoreUnsafe(ref Unsafe.Add(ref target, offset));
}
