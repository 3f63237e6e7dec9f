using System.Globalization;
using SimdDescent.Networks;
using SimdDescent.Randomness;

namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>Central differences in double for every tensor of a generated language model.</summary>
internal static class LanguageModelGradients
{
    private const double Epsilon = 1e-6;

    /// <summary>
    /// Compares Backward with central differences: per element when <paramref name="directions"/> is 0, else along
    /// that many random directions per tensor (vᵀ·g against the directional difference). Also requires a second
    /// Backward to be bitwise equal. Returns one line per failure.
    /// </summary>
    public static List<string> Failures(ILanguageModel<double> model, int[] tokens, int[] targets, int batch, int time, int directions = 0, ulong seed = 1)
    {
        var failures = new List<string>();
        model.Forward(tokens, targets, batch, time);
        model.Backward();
        var analytic = model.Gradients.ToArray();
        model.Forward(tokens, targets, batch, time);
        model.Backward();
        if (!analytic.AsSpan().SequenceEqual(model.Gradients))
        {
            failures.Add("a second Backward is not bitwise equal to the first");
        }

        var random = new SplitMix64(seed);
        foreach (var tensor in model.Tensors)
        {
            if (directions == 0)
            {
                for (var i = 0; i < tensor.Length; i++)
                {
                    var direction = new double[tensor.Length];
                    direction[i] = 1;
                    Compare(model, tokens, targets, batch, time, tensor, direction, analytic, tensor.Name + "[" + i + "]", failures);
                }
            }
            else
            {
                for (var d = 0; d < directions; d++)
                {
                    var direction = new double[tensor.Length];
                    for (var i = 0; i < direction.Length; i++)
                    {
                        direction[i] = (2 * random.NextDouble()) - 1;
                    }

                    Compare(model, tokens, targets, batch, time, tensor, direction, analytic, tensor.Name + " direction " + d, failures);
                }
            }
        }

        return failures;
    }

    private static void Compare(ILanguageModel<double> model, int[] tokens, int[] targets, int batch, int time,
        TensorInfo tensor, double[] direction, double[] analytic, string what, List<string> failures)
    {
        var expected = 0.0;
        for (var i = 0; i < direction.Length; i++)
        {
            expected += analytic[tensor.Offset + i] * direction[i];
        }

        var numeric = (Shifted(model, tokens, targets, batch, time, tensor, direction, Epsilon)
            - Shifted(model, tokens, targets, batch, time, tensor, direction, -Epsilon)) / (2 * Epsilon);
        if (Math.Abs(numeric - expected) > 1e-7 + (1e-5 * Math.Abs(expected)))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: backward {expected:R}, central difference {numeric:R}"));
        }
    }

    private static double Shifted(ILanguageModel<double> model, int[] tokens, int[] targets, int batch, int time, TensorInfo tensor, double[] direction, double step)
    {
        var slice = model.Parameters.Slice(tensor.Offset, tensor.Length);
        var saved = slice.ToArray();
        for (var i = 0; i < slice.Length; i++)
        {
            slice[i] += step * direction[i];
        }

        var loss = model.Forward(tokens, targets, batch, time);
        saved.CopyTo(slice);
        return loss;
    }

    /// <summary>Every parameter uniform in [−scale, scale], LayerNorm scales around 1, so no path is trivially zero.</summary>
    public static void Randomize(ILanguageModel<double> model, ulong seed, double scale = 0.5)
    {
        var random = new SplitMix64(seed);
        foreach (var tensor in model.Tensors)
        {
            var slice = model.Parameters.Slice(tensor.Offset, tensor.Length);
            var center = tensor.Name.Contains(".ln_", StringComparison.Ordinal) && tensor.Name.EndsWith(".weight", StringComparison.Ordinal) ? 1.0 : 0.0;
            for (var i = 0; i < slice.Length; i++)
            {
                slice[i] = center + (scale * ((2 * random.NextDouble()) - 1));
            }
        }
    }

    /// <summary>batch × time tokens in [0, vocabulary).</summary>
    public static int[] Tokens(int count, int vocabulary, ulong seed)
    {
        var random = new SplitMix64(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextInt32(vocabulary)).ToArray();
    }
}
