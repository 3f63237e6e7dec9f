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

    /// <summary>Random inputs with 0.01 ≤ |x| ≤ 1.01 and matching labels or targets, then the gradient check.</summary>
    /// <remarks>
    /// Inputs keep clear of 0 because a standalone ReLU can come first: an input within the checker's ε of
    /// the kink makes the central difference straddle it (seen with x = −7.5e−7), which is no backward bug.
    /// </remarks>
    public static GradientCheckReport Check(INetwork<double> network, int batch, int seed, GradientCheckOptions? options = null)
    {
        var random = new SplitMix64((ulong)seed);
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
