using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Benchmarks.Kernels;

/// <summary>
/// Dot against the machine's limit: the time to read both inputs and do nothing else, in the widest
/// registers the hardware has, from 64-byte-aligned buffers (no load splits across two lines). No dot
/// can beat that floor, so it bounds the ratio any implementation can reach over TensorPrimitives.
/// The inputs are placed at three alignments: both on 64-byte boundaries, both 4 bytes past one (every
/// unaligned load splits), and 8-byte-aligned managed arrays as ordinary callers pass them. 4,096 floats
/// a span fit in L1 together with the other span; 16,384 (128 KiB for the pair) stream from L2.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public unsafe class DotFloorBenchmarks
{
    private float* _xBlock;
    private float* _yBlock;
    private float[] _xArray = [];
    private float[] _yArray = [];

    [Params(4096, 16_384)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var bytes = (nuint)(N + 16) * sizeof(float);
        _xBlock = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _yBlock = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _xArray = new float[N];
        _yArray = new float[N];
        for (var i = 0; i < N + 16; i++)
        {
            _xBlock[i] = (float)((random.NextDouble() * 8) - 4);
            _yBlock[i] = (float)((random.NextDouble() * 8) - 4);
        }

        new ReadOnlySpan<float>(_xBlock, N).CopyTo(_xArray);
        new ReadOnlySpan<float>(_yBlock, N).CopyTo(_yArray);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_xBlock);
        NativeMemory.AlignedFree(_yBlock);
    }

    [Benchmark, BenchmarkCategory("Aligned")]
    public ulong LoadFloor() => LoadBoth(_xBlock, _yBlock, N);

    [Benchmark(Baseline = true), BenchmarkCategory("Aligned")]
    public float TensorPrimitives_Aligned() => TensorPrimitives.Dot(Span(_xBlock), Span(_yBlock));

    [Benchmark, BenchmarkCategory("Aligned")]
    public float SimdDescent_Aligned() => Blas.Dot(Span(_xBlock), Span(_yBlock));

    [Benchmark(Baseline = true), BenchmarkCategory("Split")]
    public float TensorPrimitives_Split() => TensorPrimitives.Dot(Span(_xBlock + 1), Span(_yBlock + 1));

    [Benchmark, BenchmarkCategory("Split")]
    public float SimdDescent_Split() => Blas.Dot(Span(_xBlock + 1), Span(_yBlock + 1));

    [Benchmark(Baseline = true), BenchmarkCategory("Arrays")]
    public float TensorPrimitives_Arrays() => TensorPrimitives.Dot(_xArray, _yArray);

    [Benchmark, BenchmarkCategory("Arrays")]
    public float SimdDescent_Arrays() => Blas.Dot<float>(_xArray, _yArray);

    private ReadOnlySpan<float> Span(float* start) => new(start, N);

    /// <summary>Four independent OR chains over aligned registers of both inputs: the loads and nothing to wait for.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong LoadBoth(float* x, float* y, int n)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return LoadBoth<Width512<float>, Vector512<float>>(ref *x, ref *y, (nuint)n);
        }

        return Vector256.IsHardwareAccelerated
            ? LoadBoth<Width256<float>, Vector256<float>>(ref *x, ref *y, (nuint)n)
            : LoadBoth<Width128<float>, Vector128<float>>(ref *x, ref *y, (nuint)n);
    }

    private static ulong LoadBoth<TWidth, TVector>(ref float x, ref float y, nuint n)
        where TWidth : struct, ISimdWidth<float, TVector>
        where TVector : struct
    {
        var count = (nuint)TWidth.Count;
        TVector a0 = default, a1 = default, a2 = default, a3 = default;
        for (nuint i = 0; i + (4 * count) <= n; i += 4 * count)
        {
            a0 = TWidth.Or(a0, TWidth.Or(TWidth.Load(ref x, i), TWidth.Load(ref y, i)));
            a1 = TWidth.Or(a1, TWidth.Or(TWidth.Load(ref x, i + count), TWidth.Load(ref y, i + count)));
            a2 = TWidth.Or(a2, TWidth.Or(TWidth.Load(ref x, i + (2 * count)), TWidth.Load(ref y, i + (2 * count))));
            a3 = TWidth.Or(a3, TWidth.Or(TWidth.Load(ref x, i + (3 * count)), TWidth.Load(ref y, i + (3 * count))));
        }

        return TWidth.LaneBits(TWidth.Or(TWidth.Or(a0, a1), TWidth.Or(a2, a3)));
    }
}
