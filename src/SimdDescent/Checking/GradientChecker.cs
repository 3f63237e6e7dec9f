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
/// A comparison whose central difference straddles a kink (a ReLU input within ε of 0) measures the mean of two
/// slopes, not the derivative. The checker also takes the one-sided differences (L(θ + h) − L(θ)) / h and
/// (L(θ) − L(θ − h)) / h: with one kink inside the step and a correct backward they differ by exactly twice the
/// error of the central difference, while on a smooth loss they agree to O(h). A comparison that breaks the
/// tolerances while its one-sided differences disagree by at least its error is counted as inconclusive, not
/// failed; the report says how many there were.
/// </remarks>
/// <remarks>
/// The check runs on a fresh workspace in inference mode, so dropout is the identity and the loss is a
/// deterministic function of the parameters (dropout's own backward is tested directly). Parameters and
/// inputs are restored exactly afterwards. Works on any <see cref="INetwork{T}"/>; declare the network in
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
        private double center;

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
            workspace = network.CreateWorkspace();
            workspace.IsTraining = false;
            workspace.ComputeInputGradients = options.CheckInputs;
        }

        public GradientCheckReport Run()
        {
            Loss();
            workspace.Backward();
            var gradients = workspace.Gradients.ToArray();
            var inputGradients = workspace.InputGradients.ToArray();

            Loss();
            workspace.Backward();
            var deterministic = BitwiseEqual(gradients, workspace.Gradients) && BitwiseEqual(inputGradients, workspace.InputGradients);
            center = double.CreateTruncating(Loss());

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

                    // Divide by the steps actually taken: in float, θ ± h is rounded.
                    var upStep = double.CreateTruncating(up) - double.CreateTruncating(original);
                    var downStep = double.CreateTruncating(original) - double.CreateTruncating(down);
                    var numeric = (plus - minus) / (upStep + downStep);
                    worst.Add(i, double.CreateTruncating(analytic[i]), numeric, (plus - center) / upStep, (center - minus) / downStep);
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
                worst.Add(d, directional / (2 * options.Epsilon), (plus - minus) / (2 * options.Epsilon), (plus - center) / options.Epsilon, (center - minus) / options.Epsilon);
            }

            return worst.Result(name, CheckMode.RandomDirections, options.RandomDirections);
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

        /// <summary>Adds one comparison: backward's value, the central difference and the two one-sided differences.</summary>
        public void Add(int index, double analytic, double numeric, double forward, double backward)
        {
            var absolute = Math.Abs(analytic - numeric);
            var scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
            var relative = scale == 0 ? 0 : absolute / scale;

            // An element fails only when it breaks both tolerances; NaN always fails.
            var score = double.IsNaN(absolute) ? double.PositiveInfinity : Math.Min(absolute / options.AbsoluteTolerance, relative / options.RelativeTolerance);
            if (score > 1 && Math.Abs(forward - backward) >= absolute)
            {
                inconclusive++;
                return;
            }

            maxAbsolute = Math.Max(maxAbsolute, absolute);
            maxRelative = Math.Max(maxRelative, relative);
            if (score > worstScore)
            {
                (worstScore, worstIndex, worstAnalytic, worstNumeric) = (score, index, analytic, numeric);
            }
        }

        public readonly TensorCheck Result(string name, CheckMode mode, int comparisons) =>
            new(name, mode, comparisons, maxAbsolute, maxRelative, worstIndex, worstAnalytic, worstNumeric, worstScore <= 1, inconclusive);
    }
}
