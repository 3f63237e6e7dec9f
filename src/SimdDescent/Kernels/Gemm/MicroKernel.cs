using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// The register tile: <see cref="Rows"/> rows × two registers of C (or one, see <see cref="OneRegister"/>) (6 × 16 floats on AVX2, 6 × 32 with
/// Vector512, 6 × 8 with Vector128, 6 × 2 scalar), 12 accumulators plus two B registers and one
/// broadcast — 15 of the 16 x64 vector registers. Written once against <see cref="ISimdWidth{T, TVector}"/>;
/// 12 independent FMA chains cover the FMA latency × throughput (4 × 2) of every target, so the wider
/// AVX-512/NEON register files would gain little from a taller tile and one kernel serves all widths.
/// </summary>
/// <remarks>
/// A is read through row offsets and a step per k, which covers a packed panel (offsets 0..5, step 6),
/// a row-major A used in place (offsets r·lda, step 1) and a transposed A in place (offsets r, step lda).
/// B is read one row of two registers per k with a stride: a packed panel or a row-major B in place.
/// Each element of C is the sequential fused sum over k (for one-register tiles, the sum of its even- and
/// odd-k halves) in the same order whichever way A and B are read, so packed, direct and split runs agree
/// bit for bit.
/// </remarks>
internal static class MicroKernel
{
    /// <summary>Rows of C per tile.</summary>
    public const int Rows = 6;

    /// <summary>The tile of <paramref name="rows"/> rows: the shortest of six, four or two that covers them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TActivation, TWidth, TVector, TPanel>(
        int kc, ref T a, in RowOffsets offsets, nint aStep, ref T b, nint bStep,
        ref T c, nint ldc, int rows, ref T bias, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        if (rows > 4)
        {
            Run<T, TActivation, TWidth, TVector, TPanel, SixRows>(kc, ref a, offsets, aStep, ref b, bStep, ref c, ldc, rows, ref bias, epilogue);
        }
        else if (rows > 2)
        {
            Run<T, TActivation, TWidth, TVector, TPanel, FourRows>(kc, ref a, offsets, aStep, ref b, bStep, ref c, ldc, rows, ref bias, epilogue);
        }
        else
        {
            Run<T, TActivation, TWidth, TVector, TPanel, TwoRows>(kc, ref a, offsets, aStep, ref b, bStep, ref c, ldc, rows, ref bias, epilogue);
        }
    }

    /// <summary>
    /// Accumulates the tile's first <typeparamref name="TRows"/> rows over <paramref name="kc"/> steps and stores
    /// its first <paramref name="rows"/> (≤ TRows) rows (full width) through the epilogue. A short last tile of
    /// rows runs a shorter tile (<see cref="FourRows"/>, <see cref="TwoRows"/>) rather than computing padding rows;
    /// every row's sums are the same operations whatever the tile's height.
    /// </summary>
    /// <remarks>
    /// A method of its own: inlined into the driver's loops, the six row offsets and the steps no longer
    /// fit in registers beside the driver's, and the k loop reloads three of them from the stack each step.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TActivation, TWidth, TVector, TPanel, TRows>(
        int kc, ref T a, in RowOffsets offsets, nint aStep, ref T b, nint bStep,
        ref T c, nint ldc, int rows, ref T bias, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
        where TRows : struct, ITileRows
    {
        var w = (nuint)TWidth.Count;
        var o0 = offsets.R0;
        var o1 = offsets.R1;
        var o2 = offsets.R2;
        var o3 = offsets.R3;
        var o4 = offsets.R4;
        var o5 = offsets.R5;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        var p = 0;
        if (TPanel.SplitsK)
        {
            // One register wide: the idle second accumulator set takes the odd k steps, so twice the FMA
            // chains are in flight; the two partial sums are added before the epilogue.
            for (; p + 1 < kc; p += 2)
            {
                ref var aOdd = ref Unsafe.Add(ref a, aStep);
                var even = TWidth.Load(ref b, 0);
                var odd = TWidth.Load(ref Unsafe.Add(ref b, bStep), 0);
                c00 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref a, o0)), even, c00);
                c01 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref aOdd, o0)), odd, c01);
                c10 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref a, o1)), even, c10);
                c11 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref aOdd, o1)), odd, c11);
                if (TRows.Count > 2)
                {
                    c20 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref a, o2)), even, c20);
                    c21 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref aOdd, o2)), odd, c21);
                    c30 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref a, o3)), even, c30);
                    c31 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref aOdd, o3)), odd, c31);
                }

                if (TRows.Count > 4)
                {
                    c40 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref a, o4)), even, c40);
                    c41 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref aOdd, o4)), odd, c41);
                    c50 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref a, o5)), even, c50);
                    c51 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref aOdd, o5)), odd, c51);
                }

                a = ref Unsafe.Add(ref aOdd, aStep);
                b = ref Unsafe.Add(ref b, 2 * bStep);
            }
        }

        for (; p < kc; p++)
        {
            // b1 is the second register of a two-register panel (unused, and dropped by the JIT, otherwise).
            var b0 = TWidth.Load(ref b, 0);
            var b1 = TPanel.Count == 2 ? TWidth.Load(ref b, w) : b0;
            var x0 = TWidth.Broadcast(Unsafe.Add(ref a, o0));
            var x1 = TWidth.Broadcast(Unsafe.Add(ref a, o1));
            c00 = TWidth.MultiplyAdd(x0, b0, c00);
            c10 = TWidth.MultiplyAdd(x1, b0, c10);
            if (TPanel.Count == 2)
            {
                c01 = TWidth.MultiplyAdd(x0, b1, c01);
                c11 = TWidth.MultiplyAdd(x1, b1, c11);
            }

            if (TRows.Count > 2)
            {
                var x2 = TWidth.Broadcast(Unsafe.Add(ref a, o2));
                var x3 = TWidth.Broadcast(Unsafe.Add(ref a, o3));
                c20 = TWidth.MultiplyAdd(x2, b0, c20);
                c30 = TWidth.MultiplyAdd(x3, b0, c30);
                if (TPanel.Count == 2)
                {
                    c21 = TWidth.MultiplyAdd(x2, b1, c21);
                    c31 = TWidth.MultiplyAdd(x3, b1, c31);
                }
            }

            if (TRows.Count > 4)
            {
                var x4 = TWidth.Broadcast(Unsafe.Add(ref a, o4));
                var x5 = TWidth.Broadcast(Unsafe.Add(ref a, o5));
                c40 = TWidth.MultiplyAdd(x4, b0, c40);
                c50 = TWidth.MultiplyAdd(x5, b0, c50);
                if (TPanel.Count == 2)
                {
                    c41 = TWidth.MultiplyAdd(x4, b1, c41);
                    c51 = TWidth.MultiplyAdd(x5, b1, c51);
                }
            }

            a = ref Unsafe.Add(ref a, aStep);
            b = ref Unsafe.Add(ref b, bStep);
        }

        if (TPanel.SplitsK)
        {
            c00 = TWidth.Add(c00, c01);
            c10 = TWidth.Add(c10, c11);
            c20 = TWidth.Add(c20, c21);
            c30 = TWidth.Add(c30, c31);
            c40 = TWidth.Add(c40, c41);
            c50 = TWidth.Add(c50, c51);
        }

        // Rows past the last valid one were computed from a repeated row (or zero padding) and are dropped.
        StoreRow<T, TActivation, TWidth, TVector, TPanel>(c00, c01, ref c, ref bias, epilogue);
        if (rows > 1)
        {
            StoreRow<T, TActivation, TWidth, TVector, TPanel>(c10, c11, ref Unsafe.Add(ref c, ldc), ref bias, epilogue);
        }

        if (rows > 2)
        {
            StoreRow<T, TActivation, TWidth, TVector, TPanel>(c20, c21, ref Unsafe.Add(ref c, 2 * ldc), ref bias, epilogue);
        }

        if (rows > 3)
        {
            StoreRow<T, TActivation, TWidth, TVector, TPanel>(c30, c31, ref Unsafe.Add(ref c, 3 * ldc), ref bias, epilogue);
        }

        if (rows > 4)
        {
            StoreRow<T, TActivation, TWidth, TVector, TPanel>(c40, c41, ref Unsafe.Add(ref c, 4 * ldc), ref bias, epilogue);
        }

        if (rows > 5)
        {
            StoreRow<T, TActivation, TWidth, TVector, TPanel>(c50, c51, ref Unsafe.Add(ref c, 5 * ldc), ref bias, epilogue);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TActivation, TWidth, TVector, TPanel>(
        TVector low, TVector high, ref T c, ref T bias, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        var w = (nuint)TWidth.Count;
        epilogue.Store<TWidth, TVector>(low, ref c, ref bias);
        if (TPanel.Count == 2)
        {
            epilogue.Store<TWidth, TVector>(high, ref Unsafe.Add(ref c, w), ref Unsafe.Add(ref bias, w));
        }
    }
}
