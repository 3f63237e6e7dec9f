using FsCheck;
using FsCheck.Fluent;
using SimdDescent.Checking;
using SimdDescent.Generators.Tests.Infrastructure;
using SimdDescent.Networks;
using SimdDescent.Training;

namespace SimdDescent.Generators.Tests;

/// <summary>
/// Generate from source text, compile with Roslyn, load into a collectible context, run, and compare the
/// generated backward pass with central differences.
/// </summary>
public class CompileAndRunTests
{
    private const int NetworksPerCompilation = 5;

    [Fact]
    public void Random_declarations_compile_and_pass_the_gradient_check_in_double()
    {
        // 4 FsCheck cases × 5 networks = 20 random networks in 4 compilations.
        var batches = NetworkSpec.Generator().ArrayOf(NetworksPerCompilation).ToArbitrary();
        var property = Prop.ForAll(batches, specs =>
        {
            var sources = specs.Select((s, i) => "using SimdDescent.Networks;\nnamespace Random;\n" + s.Render("Net" + i)).ToArray();
            var compiled = CompiledNetworks.Build(sources);
            for (var i = 0; i < specs.Length; i++)
            {
                var network = compiled.Create<double>("Random.Net" + i);
                var report = CompiledNetworks.Check(network, specs[i].Batch, specs[i].Seed);
                Assert.True(report.Passed, specs[i] + "\n" + report);
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(4), property);
    }

    [Fact]
    public void Every_activation_fused_and_standalone_and_every_loss_pass_the_gradient_check()
    {
        // The random declarations above cover these only by chance; this covers each for sure, in one compilation.
        string[] losses = ["SoftmaxCrossEntropy", "MeanSquaredError", "BinaryCrossEntropyWithLogits"];
        var activations = NetworkSpec.Activations.Where(a => a != "None").ToArray();
        var sources = activations.Select((a, i) => $$"""
            using SimdDescent.Networks;
            namespace Coverage;
            [Network(Inputs = 5, MaxBatch = 3, ElementType = typeof(double), Seed = {{i}})]
            [Dense(6, Activation.{{a}})]
            [LayerNorm]
            [ActivationLayer(Activation.{{a}})]
            [Dense(3)]
            [{{losses[i % losses.Length]}}]
            public partial class Net{{i}};
            """).ToArray();
        var compiled = CompiledNetworks.Build(sources);
        for (var i = 0; i < sources.Length; i++)
        {
            var report = CompiledNetworks.Check(compiled.Create<double>("Coverage.Net" + i), 3, seed: i);
            Assert.True(report.Passed, activations[i] + "\n" + report);
        }
    }

    [Fact]
    public void A_float_network_passes_with_the_float_defaults()
    {
        var network = CompiledNetworks.Build(Declarations.Mlp).Create<float>("Demo.Mlp");
        var inputs = new float[] { 0.5f, -1, 0.25f, 2, -0.5f, 1, 0, 0.75f };
        var report = GradientChecker.Check(network, inputs, [2, 0], 2);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(["layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias", "inputs"], report.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Large_tensors_are_checked_along_random_directions()
    {
        var network = CompiledNetworks.Build("""
            using SimdDescent.Networks;
            namespace Big;
            [Network(Inputs = 40, MaxBatch = 3, ElementType = typeof(double))]
            [Dense(30, Activation.Tanh)]
            [Dense(4)]
            [MeanSquaredError]
            public partial class Net;
            """).Create<double>("Big.Net");
        var report = CompiledNetworks.Check(network, 3, seed: 4, GradientCheckOptions.For<double>() with { MaxElementsPerTensor = 100 });
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(CheckMode.RandomDirections, report.Tensors.Single(t => t.Name == "layer0.weight").Mode);
        Assert.Equal(CheckMode.PerElement, report.Tensors.Single(t => t.Name == "layer1.bias").Mode);
    }

    [Theory]
    [InlineData("TanhBackwardOperator", "SigmoidBackwardOperator", "layer0.weight")]
    [InlineData("Layer1WeightGradient, Layer1BiasGradient", "Layer1BiasGradient, Layer1WeightGradient", "layer1.weight")]
    [InlineData("ReluBackwardOperator", "MultiplyOperator", "layer0.bias")]
    [InlineData("Dense.Backward<double>(h2, network.Layer3Weight", "Dense.Backward<double>(h0, network.Layer3Weight", "layer3.weight")]
    public void A_deliberately_wrong_backward_is_caught(string original, string mutation, string brokenTensor)
    {
        var correct = CompiledNetworks.Check(CompiledNetworks.Build(MutantDeclaration).Create<double>("Mutant.Net"), 4, seed: 1);
        var broken = CompiledNetworks.Check(Mutate(original, mutation).Create<double>("Mutant.Net"), 4, seed: 1);

        Assert.True(correct.Passed, correct.ToString());
        Assert.False(broken.Passed);
        Assert.False(broken.Tensors.Single(t => t.Name == brokenTensor).Passed, broken.ToString());
        Assert.Contains("FAIL " + brokenTensor, broken.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_backward_that_differs_between_runs_is_reported()
    {
        // A drift far below the numerical tolerances: only the bitwise comparison can see it.
        var network = Mutate("new ReluBackwardOperator<double>());", "new ReluBackwardOperator<double>()); Layer3BiasGradient[0] += ++Drift.Count * 1e-14;",
            "static class Drift { public static int Count; }").Create<double>("Mutant.Net");
        var report = CompiledNetworks.Check(network, 4, seed: 1);
        Assert.False(report.BackwardIsDeterministic);
        Assert.All(report.Tensors, t => Assert.True(t.Passed, report.ToString()));
        Assert.Contains("bitwise", report.ToString(), StringComparison.Ordinal);
        Assert.Throws<GradientCheckFailedException>(report.ThrowIfFailed);
    }

    private const string MutantDeclaration = """
        using SimdDescent.Networks;
        namespace Mutant;
        [Network(Inputs = 3, MaxBatch = 4, ElementType = typeof(double))]
        [Dense(5, Activation.Relu)]
        [LayerNorm]
        [ActivationLayer(Activation.Tanh)]
        [Dense(3)]
        [SoftmaxCrossEntropy]
        public partial class Net;
        """;

    /// <summary>The generated code with one edit inside Backward, compiled without the generator.</summary>
    private static CompiledNetworks Mutate(string original, string mutation, string extraSource = "")
    {
        var generated = Assert.Single(GeneratorHarness.Run(MutantDeclaration).GeneratedSources);
        var backward = generated[generated.IndexOf("public void Backward()", StringComparison.Ordinal)..];
        Assert.Contains(original, backward, StringComparison.Ordinal);
        var mutated = generated[..^backward.Length] + backward.Replace(original, mutation, StringComparison.Ordinal);
        return CompiledNetworks.BuildWithoutGenerator(MutantDeclaration, mutated, extraSource);
    }

    [Fact]
    public void The_pytorch_names_follow_nn_sequential_indices()
    {
        var network = CompiledNetworks.Build("""
            using SimdDescent.Networks;
            namespace Names;
            [Network(Inputs = 3, MaxBatch = 1)]
            [Dense(4, Activation.Relu)]
            [Dropout(0.1)]
            [Dense(4)]
            [ActivationLayer(Activation.Tanh)]
            [LayerNorm]
            [Dense(2, Bias = false)]
            [SoftmaxCrossEntropy]
            public partial class Net;
            """).Create<float>("Names.Net");

        // Linear(0) ReLU(1) Dropout(2) Linear(3) Tanh(4) LayerNorm(5) Linear(6)
        Assert.Equal(
            ["layer0.weight:0.weight:3x4", "layer0.bias:0.bias:4", "layer2.weight:3.weight:4x4", "layer2.bias:3.bias:4",
             "layer4.weight:5.weight:4", "layer4.bias:5.bias:4", "layer5.weight:6.weight:4x2"],
            network.Tensors.Select(t => t.Name + ":" + t.PyTorchName + ":" + string.Join("x", t.Shape)));
        Assert.Equal(network.Tensors.Sum(t => t.Length), network.ParameterCount);
        Assert.Equal(network.ParameterCount, network.Parameters.Length);
    }
}
