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

    /// <summary>40 AdamW steps (lr 1e-2) on one batch of 4 sequences of 6 tokens: the first and last loss, and the optimizer.</summary>
    public static (float First, float Last, SimdDescent.Training.Optimizers.AdamW<float> Optimizer) TrainOnOneBatch(SimdDescent.Networks.ILanguageModel<float> model, int[] tokens, int[] targets)
    {
        var optimizer = new SimdDescent.Training.Optimizers.AdamW<float>(
            SimdDescent.Training.Optimizers.ParameterLayout.For(model), new SimdDescent.Training.Optimizers.AdamWOptions { LearningRate = 1e-2 });
        var first = model.Forward(tokens, targets, 4, 6);
        var loss = first;
        for (var step = 0; step < 40; step++)
        {
            model.Backward();
            optimizer.Step(model.Parameters, model.Gradients);
            loss = model.Forward(tokens, targets, 4, 6);
        }

        return (first, loss, optimizer);
    }
}
