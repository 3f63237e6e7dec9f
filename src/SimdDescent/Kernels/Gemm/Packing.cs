using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel layouts the micro-kernel streams through:
/// A as panels of <see cref="MicroKernel.Rows"/> rows stored k-major (the six values one k step needs
/// are adjacent), B as panels of nr columns stored row by row. Short edge panels are padded with
/// zeros, so the kernel always runs full tiles and no padding ever reaches C.
/// </summary>
internal static class Packing
{
    /// <summary>Packs the mc × kc block of op(A) whose top-left element is <paramref name="a"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(ref T a, nint lda, bool transpose, int mc, int kc, ref T destination)
        where T : unmanaged
    {
        const int mr = MicroKernel.Rows;
        for (var i0 = 0; i0 < mc; i0 += mr)
        {
            var rows = Math.Min(mr, mc - i0);
            if (transpose)
            {
                // op(A)(i, p) = A[p·lda + i]: each k step is a short contiguous run.
                ref var source = ref Unsafe.Add(ref a, i0);
                for (var p = 0; p < kc; p++)
                {
                    ref var row = ref Unsafe.Add(ref source, p * lda);
                    ref var target = ref Unsafe.Add(ref destination, p * mr);
                    for (var r = 0; r < rows; r++)
                    {
                        Unsafe.Add(ref target, r) = Unsafe.Add(ref row, r);
                    }

                    for (var r = rows; r < mr; r++)
                    {
                        Unsafe.Add(ref target, r) = default;
                    }
                }
            }
            else
            {
                // op(A)(i, p) = A[i·lda + p]: read each row contiguously, write it with stride mr.
                for (var r = 0; r < mr; r++)
                {
                    ref var target = ref Unsafe.Add(ref destination, r);
                    if (r < rows)
                    {
                        ref var row = ref Unsafe.Add(ref a, (i0 + r) * lda);
                        for (var p = 0; p < kc; p++)
                        {
                            Unsafe.Add(ref target, p * mr) = Unsafe.Add(ref row, p);
                        }
                    }
                    else
                    {
                        for (var p = 0; p < kc; p++)
                        {
                            Unsafe.Add(ref target, p * mr) = default;
                        }
                    }
                }
            }

            destination = ref Unsafe.Add(ref destination, kc * mr);
        }
    }

    /// <summary>Packs the kc × nc block of op(B) whose top-left element is <paramref name="b"/> into panels of one or two registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T, TWidth, TVector, TPanel>(ref T b, nint ldb, bool transpose, int kc, int nc, ref T destination)
        where T : unmanaged
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        var w = TWidth.Count;
        var nr = TPanel.Count * w;
        for (var j0 = 0; j0 < nc; j0 += nr)
        {
            var columns = Math.Min(nr, nc - j0);
            if (transpose)
            {
                PackTransposedPanel(ref Unsafe.Add(ref b, j0 * ldb), ldb, kc, columns, nr, ref destination);
            }
            else if (columns == nr)
            {
                ref var source = ref Unsafe.Add(ref b, j0);
                for (var p = 0; p < kc; p++)
                {
                    ref var row = ref Unsafe.Add(ref source, p * ldb);
                    ref var target = ref Unsafe.Add(ref destination, p * nr);
                    TWidth.Store(TWidth.Load(ref row, 0), ref target, 0);
                    if (TPanel.Count == 2)
                    {
                        TWidth.Store(TWidth.Load(ref row, (nuint)w), ref target, (nuint)w);
                    }
                }
            }
            else
            {
                PackEdgePanel<T, TWidth, TVector, TPanel>(ref Unsafe.Add(ref b, j0), ldb, kc, columns, ref destination);
            }

            destination = ref Unsafe.Add(ref destination, kc * nr);
        }
    }

    /// <summary>Packs a row-major kc × columns panel (columns &lt; nr) padded with zeros to nr columns.</summary>
    /// <remarks>
    /// Rows are read as two full registers that run past the panel's last column into the next row of B
    /// (in bounds because ldb + columns ≥ nr: the next row's first columns follow) and the extra lanes
    /// are zeroed by a mask. The last row, and every row of a B too narrow for that, go element by element.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackEdgePanel<T, TWidth, TVector, TPanel>(ref T b, nint ldb, int kc, int columns, ref T destination)
        where T : unmanaged
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        var w = TWidth.Count;
        var nr = TPanel.Count * w;
        var p = 0;
        if (w > 1 && ldb + columns >= nr)
        {
            var zero = TWidth.Broadcast(default);
            var lowMask = TWidth.LastLanesMask(w - Math.Min(columns, w));
            var highMask = TWidth.LastLanesMask(nr - Math.Max(columns, w));
            for (; p < kc - 1; p++)
            {
                ref var row = ref Unsafe.Add(ref b, p * ldb);
                ref var target = ref Unsafe.Add(ref destination, p * nr);
                TWidth.Store(TWidth.Select(lowMask, zero, TWidth.Load(ref row, 0)), ref target, 0);
                if (TPanel.Count == 2)
                {
                    TWidth.Store(columns > w ? TWidth.Select(highMask, zero, TWidth.Load(ref row, (nuint)w)) : zero, ref target, (nuint)w);
                }
            }
        }

        for (; p < kc; p++)
        {
            ref var row = ref Unsafe.Add(ref b, p * ldb);
            ref var target = ref Unsafe.Add(ref destination, p * nr);
            for (var j = 0; j < columns; j++)
            {
                Unsafe.Add(ref target, j) = Unsafe.Add(ref row, j);
            }

            for (var j = columns; j < nr; j++)
            {
                Unsafe.Add(ref target, j) = default;
            }
        }
    }

    /// <summary>op(B)(p, j) = B[j·ldb + p]: each column of the panel is a contiguous row of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedPanel<T>(ref T b, nint ldb, int kc, int columns, int nr, ref T destination)
        where T : unmanaged
    {
        var (blockColumns, blockSteps) = AvxTransposePacking.Pack(ref b, ldb, kc, columns, nr, ref destination);
        for (var j = 0; j < nr; j++)
        {
            ref var target = ref Unsafe.Add(ref destination, j);
            if (j < columns)
            {
                ref var column = ref Unsafe.Add(ref b, j * ldb);
                for (var p = j < blockColumns ? blockSteps : 0; p < kc; p++)
                {
                    Unsafe.Add(ref target, p * nr) = Unsafe.Add(ref column, p);
                }
            }
            else
            {
                for (var p = 0; p < kc; p++)
                {
                    Unsafe.Add(ref target, p * nr) = default;
                }
            }
        }
    }
}
