using SimdDescent.Kernels;
using SimdDescent.Layers;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>The tied output head against its definition, logits = x·tableᵀ, on every vector path.</summary>
public class TiedHeadTests
{
    private const int Rows = 7, Channels = 5, Vocabulary = 9;

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Forward_and_backward_match_the_sums(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(4);
        var x = Values(random, Rows * Channels);
        var table = Values(random, Vocabulary * Channels);
        var dLogits = Values(random, Rows * Vocabulary);
        var logits = new double[Rows * Vocabulary];
        var tableGradient = Enumerable.Repeat(double.NaN, Vocabulary * Channels).ToArray(); // overwritten, never read
        var dx = new double[Rows * Channels];

        TiedHead.Forward<double>(x, table, logits, Rows, Channels, Vocabulary);
        TiedHead.Backward<double>(x, table, dLogits, tableGradient, dx, Rows, Channels, Vocabulary);

        for (var r = 0; r < Rows; r++)
        {
            for (var k = 0; k < Vocabulary; k++)
            {
                var expected = Enumerable.Range(0, Channels).Sum(j => x[(r * Channels) + j] * table[(k * Channels) + j]);
                Assert.Equal(expected, logits[(r * Vocabulary) + k], 1e-12);
            }

            for (var j = 0; j < Channels; j++)
            {
                var expected = Enumerable.Range(0, Vocabulary).Sum(k => dLogits[(r * Vocabulary) + k] * table[(k * Channels) + j]);
                Assert.Equal(expected, dx[(r * Channels) + j], 1e-12);
            }
        }

        for (var k = 0; k < Vocabulary; k++)
        {
            for (var j = 0; j < Channels; j++)
            {
                var expected = Enumerable.Range(0, Rows).Sum(r => dLogits[(r * Vocabulary) + k] * x[(r * Channels) + j]);
                Assert.Equal(expected, tableGradient[(k * Channels) + j], 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void The_transposed_table_gives_bitwise_the_same_logits(VectorPath path)
    {
        // 40 rows × 300 tokens × 130 channels: the packed NT product against the one-row NN kernel reading the
        // transposed table, one row at a time as a decoder runs it.
        using var _ = SimdDispatch.Force(path);
        const int rows = 40, channels = 130, vocabulary = 300;
        var random = new Random(8);
        var x = Values(random, rows * channels).Select(v => (float)v).ToArray();
        var table = Values(random, vocabulary * channels).Select(v => (float)v).ToArray();
        var full = new float[rows * vocabulary];
        TiedHead.Forward<float>(x, table, full, rows, channels, vocabulary);

        var transposed = new float[channels * vocabulary];
        TiedHead.Transpose<float>(table, transposed, channels, vocabulary);
        for (var t = 0; t < vocabulary; t++)
        {
            Assert.Equal(table[(t * channels) + 7], transposed[(7 * vocabulary) + t]);
        }

        var one = new float[vocabulary];
        for (var r = 0; r < rows; r++)
        {
            TiedHead.ForwardTransposed<float>(x.AsSpan(r * channels, channels), transposed, one, 1, channels, vocabulary);
            Assert.True(one.AsSpan().SequenceEqual(full.AsSpan(r * vocabulary, vocabulary)), "row " + r);
        }
    }

    [Fact]
    public void Transpose_rejects_a_table_of_the_wrong_size()
    {
        var error = Assert.Throws<ArgumentException>(() => TiedHead.Transpose<float>(new float[10], new float[12], 3, 4));
        Assert.Contains("12", error.Message, StringComparison.Ordinal);
    }

    private static double[] Values(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
}
