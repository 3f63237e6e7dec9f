using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Layers;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>Token and position embedding against the definition and central differences, on every vector path.</summary>
public class EmbeddingTests
{
    private const int Batch = 3, Time = 5, Channels = 7, Vocabulary = 4, Context = 6;

    // Repeated tokens, so the scatter-add sums several rows into one.
    private static readonly int[] s_tokens = [0, 3, 3, 1, 0, 2, 2, 2, 3, 1, 0, 0, 3, 1, 3];

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Forward_adds_the_token_row_and_the_position_row(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        ForwardMatches<double>();
        ForwardMatches<float>();
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Backward_adds_scattered_rows_to_the_gradients(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        BackwardMatches<double>(1e-12);
        BackwardMatches<float>(1e-5);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Backward_matches_central_differences(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const double step = 1e-6;
        var random = new Random(3);
        var tokenTable = TestArrays.Random<double>(random, Vocabulary * Channels, 1.0, 0);
        var positionTable = TestArrays.Random<double>(random, Context * Channels, 1.0, 0);
        var dOut = TestArrays.Random<double>(random, Batch * Time * Channels, 1.0, 0);
        var tokenGradient = new double[tokenTable.Length];
        var positionGradient = new double[positionTable.Length];
        Embedding.Backward<double>(s_tokens, dOut, tokenGradient, positionGradient, Batch, Time, Channels);

        Check(tokenTable, tokenGradient, "dWte");
        Check(positionTable, positionGradient, "dWpe");

        void Check(double[] table, double[] gradient, string name)
        {
            for (var i = 0; i < table.Length; i++)
            {
                var saved = table[i];
                table[i] = saved + step;
                var plus = Loss();
                table[i] = saved - step;
                var minus = Loss();
                table[i] = saved;
                var numerical = (plus - minus) / (2 * step);
                Assert.True(Math.Abs(numerical - gradient[i]) <= 1e-8, $"{name}[{i}]: analytic {gradient[i]}, central difference {numerical}");
            }
        }

        double Loss()
        {
            var output = new double[dOut.Length];
            Embedding.Forward<double>(s_tokens, tokenTable, positionTable, output, Batch, Time, Channels);
            return Blas.Dot<double>(output, dOut);
        }
    }

    [Fact]
    public void Bad_arguments_throw_saying_what_was_expected()
    {
        var tokenTable = new double[Vocabulary * Channels];
        var positionTable = new double[Context * Channels];
        var output = new double[Batch * Time * Channels];
        var outOfRange = s_tokens.ToArray();
        outOfRange[7] = Vocabulary;
        var negative = s_tokens.ToArray();
        negative[0] = -1;

        LayerAssert.ThrowsSaying("tokens[7] (batch 1, position 2) is 4", () => Embedding.Forward<double>(outOfRange, tokenTable, positionTable, output, Batch, Time, Channels));
        LayerAssert.ThrowsSaying("[0, 4)", () => Embedding.Forward<double>(negative, tokenTable, positionTable, output, Batch, Time, Channels));
        LayerAssert.ThrowsSaying("[0, 4)", () => Embedding.Backward<double>(outOfRange, output, tokenTable, positionTable, Batch, Time, Channels));
        LayerAssert.ThrowsSaying("tokens", () => Embedding.Forward<double>(s_tokens.AsSpan(1), tokenTable, positionTable, output, Batch, Time, Channels));
        LayerAssert.ThrowsSaying("output", () => Embedding.Forward<double>(s_tokens, tokenTable, positionTable, output.AsSpan(1), Batch, Time, Channels));
        LayerAssert.ThrowsSaying("token table", () => Embedding.Forward<double>(s_tokens, tokenTable.AsSpan(1), positionTable, output, Batch, Time, Channels));
        LayerAssert.ThrowsSaying("token table", () => Embedding.Forward<double>(s_tokens, [], positionTable, output, Batch, Time, Channels));
        LayerAssert.ThrowsSaying("context ≥ time = 5", () => Embedding.Forward<double>(s_tokens, tokenTable, positionTable.AsSpan(0, 4 * Channels), output, Batch, Time, Channels));
        LayerAssert.ThrowsSaying("position table", () => Embedding.Backward<double>(s_tokens, output, tokenTable, positionTable.AsSpan(1), Batch, Time, Channels));
    }

    private static void ForwardMatches<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(1);
        var tokenTable = TestArrays.Random<T>(random, Vocabulary * Channels, 1.0, 0);
        var positionTable = TestArrays.Random<T>(random, Context * Channels, 1.0, 0);
        var output = new T[Batch * Time * Channels];
        Embedding.Forward<T>(s_tokens, tokenTable, positionTable, output, Batch, Time, Channels);
        for (var b = 0; b < Batch; b++)
        {
            for (var t = 0; t < Time; t++)
            {
                for (var c = 0; c < Channels; c++)
                {
                    // One rounded addition: exact agreement.
                    var expected = tokenTable[(s_tokens[(b * Time) + t] * Channels) + c] + positionTable[(t * Channels) + c];
                    Assert.Equal(expected, output[(((b * Time) + t) * Channels) + c]);
                }
            }
        }
    }

    private static void BackwardMatches<T>(double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(2);
        var dOut = TestArrays.Random<T>(random, Batch * Time * Channels, 1.0, 0);

        // Gradients start non-zero: backward adds to them (a tied head writes the token gradient first).
        var tokenGradient = TestArrays.Random<T>(random, Vocabulary * Channels, 1.0, 0);
        var positionGradient = TestArrays.Random<T>(random, Context * Channels, 1.0, 0);
        var expectedToken = TestArrays.ToDouble<T>(tokenGradient);
        var expectedPosition = TestArrays.ToDouble<T>(positionGradient);
        for (var row = 0; row < Batch * Time; row++)
        {
            for (var c = 0; c < Channels; c++)
            {
                var g = double.CreateTruncating(dOut[(row * Channels) + c]);
                expectedToken[(s_tokens[row] * Channels) + c] += g;
                expectedPosition[((row % Time) * Channels) + c] += g;
            }
        }

        Embedding.Backward<T>(s_tokens, dOut, tokenGradient, positionGradient, Batch, Time, Channels);
        for (var i = 0; i < expectedToken.Length; i++)
        {
            Assert.Equal(expectedToken[i], double.CreateTruncating(tokenGradient[i]), tolerance);
        }

        for (var i = 0; i < expectedPosition.Length; i++)
        {
            Assert.Equal(expectedPosition[i], double.CreateTruncating(positionGradient[i]), tolerance);
        }
    }
}
