using System.Reflection;
using SimdDescent.Checking;
using SimdDescent.Layers;
using SimdDescent.Randomness;
using SimdDescent.Networks;

namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>Declarations compiled together (one Roslyn compilation for many networks: compiling is the slow part).</summary>
internal sealed class CompiledNetworks
{
    private readonly Assembly assembly;

    private CompiledNetworks(Assembly assembly) => this.assembly = assembly;

    /// <summary>Generates and compiles; fails on any generator diagnostic or compiler error.</summary>
    public static CompiledNetworks Build(params string[] sources)
    {
        var outcome = GeneratorHarness.Run(sources);
        Assert.Empty(outcome.GeneratorDiagnostics);
        return new CompiledNetworks(GeneratorHarness.Load(outcome.Compilation));
    }

    /// <summary>Compiles sources as they are, without running the generator (for hand-mutated generated code).</summary>
    public static CompiledNetworks BuildWithoutGenerator(params string[] sources) =>
        new(GeneratorHarness.Load(GeneratorHarness.Compilation(sources)));

    public INetwork<T> Create<T>(string typeName)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        (INetwork<T>)Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!)!;

    public ILanguageModel<T> CreateLanguageModel<T>(string typeName)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        (ILanguageModel<T>)Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!)!;

    /// <summary>
    /// Random inputs with 0.01 ≤ |x| ≤ 1.01 and matching labels or targets, batch normalizations moved off their
    /// initial values, then the gradient check.
    /// </summary>
    /// <remarks>
    /// Inputs keep clear of 0 because a standalone ReLU can come first: an input within the checker's ε of
    /// the kink makes the central difference straddle it (seen with x = −7.5e−7), which is no backward bug.
    /// The check runs in inference mode, where a fresh batch normalization (bias 0, running mean 0) maps an
    /// exact 0 to an exact 0: a convolution's zero padding would then reach the next bias-free convolution's
    /// ReLU exactly at its kink, with a slope that depends on the normalization's bias, and no derivative
    /// exists there to check.
    /// </remarks>
    public static GradientCheckReport Check(INetwork<double> network, int batch, int seed, GradientCheckOptions? options = null)
    {
        var random = new SplitMix64((ulong)seed);
        MoveNormalizations(network, ref random);
        var inputs = Fill(batch * network.InputWidth, () =>
        {
            var u = (2 * random.NextDouble()) - 1;
            return u + (u < 0 ? -0.01 : 0.01);
        });
        if (network.TargetKind == TargetKind.ClassLabels)
        {
            var labels = new int[batch];
            for (var i = 0; i < batch; i++)
            {
                labels[i] = (int)(random.NextUInt64() % (ulong)network.OutputWidth);
            }

            return GradientChecker.Check(network, inputs, labels, batch, options);
        }

        // In [0, 1] so the same targets serve mean squared error and binary cross-entropy.
        var targets = Fill(batch * network.OutputWidth, random.NextDouble);
        return GradientChecker.Check<double>(network, inputs, targets, batch, options);
    }

    // Weight in [0.5, 1.5], bias and running mean in [−0.5, 0.5], running variance in [0.5, 1.5].
    private static void MoveNormalizations(INetwork<double> network, ref SplitMix64 random)
    {
        foreach (var layer in network.Layers.Where(l => l.Kind == LayerKind.BatchNorm2D))
        {
            var model = (IModelStatistics<double>)network;
            TensorInfo weightTensor = layer.Weight!, biasTensor = layer.Bias!;
            var module = weightTensor.PyTorchName![..^".weight".Length];
            var weight = network.Parameters.Slice(weightTensor.Offset, weightTensor.Length);
            var bias = network.Parameters.Slice(biasTensor.Offset, biasTensor.Length);
            var runningMean = Statistic(model, module + ".running_mean");
            var runningVariance = Statistic(model, module + ".running_var");
            for (var c = 0; c < weight.Length; c++)
            {
                weight[c] = 0.5 + random.NextDouble();
                bias[c] = random.NextDouble() - 0.5;
                runningMean[c] = random.NextDouble() - 0.5;
                runningVariance[c] = 0.5 + random.NextDouble();
            }
        }
    }

    private static Span<double> Statistic(IModelStatistics<double> model, string name)
    {
        var tensor = model.StatisticTensors.Single(t => t.PyTorchName == name);
        return model.Statistics.Slice(tensor.Offset, tensor.Length);
    }

    private static double[] Fill(int length, Func<double> next)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = next();
        }

        return values;
    }
}
