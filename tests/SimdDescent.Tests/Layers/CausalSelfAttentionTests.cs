using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Layers;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>
/// Causal self-attention against a scalar reference that materializes the masked score matrix and its
/// softmax, against central differences, and against itself (cached steps, future rows), on every vector path.
/// </summary>
public class CausalSelfAttentionTests
{
    private const int Tile = CausalSelfAttention.TileSize;

    // Float: the online softmax and the reference's double arithmetic differ by rounding of a few float operations per row.
    private const double FloatTolerance = 2e-5;

    public static TheoryData<VectorPath, int, int, int, int> Shapes()
    {
        var data = new TheoryData<VectorPath, int, int, int, int>();
        foreach (var path in Enum.GetValues<VectorPath>())
        {
            data.Add(path, 2, 7, 8, 2);
            data.Add(path, 1, 1, 3, 3);
            data.Add(path, 2, Tile, 4, 1);

            // A head size of several registers at every width.
            data.Add(path, 1, Tile + 6, 64, 2);

            // Three tiles and a remainder, a head size that fills no register.
            data.Add(path, 2, (3 * Tile) + 5, 6, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_matches_the_materialized_softmax(VectorPath path, int batch, int time, int channels, int heads)
    {
        using var _ = SimdDispatch.Force(path);
        ForwardMatches<double>(batch, time, channels, heads, 1e-12);
        ForwardMatches<float>(batch, time, channels, heads, FloatTolerance);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Backward_matches_central_differences(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        BackwardMatchesDifferences(2, 5, 6, 2, seed: 3);

        // Two query tiles: an off-diagonal key tile and a diagonal one of three rows.
        BackwardMatchesDifferences(1, Tile + 3, 4, 2, seed: 4);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Float_backward_matches_double_backward(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 2, time = (2 * Tile) + 9, channels = 8, heads = 2;
        var random = new Random(5);
        var qkv = TestArrays.Random<float>(random, batch * time * 3 * channels, 2.0, 0);
        var dy = TestArrays.Random<float>(random, batch * time * channels, 1.0, 0);
        var floatGradient = Gradient<float>(qkv, dy, batch, time, channels, heads);
        var doubleGradient = Gradient<double>(TestArrays.ToDouble<float>(qkv), TestArrays.ToDouble<float>(dy), batch, time, channels, heads);
        for (var i = 0; i < doubleGradient.Length; i++)
        {
            Assert.True(Math.Abs(floatGradient[i] - doubleGradient[i]) <= 1e-4 * Math.Max(1, Math.Abs(doubleGradient[i])),
                $"dqkv[{i}]: float {floatGradient[i]}, double {doubleGradient[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void A_future_row_never_changes_an_earlier_output(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        FutureRowsAreMasked<double>();
        FutureRowsAreMasked<float>();
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void A_cached_step_equals_the_full_forward_bitwise(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        StepMatchesForward<double>(8, 2);
        StepMatchesForward<float>(8, 2);
        StepMatchesForward<double>(80, 2);
        StepMatchesForward<float>(80, 2);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Backward_is_bitwise_repeatable(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 2, time = Tile + 11, channels = 8, heads = 4;
        var random = new Random(6);
        var qkv = TestArrays.Random<float>(random, batch * time * 3 * channels, 2.0, 0);
        var dy = TestArrays.Random<float>(random, batch * time * channels, 1.0, 0);
        Assert.Equal(Gradient<float>(qkv, dy, batch, time, channels, heads), Gradient<float>(qkv, dy, batch, time, channels, heads));
    }

    [Fact]
    public void Bad_arguments_throw_saying_what_was_expected()
    {
        const int batch = 2, time = 3, channels = 4, heads = 2;
        var qkv = new double[batch * time * 3 * channels];
        var y = new double[batch * time * channels];
        var lse = new double[batch * heads * time];
        var scratch = new double[CausalSelfAttention.BackwardScratchLength(time)];
        var dqkv = new double[qkv.Length];

        LayerAssert.ThrowsSaying("divide channels", () => CausalSelfAttention.Forward<double>(qkv, y, lse, scratch, batch, time, channels, 3));
        LayerAssert.ThrowsSaying("qkv", () => CausalSelfAttention.Forward<double>(qkv.AsSpan(1), y, lse, scratch, batch, time, channels, heads));
        LayerAssert.ThrowsSaying("y", () => CausalSelfAttention.Forward<double>(qkv, y.AsSpan(1), lse, scratch, batch, time, channels, heads));
        LayerAssert.ThrowsSaying("logSumExp", () => CausalSelfAttention.Forward<double>(qkv, y, lse.AsSpan(1), scratch, batch, time, channels, heads));
        LayerAssert.ThrowsSaying("scratch", () => CausalSelfAttention.Forward<double>(qkv, y, lse, scratch.AsSpan(0, time - 1), batch, time, channels, heads));
        LayerAssert.ThrowsSaying("time", () => CausalSelfAttention.Forward<double>([], [], [], scratch, batch, 0, channels, heads));
        LayerAssert.ThrowsSaying("divide channels", () => CausalSelfAttention.Backward<double>(qkv, y, y, lse, dqkv, scratch, batch, time, channels, 3));
        LayerAssert.ThrowsSaying("dy", () => CausalSelfAttention.Backward<double>(qkv, y, y.AsSpan(2), lse, dqkv, scratch, batch, time, channels, heads));
        LayerAssert.ThrowsSaying("dqkv", () => CausalSelfAttention.Backward<double>(qkv, y, y, lse, dqkv.AsSpan(1), scratch, batch, time, channels, heads));
        LayerAssert.ThrowsSaying("scratch", () => CausalSelfAttention.Backward<double>(qkv, y, y, lse, dqkv, scratch.AsSpan(1), batch, time, channels, heads));
        var row = qkv[..(3 * channels)];
        var keyCache = new double[channels * time];
        var valueCache = new double[time * channels];
        var step = new double[channels];
        LayerAssert.ThrowsSaying("divide channels", () => CausalSelfAttention.Step<double>(row, keyCache, valueCache, step, scratch, 0, time, channels, 3));
        LayerAssert.ThrowsSaying("[0, 3)", () => CausalSelfAttention.Step<double>(row, keyCache, valueCache, step, scratch, time, time, channels, heads));
        LayerAssert.ThrowsSaying("[0, 3)", () => CausalSelfAttention.Step<double>(row, keyCache, valueCache, step, scratch, -1, time, channels, heads));
        LayerAssert.ThrowsSaying("qkvRow", () => CausalSelfAttention.Step<double>(qkv.AsSpan(0, 2 * channels), keyCache, valueCache, step, scratch, 0, time, channels, heads));
        LayerAssert.ThrowsSaying("keyCache", () => CausalSelfAttention.Step<double>(row, keyCache.AsSpan(1), valueCache, step, scratch, 0, time, channels, heads));
        LayerAssert.ThrowsSaying("valueCache", () => CausalSelfAttention.Step<double>(row, keyCache, valueCache.AsSpan(1), step, scratch, 0, time, channels, heads));
        LayerAssert.ThrowsSaying("y", () => CausalSelfAttention.Step<double>(row, keyCache, valueCache, y.AsSpan(0, channels + 1), scratch, 0, time, channels, heads));
        LayerAssert.ThrowsSaying("scratch", () => CausalSelfAttention.Step<double>(row, keyCache, valueCache, step, scratch.AsSpan(0, 1), 0, time, channels, heads));
    }

    private static void ForwardMatches<T>(int batch, int time, int channels, int heads, double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random((batch * 1000) + time);

        // Scores of several units, so the softmax is far from uniform and the running maximum moves between tiles.
        var qkv = TestArrays.Random<T>(random, batch * time * 3 * channels, 2.0, 0);
        var y = new T[batch * time * channels];
        var lse = new T[batch * heads * time];
        CausalSelfAttention.Forward<T>(qkv, y, lse, new T[CausalSelfAttention.ForwardScratchLength(time, channels / heads)], batch, time, channels, heads);

        var (expectedY, expectedLse) = Reference(TestArrays.ToDouble<T>(qkv), batch, time, channels, heads);
        AssertClose(expectedY, TestArrays.ToDouble<T>(y), tolerance, "y");
        AssertClose(expectedLse, TestArrays.ToDouble<T>(lse), tolerance, "logSumExp");
    }

    private static void BackwardMatchesDifferences(int batch, int time, int channels, int heads, int seed)
    {
        const double step = 1e-5;
        var random = new Random(seed);
        var qkv = TestArrays.Random<double>(random, batch * time * 3 * channels, 2.0, 0);
        var dy = TestArrays.Random<double>(random, batch * time * channels, 1.0, 0);
        var gradient = Gradient<double>(qkv, dy, batch, time, channels, heads);
        for (var i = 0; i < qkv.Length; i++)
        {
            var saved = qkv[i];
            qkv[i] = saved + step;
            var plus = Loss(qkv);
            qkv[i] = saved - step;
            var minus = Loss(qkv);
            qkv[i] = saved;
            var numerical = (plus - minus) / (2 * step);
            Assert.True(Math.Abs(numerical - gradient[i]) <= 1e-8 * Math.Max(1, Math.Abs(numerical)),
                $"dqkv[{i}]: analytic {gradient[i]}, central difference {numerical}");
        }

        double Loss(double[] input)
        {
            var y = new double[dy.Length];
            CausalSelfAttention.Forward<double>(input, y, new double[batch * heads * time], new double[CausalSelfAttention.ForwardScratchLength(time, channels / heads)], batch, time, channels, heads);
            return Blas.Dot<double>(y, dy);
        }
    }

    /// <summary>dqkv of loss = Σ dy ⊙ y.</summary>
    private static T[] Gradient<T>(T[] qkv, T[] dy, int batch, int time, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var y = new T[dy.Length];
        var lse = new T[batch * heads * time];
        CausalSelfAttention.Forward<T>(qkv, y, lse, new T[CausalSelfAttention.ForwardScratchLength(time, channels / heads)], batch, time, channels, heads);
        var dqkv = new T[qkv.Length];
        dqkv.AsSpan().Fill(T.NaN);
        CausalSelfAttention.Backward<T>(qkv, y, dy, lse, dqkv, new T[CausalSelfAttention.BackwardScratchLength(time)], batch, time, channels, heads);
        return dqkv;
    }

    private static void FutureRowsAreMasked<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int batch = 2, time = (2 * Tile) + 7, channels = 6, heads = 3;
        var random = new Random(7);
        var qkv = TestArrays.Random<T>(random, batch * time * 3 * channels, 2.0, 0);
        var (y, lse) = Run(qkv);
        foreach (var changed in new[] { 1, Tile - 1, Tile, Tile + 1, time - 1 })
        {
            var altered = qkv.ToArray();
            var rowStart = ((batch - 1) * time * 3 * channels) + (changed * 3 * channels);
            for (var i = rowStart; i < rowStart + (3 * channels); i++)
            {
                altered[i] = T.CreateTruncating((random.NextDouble() * 20) - 10);
            }

            var (alteredY, alteredLse) = Run(altered);
            var lastBatch = (batch - 1) * time;
            Assert.Equal(y.AsSpan(lastBatch * channels, changed * channels).ToArray(), alteredY.AsSpan(lastBatch * channels, changed * channels).ToArray());
            Assert.NotEqual(y.AsSpan((lastBatch + changed) * channels, channels).ToArray(), alteredY.AsSpan((lastBatch + changed) * channels, channels).ToArray());
            for (var h = 0; h < heads; h++)
            {
                var start = (((batch - 1) * heads) + h) * time;
                Assert.Equal(lse.AsSpan(start, changed).ToArray(), alteredLse.AsSpan(start, changed).ToArray());
            }

            // The other sequence of the batch does not see the change at all.
            Assert.Equal(y.AsSpan(0, lastBatch * channels).ToArray(), alteredY.AsSpan(0, lastBatch * channels).ToArray());
        }

        (T[] Y, T[] Lse) Run(T[] input)
        {
            var output = new T[batch * time * channels];
            var statistics = new T[batch * heads * time];
            CausalSelfAttention.Forward<T>(input, output, statistics, new T[CausalSelfAttention.ForwardScratchLength(time, channels / heads)], batch, time, channels, heads);
            return (output, statistics);
        }
    }

    private static void StepMatchesForward<T>(int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int batch = 2, time = (3 * Tile) + 5, capacity = time + 3;
        var stride = 3 * channels;
        var random = new Random(8);
        var qkv = TestArrays.Random<T>(random, batch * time * stride, 2.0, 0);
        var y = new T[batch * time * channels];
        CausalSelfAttention.Forward<T>(qkv, y, new T[batch * heads * time], new T[CausalSelfAttention.ForwardScratchLength(time, channels / heads)], batch, time, channels, heads);

        // Generation of the second sequence token by token, in caches whose unwritten positions are poisoned: they must not be read.
        var keyCache = new T[channels * capacity];
        var valueCache = new T[capacity * channels];
        keyCache.AsSpan().Fill(T.NaN);
        valueCache.AsSpan().Fill(T.NaN);
        var step = new T[channels];
        var scratch = new T[CausalSelfAttention.StepScratchLength];
        for (var position = 0; position < time; position++)
        {
            var row = qkv.AsSpan((time + position) * stride, stride);
            CausalSelfAttention.Step<T>(row, keyCache, valueCache, step, scratch, position, capacity, channels, heads);
            Assert.Equal(y.AsSpan((time + position) * channels, channels).ToArray(), step);
        }
    }

    /// <summary>y and the log-sum-exp per (batch, head, row) from the full masked score matrix of each head.</summary>
    private static (double[] Y, double[] Lse) Reference(double[] qkv, int batch, int time, int channels, int heads)
    {
        var headSize = channels / heads;
        var scale = 1 / Math.Sqrt(headSize);
        var y = new double[batch * time * channels];
        var lse = new double[batch * heads * time];
        double Q(int b, int t, int c) => qkv[(((b * time) + t) * 3 * channels) + c];
        for (var b = 0; b < batch; b++)
        {
            for (var h = 0; h < heads; h++)
            {
                var scores = new double[time, time];
                for (var i = 0; i < time; i++)
                {
                    for (var j = 0; j < time; j++)
                    {
                        var dot = 0.0;
                        for (var d = 0; d < headSize; d++)
                        {
                            dot += Q(b, i, (h * headSize) + d) * Q(b, j, channels + (h * headSize) + d);
                        }

                        scores[i, j] = j <= i ? dot * scale : double.NegativeInfinity;
                    }
                }

                for (var i = 0; i < time; i++)
                {
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < time; j++)
                    {
                        max = Math.Max(max, scores[i, j]);
                    }

                    var sum = 0.0;
                    for (var j = 0; j < time; j++)
                    {
                        sum += Math.Exp(scores[i, j] - max);
                    }

                    lse[(((b * heads) + h) * time) + i] = max + Math.Log(sum);
                    for (var d = 0; d < headSize; d++)
                    {
                        var value = 0.0;
                        for (var j = 0; j < time; j++)
                        {
                            value += Math.Exp(scores[i, j] - max) / sum * Q(b, j, (2 * channels) + (h * headSize) + d);
                        }

                        y[(((b * time) + i) * channels) + (h * headSize) + d] = value;
                    }
                }
            }
        }

        return (y, lse);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{name}[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
        }
    }
}
