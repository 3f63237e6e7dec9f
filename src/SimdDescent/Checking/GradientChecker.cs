using System.Numerics;
using System.Runtime.InteropServices;
using SimdDescent.Layers;
using SimdDescent.Randomness;
using SimdDescent.Networks;

namespace SimdDescent.Checking;

/// <summary>
/// Compares a network's backward pass with central differences of its loss: per element for small
/// tensors, along random unit directions (∇L·u against (L(θ + εu) − L(θ − εu)) / 2ε) for large ones, and for the
/// inputs as well. It also runs backward twice and requires bitwise-identical gradients.
/// </summary>
/// <remarks>
/// A central difference whose step straddles kinks (ReLU inputs within ε of 0) measures a mean of the slopes
/// inside the step, not the derivative at θ. So a comparison that breaks the tolerances is measured again: the
/// loss at θ + k·h/4 for k = −4…4 gives the slopes of eight segments. Backward's value and the central
/// difference are both made of slopes inside the step, so with a correct backward they differ by at most the
/// spread of those slopes; on a smooth loss the spread is O(h) (plus rounding), on a kinked one it is the jump.
/// A comparison whose error is within that spread is counted as inconclusive, not failed, and the report says
/// how many there were; an error larger than every slope difference in the step is a real failure.
/// </remarks>
/// <remarks>
/// The check runs on a fresh workspace in inference mode, so dropout is the identity and the loss is a
/// deterministic function of the parameters (dropout's own backward is tested directly);
/// <see cref="GradientCheckOptions.TrainingMode"/> checks training mode instead, for networks without dropout.
/// Parameters, inputs and running statistics are restored exactly afterwards. Works on any <see cref="INetwork{T}"/>; declare the network in
/// double for a tight check (see <see cref="GradientCheckOptions"/> for both defaults).
/// </remarks>
public static class GradientChecker
{
    /// <summary>Checks a network whose loss takes integer class labels.</summary>
    public static GradientCheckReport Check<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int batch, GradientCheckOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return new Session<T>(network, inputs, labels.ToArray(), null, batch, options ?? GradientCheckOptions.For<T>()).Run();
    }

    /// <summary>Checks a network whose loss takes real-valued targets (batch × OutputWidth).</summary>
    public static GradientCheckReport Check<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch, GradientCheckOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return new Session<T>(network, inputs, null, targets.ToArray(), batch, options ?? GradientCheckOptions.For<T>()).Run();
    }

    private sealed class Session<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly INetwork<T> network;
        private readonly INetworkWorkspace<T> workspace;
        private readonly T[] inputs;
        private readonly int[]? labels;
        private readonly T[]? targets;
        private readonly int batch;
        private readonly GradientCheckOptions options;
        private SplitMix64 random;

        public Session(INetwork<T> network, ReadOnlySpan<T> inputs, int[]? labels, T[]? targets, int batch, GradientCheckOptions options)
        {
            if (!(options.Epsilon > 0) || options.RandomDirections < 1)
            {
                throw new ArgumentException("Expected a positive Epsilon and at least one random direction.", nameof(options));
            }

            this.network = network;
            this.inputs = inputs.ToArray();
            this.labels = labels;
            this.targets = targets;
            this.batch = batch;
            this.options = options;
            random = new SplitMix64(options.Seed);
            if (options.TrainingMode && network.Layers.Any(l => l.Kind == LayerKind.Dropout))
            {
                throw new ArgumentException("A training-mode check needs a network without dropout: its masks make the loss random.", nameof(options));
            }

            workspace = network.CreateWorkspace();
            workspace.IsTraining = options.TrainingMode;
            workspace.ComputeInputGradients = options.CheckInputs;
        }

        public GradientCheckReport Run()
        {
            var statistics = network is IModelStatistics<T> model ? model.Statistics.ToArray() : [];
            Loss();
            workspace.Backward();
            var gradients = workspace.Gradients.ToArray();
            var inputGradients = workspace.InputGradients.ToArray();

            Loss();
            workspace.Backward();
            var deterministic = BitwiseEqual(gradients, workspace.Gradients) && BitwiseEqual(inputGradients, workspace.InputGradients);

            var results = new List<TensorCheck>();
            foreach (var tensor in network.Tensors)
            {
                results.Add(Compare(tensor.Name, network.Parameters.Slice(tensor.Offset, tensor.Length), gradients.AsSpan(tensor.Offset, tensor.Length)));
            }

            if (options.CheckInputs)
            {
                var used = inputGradients.Length;
                results.Add(Compare("inputs", inputs.AsSpan(0, used), inputGradients));
            }

            if (network is IModelStatistics<T> moved)
            {
                statistics.CopyTo(moved.Statistics);
            }

            return new GradientCheckReport(options, results, deterministic);
        }

        private TensorCheck Compare(string name, Span<T> values, ReadOnlySpan<T> analytic)
        {
            var worst = new Worst(options);
            if (values.Length <= options.MaxElementsPerTensor)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    var original = values[i];
                    var h = T.CreateTruncating(options.Epsilon * Math.Max(1.0, Math.Abs(double.CreateTruncating(original))));
                    var up = original + h;
                    var down = original - h;
                    values[i] = up;
                    var plus = double.CreateTruncating(Loss());
                    values[i] = down;
                    var minus = double.CreateTruncating(Loss());
                    values[i] = original;

                    // Divide by the step actually taken: in float, θ ± h is rounded.
                    var numeric = (plus - minus) / (double.CreateTruncating(up) - double.CreateTruncating(down));
                    var backward = double.CreateTruncating(analytic[i]);
                    if (worst.Breaks(backward, numeric) && Math.Abs(backward - numeric) <= SlopeSpread(values.Slice(i, 1), [original], [h], double.CreateTruncating(h)))
                    {
                        worst.AddInconclusive();
                    }
                    else
                    {
                        worst.Add(i, backward, numeric);
                    }
                }

                return worst.Result(name, CheckMode.PerElement, values.Length);
            }

            var saved = values.ToArray();
            var direction = new double[values.Length];
            var offsets = new T[values.Length];
            for (var d = 0; d < options.RandomDirections; d++)
            {
                // A random unit direction, so the whole step is ε long as in the per-element mode and no more
                // ReLU kinks are crossed than there; to first order the loss changes by ∇L·(θ⁺ − θ⁻), with the
                // steps actually taken after rounding.
                var norm = 0.0;
                for (var i = 0; i < direction.Length; i++)
                {
                    direction[i] = (2 * random.NextDouble()) - 1;
                    norm += direction[i] * direction[i];
                }

                norm = Math.Sqrt(norm);
                var directional = 0.0;
                for (var i = 0; i < values.Length; i++)
                {
                    offsets[i] = T.CreateTruncating(options.Epsilon * direction[i] / norm);
                    var taken = double.CreateTruncating(saved[i] + offsets[i]) - double.CreateTruncating(saved[i] - offsets[i]);
                    directional += double.CreateTruncating(analytic[i]) * taken;
                    values[i] = saved[i] + offsets[i];
                }

                var plus = double.CreateTruncating(Loss());
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = saved[i] - offsets[i];
                }

                var minus = double.CreateTruncating(Loss());
                saved.CopyTo(values);
                var (backward, numeric) = (directional / (2 * options.Epsilon), (plus - minus) / (2 * options.Epsilon));
                if (worst.Breaks(backward, numeric) && Math.Abs(backward - numeric) <= SlopeSpread(values, saved, offsets, options.Epsilon))
                {
                    worst.AddInconclusive();
                }
                else
                {
                    worst.Add(d, backward, numeric);
                }
            }

            return worst.Result(name, CheckMode.RandomDirections, options.RandomDirections);
        }

        /// <summary>
        /// The largest minus the smallest slope of the loss over the eight segments between values = saved − step
        /// and saved + step, in quarters of a step <paramref name="length"/> long; restores the values.
        /// </summary>
        private double SlopeSpread(Span<T> values, ReadOnlySpan<T> saved, ReadOnlySpan<T> step, double length)
        {
            var lowest = double.PositiveInfinity;
            var highest = double.NegativeInfinity;
            var previous = 0.0;
            for (var k = -4; k <= 4; k++)
            {
                var fraction = T.CreateTruncating(k / 4.0);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = saved[i] + (fraction * step[i]);
                }

                var loss = double.CreateTruncating(Loss());
                if (k > -4)
                {
                    var slope = (loss - previous) * 4 / length;
                    lowest = Math.Min(lowest, slope);
                    highest = Math.Max(highest, slope);
                }

                previous = loss;
            }

            saved.CopyTo(values);
            return highest - lowest;
        }

        private T Loss() => labels is not null
            ? workspace.Forward(inputs, labels, batch)
            : workspace.Forward(inputs, targets!, batch);

        private static bool BitwiseEqual(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual) =>
            MemoryMarshal.AsBytes(expected).SequenceEqual(MemoryMarshal.AsBytes(actual));
    }

    /// <summary>Tracks the largest errors, the comparison that breaks the tolerances the most, and the inconclusive ones.</summary>
    private struct Worst(GradientCheckOptions options)
    {
        private int inconclusive;
        private double maxAbsolute;
        private double maxRelative;
        private double worstScore = -1;
        private int worstIndex;
        private double worstAnalytic;
        private double worstNumeric;

        /// <summary>Whether the comparison breaks both tolerances (NaN always does).</summary>
        public readonly bool Breaks(double analytic, double numeric) => Score(analytic, numeric) > 1;

        /// <summary>A comparison the kinks inside its step leave undecided (see the type's remarks).</summary>
        public void AddInconclusive() => inconclusive++;

        public void Add(int index, double analytic, double numeric)
        {
            var (absolute, relative) = Errors(analytic, numeric);
            maxAbsolute = Math.Max(maxAbsolute, absolute);
            maxRelative = Math.Max(maxRelative, relative);
            var score = Score(analytic, numeric);
            if (score > worstScore)
            {
                (worstScore, worstIndex, worstAnalytic, worstNumeric) = (score, index, analytic, numeric);
            }
        }

        /// <summary>How far the comparison is beyond the looser of the two tolerances (above 1: it fails); NaN scores ∞.</summary>
        private readonly double Score(double analytic, double numeric)
        {
            var (absolute, relative) = Errors(analytic, numeric);
            return double.IsNaN(absolute) ? double.PositiveInfinity : Math.Min(absolute / options.AbsoluteTolerance, relative / options.RelativeTolerance);
        }

        private static (double Absolute, double Relative) Errors(double analytic, double numeric)
        {
            var absolute = Math.Abs(analytic - numeric);
            var scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
            return (absolute, scale == 0 ? 0 : absolute / scale);
        }

        public readonly TensorCheck Result(string name, CheckMode mode, int comparisons) =>
            new(name, mode, comparisons, maxAbsolute, maxRelative, worstIndex, worstAnalytic, worstNumeric, worstScore <= 1, inconclusive);
    }
}
