using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Layers;
using SimdDescent.Tests.Kernels.Gemm;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>
/// Attention split over (batch, head) pairs on several threads: the outputs, log-sum-exps and gradients are bitwise
/// those of one thread. The thread count is process-wide, so these run beside no other test.
/// </summary>
[Collection(nameof(GemmResourceTests))]
public sealed class AttentionThreadTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Every_thread_count_gives_bitwise_the_same_passes(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        Check<float>();
        Check<double>();
    }

    private static void Check<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // 15 pairs of about 1.6M multiply-adds each: enough work for four threads, in uneven ranges.
        const int batch = 5, time = 200, channels = 120, heads = 3;
        var random = new Random(12);
        var qkv = TestArrays.Random<T>(random, batch * time * 3 * channels, 2.0, 0);
        var dy = TestArrays.Random<T>(random, batch * time * channels, 1.0, 0);
        var one = Passes(qkv, dy, 1);
        foreach (var threads in new[] { 2, 3, 4 })
        {
            var split = Passes(qkv, dy, threads);
            Assert.True(one.Y.AsSpan().SequenceEqual(split.Y), threads + " threads: y");
            Assert.True(one.LogSumExp.AsSpan().SequenceEqual(split.LogSumExp), threads + " threads: logSumExp");
            Assert.True(one.Dqkv.AsSpan().SequenceEqual(split.Dqkv), threads + " threads: dqkv");
        }

        (T[] Y, T[] LogSumExp, T[] Dqkv) Passes(T[] input, T[] outputGradient, int threads)
        {
            var previous = Gemm.MaxThreads;
            Gemm.MaxThreads = threads;
            try
            {
                var y = new T[batch * time * channels];
                var logSumExp = new T[batch * heads * time];
                var dqkv = new T[input.Length];
                CausalSelfAttention.Forward<T>(input, y, logSumExp, new T[CausalSelfAttention.ForwardScratchLength(time, channels / heads)], batch, time, channels, heads);
                CausalSelfAttention.Backward<T>(input, y, outputGradient, logSumExp, dqkv, new T[CausalSelfAttention.BackwardScratchLength(time)], batch, time, channels, heads);
                return (y, logSumExp, dqkv);
            }
            finally
            {
                Gemm.MaxThreads = previous;
            }
        }
    }
}
