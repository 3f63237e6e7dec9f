using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// The Goto/BLIS loop nest around <see cref="MicroKernel"/>, written once for every width:
/// jc (NC columns) → pc (KC deep: one B block, L3/L2) → ic (MC rows: one A block, L2) → jr (one B
/// panel, L1) → ir (one register tile). The direct path runs the same nest without copying A, and
/// copies B only where it must (transposed B, or a last partial panel that is not one whole register).
/// A last panel of two-register tiles that one register covers runs one-register tiles summed in the
/// same order, so it neither computes padding columns nor goes through a copy of C.
/// </summary>
internal static class GemmDriver
{
    /// <summary>Depth of a K block: a 256 × 16-float B panel is 16 KiB, half of L1d.</summary>
    public const int KC = 256;

    /// <summary>Columns of a B block; any width's panel width divides it.</summary>
    public const int NC = 4096;

    /// <summary>Rows of an A block: MC × KC is 144 KiB (floats) or 144 KiB (doubles), well inside a 512 KiB L2.</summary>
    public static int MC<T>() where T : unmanaged => Unsafe.SizeOf<T>() == sizeof(float) ? 144 : 72;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TActivation, TWidth, TVector, TPanel>(
        scoped in GemmOperands<T> g, T alpha, T beta, bool fused, TActivation activation, GemmPlan plan)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        if (g.K == 1 && !g.TransposeB)
        {
            OuterProduct.Run<T, TActivation, TWidth, TVector>(
                g,
                fused
                    ? TileEpilogue<T, TActivation>.ForBiasActivation(g.HasBias, firstBlock: true, lastBlock: true, activation)
                    : TileEpilogue<T, TActivation>.ForMultiply(alpha, beta, firstBlock: true));
            return;
        }

        const int mr = MicroKernel.Rows;
        var w = TWidth.Count;
        var nr = TPanel.Count * w;
        var mcMax = MC<T>();
        var packA = plan.PackA;
        var packB = packA || g.TransposeB;
        var blocks = g.K == 0 ? 1 : (g.K + KC - 1) / KC;

        // Only products that copy something touch the thread's buffers: a direct product whose columns
        // fill whole registers reads A and B in place and needs none.
        var lastEdge = g.N % nr;
        var copies = packB || (lastEdge != 0 && !(TPanel.Count == 2 && lastEdge == w));
        var workspace = copies && !plan.RowVector ? GemmWorkspace<T>.Current : null;
        for (var jc = 0; jc < g.N; jc += NC)
        {
            var nc = Math.Min(NC, g.N - jc);
            ref var biasBlock = ref Unsafe.Add(ref g.Bias, jc);
            var edgeColumns = nc % nr;

            // A last panel of exactly one register (two-register tiles) runs the one-register kernel on B in place.
            var edgeInPlace = !packB && TPanel.Count == 2 && edgeColumns == w;
            for (var block = 0; block < blocks; block++)
            {
                var pc = block * KC;
                var kc = Math.Min(KC, g.K - pc);
                var epilogue = fused
                    ? TileEpilogue<T, TActivation>.ForBiasActivation(g.HasBias, block == 0, block == blocks - 1, activation)
                    : TileEpilogue<T, TActivation>.ForMultiply(alpha, beta, block == 0);
                ref var aBlock = ref Unsafe.Add(ref g.A, g.TransposeA ? pc * g.Lda : pc);
                var aColumnStep = g.TransposeA ? g.Lda : 1;
                ref var bBlock = ref Unsafe.Add(ref g.B, g.TransposeB ? (jc * g.Ldb) + pc : (pc * g.Ldb) + jc);
                if (plan.RowVector)
                {
                    RowKernel.Run<T, TActivation, TWidth, TVector, TPanel>(
                        nc, kc, ref aBlock, aColumnStep, ref bBlock, g.Ldb, ref Unsafe.Add(ref g.C, jc), ref biasBlock, epilogue);
                    continue;
                }

                var panels = (nc + nr - 1) / nr;
                ref var bPacked = ref Unsafe.NullRef<T>();
                if (packB)
                {
                    bPacked = ref workspace!.B(panels * nr * Math.Max(kc, 1));
                    Packing.PackB<T, TWidth, TVector, TPanel>(ref bBlock, g.Ldb, g.TransposeB, kc, nc, ref bPacked);
                }
                else if (edgeColumns != 0 && !edgeInPlace)
                {
                    bPacked = ref workspace!.B(nr * Math.Max(kc, 1));
                    Packing.PackEdgePanel<T, TWidth, TVector, TPanel>(ref Unsafe.Add(ref bBlock, nc - edgeColumns), g.Ldb, kc, edgeColumns, ref bPacked);
                }

                for (var ic = 0; ic < g.M; ic += mcMax)
                {
                    var mc = Math.Min(mcMax, g.M - ic);
                    ref var aRows = ref Unsafe.Add(ref aBlock, g.TransposeA ? ic : ic * g.Lda);
                    ref var aPacked = ref packA ? ref workspace!.A(mcMax * Math.Max(kc, 1)) : ref aRows;
                    if (packA)
                    {
                        Packing.PackA(ref aRows, g.Lda, g.TransposeA, mc, kc, ref aPacked);
                    }

                    for (var j0 = 0; j0 < nc; j0 += nr)
                    {
                        var columns = Math.Min(nr, nc - j0);
                        var inPlace = !packB && (columns == nr || edgeInPlace);
                        ref var bPanel = ref packB ? ref Unsafe.Add(ref bPacked, (j0 / nr) * nr * kc)
                            : ref (inPlace ? ref Unsafe.Add(ref bBlock, j0) : ref bPacked);
                        var bStep = inPlace ? g.Ldb : nr;
                        for (var i0 = 0; i0 < mc; i0 += mr)
                        {
                            var rows = Math.Min(mr, mc - i0);
                            ref var aTile = ref packA ? ref Unsafe.Add(ref aPacked, (i0 / mr) * mr * kc)
                                : ref Unsafe.Add(ref aRows, g.TransposeA ? i0 : i0 * g.Lda);
                            var offsets = packA ? RowOffsets.Strided(1, mr)
                                : RowOffsets.Strided(g.TransposeA ? 1 : g.Lda, rows);
                            var aStep = packA ? mr : aColumnStep;
                            ref var cTile = ref Unsafe.Add(ref g.C, ((ic + i0) * g.Ldc) + jc + j0);
                            ref var biasTile = ref Unsafe.Add(ref biasBlock, j0);
                            if (columns == nr)
                            {
                                MicroKernel.Run<T, TActivation, TWidth, TVector, TPanel>(
                                    kc, ref aTile, offsets, aStep, ref bPanel, bStep, ref cTile, g.Ldc, rows, ref biasTile, epilogue);
                            }
                            else if (TPanel.Count == 2 && columns == w)
                            {
                                MicroKernel.Run<T, TActivation, TWidth, TVector, OneRegisterInSequence>(
                                    kc, ref aTile, offsets, aStep, ref bPanel, bStep, ref cTile, g.Ldc, rows, ref biasTile, epilogue);
                            }
                            else if (TPanel.Count == 2 && columns < w)
                            {
                                EdgeTile<T, TActivation, TWidth, TVector, OneRegisterInSequence>(
                                    workspace!, kc, ref aTile, offsets, aStep, ref bPanel, bStep, ref cTile, g.Ldc, rows, columns, ref biasTile,
                                    g.HasBias, epilogue);
                            }
                            else
                            {
                                EdgeTile<T, TActivation, TWidth, TVector, TPanel>(
                                    workspace!, kc, ref aTile, offsets, aStep, ref bPanel, bStep, ref cTile, g.Ldc, rows, columns, ref biasTile,
                                    g.HasBias, epilogue);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// A tile narrower than the panel: the kernel runs on a full-width copy of it (C rows and bias
    /// copied in as the epilogue needs them) and only the valid columns are copied back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeTile<T, TActivation, TWidth, TVector, TPanel>(
        GemmWorkspace<T> workspace, int kc, ref T a, in RowOffsets offsets, nint aStep, ref T b, nint bStep,
        ref T c, nint ldc, int rows, int columns, ref T bias, bool hasBias, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        var nr = TPanel.Count * TWidth.Count;
        ref var tile = ref workspace.Tile((MicroKernel.Rows + 1) * nr);
        ref var tileBias = ref Unsafe.Add(ref tile, MicroKernel.Rows * nr);
        if (hasBias)
        {
            Copy(ref bias, ref tileBias, columns);
        }

        if (epilogue.ReadsC)
        {
            for (var r = 0; r < rows; r++)
            {
                Copy(ref Unsafe.Add(ref c, r * ldc), ref Unsafe.Add(ref tile, r * nr), columns);
            }
        }

        MicroKernel.Run<T, TActivation, TWidth, TVector, TPanel>(kc, ref a, offsets, aStep, ref b, bStep, ref tile, nr, rows, ref tileBias, epilogue);
        for (var r = 0; r < rows; r++)
        {
            Copy(ref Unsafe.Add(ref tile, r * nr), ref Unsafe.Add(ref c, r * ldc), columns);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy<T>(ref T source, ref T destination, int count)
    {
        for (var j = 0; j < count; j++)
        {
            Unsafe.Add(ref destination, j) = Unsafe.Add(ref source, j);
        }
    }
}
