namespace SimdDescent.Tests.Networks;

/// <summary>What the adapter tests share: random adapter values and a relative float comparison.</summary>
internal static class AdapterTestValues
{
    /// <summary>Fills <paramref name="values"/> with U(−0.3, 0.3), so B ≠ 0 and every adapter path carries signal.</summary>
    public static void Randomize<T>(Span<T> values, int seed)
        where T : System.Numerics.IFloatingPoint<T>
    {
        var random = new Random(seed);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateTruncating(((random.NextDouble() * 2) - 1) * 0.3);
        }
    }

    public static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    /// <summary>Every trainable parameter's gradient from Backward against central differences of the loss (h = 1e-5, in double).</summary>
    public static void AssertGradientsMatchCentralDifferences(SimdDescent.Networks.ILanguageModel<double> model, int[] tokens, int[] targets, int batch, int time)
    {
        model.Forward(tokens, targets, batch, time);
        model.Backward();
        var analytic = model.Gradients.ToArray();
        var parameters = model.Parameters;
        const double h = 1e-5;
        for (var i = 0; i < parameters.Length; i++)
        {
            var original = parameters[i];
            parameters[i] = original + h;
            var up = model.Forward(tokens, targets, batch, time);
            parameters[i] = original - h;
            var down = model.Forward(tokens, targets, batch, time);
            parameters[i] = original;
            var numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-7 + (1e-5 * Math.Abs(numeric)), $"parameter {i}: backward {analytic[i]} vs numeric {numeric}");
        }
    }
}
