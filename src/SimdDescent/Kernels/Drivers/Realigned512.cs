using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// The four-accumulator loop of two-input reductions on AVX-512 hardware, with every load aligned.
/// A 64-byte load from an address that is not a multiple of 64 touches two cache lines and costs two
/// load slots, so the plain loop (Dot of 4,096 floats, 8-byte-aligned arrays) is load-bound at about
/// half the port rate. Here each stream is read in aligned 64-byte blocks, and the register the plain
/// loop would load at element i is rebuilt from the two blocks it straddles with one two-source permute
/// (<c>vpermt2ps</c>/<c>vpermt2pd</c>). The rebuilt registers are exactly the plain loop's, fed to the
/// same accumulators in the same order, so the result does not depend on the addresses.
/// </summary>
internal static class Realigned512
{
    // Below about 32 registers the set-up (pinning, index vectors, one extra plain group) costs about
    // what the split loads it saves (Dot of 256 floats: 14.4 ns plain, 15.8 ns realigned).
    private const int FromRegisters = 32;

    // Only while both spans fit in L1 together (48 KiB on Zen 5 and on Intel since Ice Lake). From L2
    // the split loads win: each one touches the next line early and so keeps more misses in flight (Dot
    // of 16,384 floats, 8-byte-aligned arrays: 841 ns realigned, 713 ns plain; of 6,144 floats: 181 ns
    // realigned, 295 ns plain).
    private const int UpToBytesPerSpan = 24 * 1024;

    public static bool Pays<T>(nuint n)
        where T : unmanaged
        => Avx512F.IsSupported
           && n >= FromRegisters * (nuint)Vector512<T>.Count
           && n <= UpToBytesPerSpan / (nuint)Unsafe.SizeOf<T>();

    /// <summary>
    /// The two-input reduction of <see cref="ReductionDriver"/> at 512 bits, for <paramref name="n"/> that
    /// <see cref="Pays"/>: groups of four registers from element 0 for as long as whole groups fit, as the
    /// plain loop does, then the plain loop's end.
    /// </summary>
    public static T Reduce<T, TOp>(TOp op, ref T x, ref T y, nuint n)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
    {
        var (a0, i) = Accumulate(op, ref x, ref y, n);
        return ReductionDriver.Finish<T, TOp, Width512<T>, Vector512<T>>(op, a0, ref x, ref y, i, n);
    }

    private static unsafe (Vector512<T> Accumulator, nuint Next) Accumulate<T, TOp>(TOp op, ref T x, ref T y, nuint n)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
    {
        // Pinned: the block addresses are computed from the element addresses once. A stream that is
        // already aligned needs no permute; its blocks are the registers.
        fixed (T* px = &x, py = &y)
        {
            return (Misalignment(px) == 0, Misalignment(py) == 0) switch
            {
                (true, true) => Accumulate<T, TOp, AlignedBlocks<T>, AlignedBlocks<T>>(op, px, py, n),
                (true, false) => Accumulate<T, TOp, AlignedBlocks<T>, ShiftedBlocks<T>>(op, px, py, n),
                (false, true) => Accumulate<T, TOp, ShiftedBlocks<T>, AlignedBlocks<T>>(op, px, py, n),
                _ => Accumulate<T, TOp, ShiftedBlocks<T>, ShiftedBlocks<T>>(op, px, py, n),
            };
        }
    }

    private static unsafe (Vector512<T> Accumulator, nuint Next) Accumulate<T, TOp, TX, TY>(TOp op, T* px, T* py, nuint n)
        where T : unmanaged
        where TOp : struct, IBinaryReductionOperator<T>
        where TX : struct, IBlockRegisters<T>
        where TY : struct, IBlockRegisters<T>
    {
        var count = (nuint)Vector512<T>.Count;
        var a0 = Vector512.Create(op.Identity);
        var a1 = a0;
        var a2 = a0;
        var a3 = a0;

        // The first group loads plainly: the aligned block under its first register may start
        // before the span.
        a0 = op.Accumulate<Width512<T>, Vector512<T>>(a0, Vector512.Load(px), Vector512.Load(py));
        a1 = op.Accumulate<Width512<T>, Vector512<T>>(a1, Vector512.Load(px + count), Vector512.Load(py + count));
        a2 = op.Accumulate<Width512<T>, Vector512<T>>(a2, Vector512.Load(px + (2 * count)), Vector512.Load(py + (2 * count)));
        a3 = op.Accumulate<Width512<T>, Vector512<T>>(a3, Vector512.Load(px + (3 * count)), Vector512.Load(py + (3 * count)));
        var i = 4 * count;

        // Block b of a stream starts `misalignment` elements before element b·count; the register
        // at element i is lanes [misalignment, misalignment + count) of blocks i and i + count.
        // Spans whose elements are not naturally aligned (cast from bytes) have no aligned blocks.
        var blocks = ((nuint)px | (nuint)py) % (nuint)sizeof(T) == 0 ? n : 0;
        var xMisalignment = Misalignment(px);
        var yMisalignment = Misalignment(py);
        var xBlocks = px - xMisalignment;
        var yBlocks = py - yMisalignment;
        var xIndices = Indices<T>(xMisalignment);
        var yIndices = Indices<T>(yMisalignment);
        var x0 = blocks != 0 ? Vector512.LoadAligned(xBlocks + i) : default;
        var y0 = blocks != 0 ? Vector512.LoadAligned(yBlocks + i) : default;

        // One register of margin: the last block read ends below i + 5·count.
        for (; i + (5 * count) <= blocks; i += 4 * count)
        {
            var x1 = Vector512.LoadAligned(xBlocks + i + count);
            var x2 = Vector512.LoadAligned(xBlocks + i + (2 * count));
            var x3 = Vector512.LoadAligned(xBlocks + i + (3 * count));
            var x4 = Vector512.LoadAligned(xBlocks + i + (4 * count));
            var y1 = Vector512.LoadAligned(yBlocks + i + count);
            var y2 = Vector512.LoadAligned(yBlocks + i + (2 * count));
            var y3 = Vector512.LoadAligned(yBlocks + i + (3 * count));
            var y4 = Vector512.LoadAligned(yBlocks + i + (4 * count));
            a0 = op.Accumulate<Width512<T>, Vector512<T>>(a0, TX.Register(x0, x1, xIndices), TY.Register(y0, y1, yIndices));
            a1 = op.Accumulate<Width512<T>, Vector512<T>>(a1, TX.Register(x1, x2, xIndices), TY.Register(y1, y2, yIndices));
            a2 = op.Accumulate<Width512<T>, Vector512<T>>(a2, TX.Register(x2, x3, xIndices), TY.Register(y2, y3, yIndices));
            a3 = op.Accumulate<Width512<T>, Vector512<T>>(a3, TX.Register(x3, x4, xIndices), TY.Register(y3, y4, yIndices));
            x0 = x4;
            y0 = y4;
        }

        for (; i + (4 * count) <= n; i += 4 * count)
        {
            a0 = op.Accumulate<Width512<T>, Vector512<T>>(a0, Vector512.Load(px + i), Vector512.Load(py + i));
            a1 = op.Accumulate<Width512<T>, Vector512<T>>(a1, Vector512.Load(px + i + count), Vector512.Load(py + i + count));
            a2 = op.Accumulate<Width512<T>, Vector512<T>>(a2, Vector512.Load(px + i + (2 * count)), Vector512.Load(py + i + (2 * count)));
            a3 = op.Accumulate<Width512<T>, Vector512<T>>(a3, Vector512.Load(px + i + (3 * count)), Vector512.Load(py + i + (3 * count)));
        }

        return (op.Merge<Width512<T>, Vector512<T>>(op.Merge<Width512<T>, Vector512<T>>(a0, a1), op.Merge<Width512<T>, Vector512<T>>(a2, a3)), i);
    }

    /// <summary>Elements from the 64-byte boundary at or below <paramref name="pointer"/> up to it.</summary>
    private static unsafe nuint Misalignment<T>(T* pointer)
        where T : unmanaged
        => ((nuint)pointer & 63) / (nuint)sizeof(T);

    /// <summary>Lane l selects lane m + l of the pair (lower block, upper block), as the permutes number them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Indices<T>(nuint misalignment)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? (Vector512<int>.Indices + Vector512.Create((int)misalignment)).As<int, T>()
            : (Vector512<long>.Indices + Vector512.Create((long)misalignment)).As<long, T>();

    /// <summary>How one stream's register is rebuilt from the two aligned blocks it overlaps.</summary>
    private interface IBlockRegisters<T>
        where T : unmanaged
    {
        static abstract Vector512<T> Register(Vector512<T> lower, Vector512<T> upper, Vector512<T> indices);
    }

    /// <summary>A stream that starts on a 64-byte boundary: each register is a block.</summary>
    private readonly struct AlignedBlocks<T> : IBlockRegisters<T>
        where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Register(Vector512<T> lower, Vector512<T> upper, Vector512<T> indices) => lower;
    }

    /// <summary>A stream that starts inside a block: each register straddles two.</summary>
    private readonly struct ShiftedBlocks<T> : IBlockRegisters<T>
        where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Register(Vector512<T> lower, Vector512<T> upper, Vector512<T> indices)
            => typeof(T) == typeof(float)
                ? Avx512F.PermuteVar16x32x2(lower.AsSingle(), indices.AsInt32(), upper.AsSingle()).As<float, T>()
                : Avx512F.PermuteVar8x64x2(lower.AsDouble(), indices.AsInt64(), upper.AsDouble()).As<double, T>();
    }
}
