using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using SimdDescent.Checking;
using SimdDescent.Generators.Tests.Infrastructure;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;

namespace SimdDescent.Generators.Tests;

/// <summary>Convolutional declarations: shapes inferred and checked at compile time, generated code gradient-checked.</summary>
public class ConvolutionalNetworkTests
{
    private const string Cnn = """
        using SimdDescent.Networks;
        namespace Vision;
        [Network(Channels = 2, Height = 9, Width = 8, MaxBatch = 4, ElementType = typeof(double), Seed = 3)]
        [Conv2D(4, 3, Padding = 1, Bias = false)]
        [BatchNorm2D]
        [ActivationLayer(Activation.Tanh)]
        [MaxPool2D(2)]
        [Conv2D(5, 2, Activation.Sigmoid, Stride = 2)]
        [AvgPool2D(2, Stride = 1)]
        [Flatten]
        [Dense(6, Activation.Gelu)]
        [Dense(3)]
        [SoftmaxCrossEntropy]
        public partial class Cnn;
        """;

    [Fact]
    public void Random_convolutional_declarations_compile_and_pass_the_gradient_check_in_double_in_both_modes()
    {
        // 4 FsCheck cases × 4 networks = 16 random networks in 4 compilations.
        var batches = ConvNetworkSpec.Generator().ArrayOf(4).ToArbitrary();
        var property = Prop.ForAll(batches, specs =>
        {
            var sources = specs.Select((s, i) => "using SimdDescent.Networks;\nnamespace RandomCnn;\n" + s.Render("Net" + i)).ToArray();
            var compiled = CompiledNetworks.Build(sources);
            for (var i = 0; i < specs.Length; i++)
            {
                var network = compiled.Create<double>("RandomCnn.Net" + i);
                var report = CompiledNetworks.Check(network, specs[i].Batch, specs[i].Seed);
                Assert.True(report.Passed, specs[i] + "\n" + report);

                // Training mode normalizes with the batch's statistics, which need two values per channel.
                if (network.Layers.All(l => l.Kind != LayerKind.BatchNorm2D || specs[i].Batch * l.Height * l.Width >= 2))
                {
                    var training = CompiledNetworks.Check(network, specs[i].Batch, specs[i].Seed, GradientCheckOptions.For<double>() with { TrainingMode = true });
                    Assert.True(training.Passed, specs[i] + " (training mode)\n" + training);
                }
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(4), property);
    }

    [Fact]
    public void A_normalization_between_padded_bias_free_convolutions_passes_the_gradient_check()
    {
        // The check moves the normalization off its initial values: at bias 0 and running mean 0 the padding's
        // zeros stay exact zeros and sit on the second convolution's ReLU kink, where no derivative exists.
        var network = CompiledNetworks.Build("""
            using SimdDescent.Networks;
            namespace Padded;
            [Network(Channels = 2, Height = 4, Width = 5, MaxBatch = 3, ElementType = typeof(double), Seed = 900)]
            [Conv2D(2, 1, Activation.LeakyRelu, Padding = 1, Bias = false)]
            [BatchNorm2D]
            [Conv2D(4, 1, Activation.Relu, Stride = 2, Padding = 1, Bias = false)]
            [AvgPool2D(3, Stride = 1)]
            [GlobalAvgPool]
            [Dense(2)]
            [SoftmaxCrossEntropy]
            public partial class Net;
            """).Create<double>("Padded.Net");

        var report = CompiledNetworks.Check(network, 2, seed: 0);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void A_training_mode_check_sees_a_normalization_backward_that_ignores_the_batch_statistics()
    {
        var generated = Assert.Single(GeneratorHarness.Run(Cnn).GeneratedSources);
        const string Original = "Layer1BiasGradient, dh0, batch, 4, 72, training);";
        Assert.Contains(Original, generated, StringComparison.Ordinal);
        var mutant = CompiledNetworks.BuildWithoutGenerator(Cnn, generated.Replace(Original, "Layer1BiasGradient, dh0, batch, 4, 72, false);", StringComparison.Ordinal))
            .Create<double>("Vision.Cnn");
        var training = GradientCheckOptions.For<double>() with { TrainingMode = true };

        Assert.True(CompiledNetworks.Check(mutant, 3, seed: 2).Passed);
        var report = CompiledNetworks.Check(mutant, 3, seed: 2, training);
        Assert.False(report.Tensors.Single(t => t.Name == "layer0.weight").Passed, report.ToString());
        Assert.True(CompiledNetworks.Check(CompiledNetworks.Build(Cnn).Create<double>("Vision.Cnn"), 3, seed: 2, training).Passed);
    }

    [Fact]
    public void A_training_mode_check_restores_the_running_statistics_and_refuses_dropout()
    {
        var compiled = CompiledNetworks.Build(Cnn, """
            using SimdDescent.Networks;
            namespace Vision;
            [Network(Inputs = 3, MaxBatch = 2, ElementType = typeof(double))]
            [Dense(4, Activation.Relu)]
            [Dropout(0.5)]
            [Dense(2)]
            [SoftmaxCrossEntropy]
            public partial class Dropped;
            """);
        var network = compiled.Create<double>("Vision.Cnn");
        var statistics = ((IModelStatistics<double>)network).Statistics;
        var before = statistics.ToArray();
        var training = GradientCheckOptions.For<double>() with { TrainingMode = true };

        Assert.True(GradientChecker.Check(network, new double[2 * network.InputWidth].Select((_, i) => Math.Sin(i)).ToArray(), (ReadOnlySpan<int>)[0, 2], 2, training).Passed);
        Assert.Equal(before, statistics.ToArray());
        var dropped = compiled.Create<double>("Vision.Dropped");
        var error = Assert.Throws<ArgumentException>(() => GradientChecker.Check(dropped, new double[6], (ReadOnlySpan<int>)[0, 1], 2, training));
        Assert.Contains("dropout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_convolutional_network_infers_its_shapes_names_its_tensors_as_pytorch_and_passes_the_gradient_check()
    {
        var network = CompiledNetworks.Build(Cnn).Create<double>("Vision.Cnn");
        Assert.Equal(2 * 9 * 8, network.InputWidth);
        Assert.Equal(3, network.OutputWidth);

        // 9×8 → conv pad 1 → 9×8 → pool 2 → 4×4 → conv 2 stride 2 → 2×2 → avg 2 stride 1 → 1×1: 5 features.
        Assert.Equal(
            ["0.weight [4, 2, 3, 3]", "1.weight [4]", "1.bias [4]", "4.weight [5, 4, 2, 2]", "4.bias [5]", "8.weight [5, 6]", "8.bias [6]", "10.weight [6, 3]", "10.bias [3]"],
            network.Tensors.Select(t => t.PyTorchName + " [" + string.Join(", ", t.Shape) + "]"));
        Assert.Equal(5, network.Layers.Single(l => l.Kind == LayerKind.Flatten).Outputs);

        var report = CompiledNetworks.Check(network, 3, seed: 2);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Training_moves_the_running_statistics_and_inference_uses_them()
    {
        var network = CompiledNetworks.Build("""
            using SimdDescent.Networks;
            namespace Norm;
            [Network(Channels = 1, Height = 2, Width = 2, MaxBatch = 2, ElementType = typeof(double))]
            [BatchNorm2D(Momentum = 0.5)]
            [Flatten]
            [Dense(2, Initializer = Initializer.Zeros)]
            [MeanSquaredError]
            public partial class Net;
            """).Create<double>("Norm.Net");
        double[] inputs = [1, 2, 3, 4, 5, 6, 7, 8];
        network.Workspace.IsTraining = true;
        network.Workspace.Forward(inputs, (ReadOnlySpan<double>)new double[4], 2);

        // The last layer's weights are zero, so only the normalization can be observed through Predict after setting them.
        var dense = network.Tensors.Single(t => t.PyTorchName == "2.weight");
        network.Parameters.Slice(dense.Offset, dense.Length).Clear();
        network.Parameters[dense.Offset] = 1; // output 0 = normalized pixel 0
        var outputs = new double[4];
        network.Workspace.Predict(inputs, outputs, 2);

        // Batch mean 4.5, unbiased variance 6; running: mean 0.5·0 + 0.5·4.5, variance 0.5·1 + 0.5·6.
        var mean = 2.25;
        var variance = 3.5;
        Assert.Equal((1 - mean) / Math.Sqrt(variance + 1e-5), outputs[0], 1e-12);
        Assert.Equal((5 - mean) / Math.Sqrt(variance + 1e-5), outputs[2], 1e-12);
    }

    [Fact]
    public void Running_statistics_are_saved_and_loaded_with_the_weights_under_pytorch_names()
    {
        var compiled = CompiledNetworks.Build(Cnn);
        var trained = compiled.Create<double>("Vision.Cnn");
        var random = new Random(3);
        var inputs = Enumerable.Range(0, 4 * trained.InputWidth).Select(_ => random.NextDouble()).ToArray();
        trained.Workspace.Forward(inputs, (ReadOnlySpan<int>)[0, 1, 2, 0], 4);
        trained.Workspace.Forward(inputs, (ReadOnlySpan<int>)[0, 1, 2, 0], 4);
        var statistics = (IModelStatistics<double>)trained;
        Assert.Equal(["1.running_mean [4]", "1.running_var [4]", "1.num_batches_tracked []"],
            statistics.StatisticTensors.Select(t => t.PyTorchName + " [" + string.Join(", ", t.Shape) + "]"));
        Assert.Equal(2, statistics.Statistics[statistics.StatisticTensors[2].Offset]);
        Assert.NotEqual(0, statistics.Statistics[0]);

        var path = Path.Combine(Path.GetTempPath(), "cnn-statistics-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            NetworkCheckpoint.Save(trained, path);
            using (var file = SafetensorsFile.Open(path))
            {
                Assert.Contains(file.Tensors, t => t.Name == "1.running_var");
                Assert.Contains(file.Tensors, t => t.Name == "1.num_batches_tracked" && t.Shape.Length == 0);
            }

            var loaded = compiled.Create<double>("Vision.Cnn");
            NetworkCheckpoint.Load(loaded, path);
            Assert.Equal(statistics.Statistics.ToArray(), ((IModelStatistics<double>)loaded).Statistics.ToArray());
            Assert.Equal(trained.Parameters.ToArray(), loaded.Parameters.ToArray());

            var expected = new double[4 * 3];
            var actual = new double[4 * 3];
            trained.Workspace.Predict(inputs, expected, 4);
            loaded.Workspace.Predict(inputs, actual, 4);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("[Network(Inputs = 16, MaxBatch = 2)]\n[Conv2D(2, 3)]\n[Flatten]\n[Dense(2)]", "[Conv2D(2, 3)]", "SD0017", "declare the input as Network(Channels = …, Height = …, Width = …)")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 4, MaxBatch = 2)]\n[Flatten]\n[Conv2D(2, 3)]\n[Dense(2)]", "[Conv2D(2, 3)]", "SD0017", "move it before [Flatten]")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 4, MaxBatch = 2)]\n[GlobalAvgPool]\n[BatchNorm2D]\n[Dense(2)]", "[BatchNorm2D]", "SD0017", "already turned into rows")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 6, MaxBatch = 2)]\n[Conv2D(2, 7, Padding = 1)]\n[Flatten]\n[Dense(2)]", "[Conv2D(2, 7, Padding = 1)]", "SD0018", "does not fit its 4×6 input padded by 1 on each side; use a window of at most 6 or more padding")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 4, MaxBatch = 2)]\n[MaxPool2D(2)]\n[MaxPool2D(3)]\n[Flatten]\n[Dense(2)]", "[MaxPool2D(3)]", "SD0018", "does not fit its 2×2 input; use a window of at most 2 or pool earlier")]
    [InlineData("[Network(Channels = 3, Height = 4, Width = 4, MaxBatch = 2)]\n[Conv2D(2, 3)]\n[Dense(2)]", "[Dense(2)]", "SD0019", "the layer before it produces an image [2, 2, 2]; add [Flatten]")]
    [InlineData("[Network(Channels = 3, Height = 4, Width = 4, MaxBatch = 2)]\n[LayerNorm]\n[Flatten]\n[Dense(2)]", "[LayerNorm]", "SD0019", "produces an image [3, 4, 4]")]
    [InlineData("[Network(Inputs = 10, Channels = 3, Height = 4, Width = 4, MaxBatch = 2)]\n[Flatten]\n[Dense(2)]", "[Network(Inputs = 10, Channels = 3, Height = 4, Width = 4, MaxBatch = 2)]", "SD0020", "Channels · Height · Width = 48")]
    [InlineData("[Network(Channels = 3, Height = 4, MaxBatch = 2)]\n[Flatten]\n[Dense(2)]", "[Network(Channels = 3, Height = 4, MaxBatch = 2)]", "SD0005", "Network(Width = …) is 0")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 4, MaxBatch = 2)]\n[Conv2D(0, 3)]\n[Flatten]\n[Dense(2)]", "[Conv2D(0, 3)]", "SD0005", "Conv2D filters is 0")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 4, MaxBatch = 2)]\n[Conv2D(2, 3, Stride = 0)]\n[Flatten]\n[Dense(2)]", "[Conv2D(2, 3, Stride = 0)]", "SD0005", "Conv2D Stride is 0")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 4, MaxBatch = 2)]\n[Conv2D(2, 3, Padding = -1)]\n[Flatten]\n[Dense(2)]", "[Conv2D(2, 3, Padding = -1)]", "SD0010", "Conv2D Padding is -1; it must be 0 or more")]
    [InlineData("[Network(Channels = 1, Height = 4, Width = 4, MaxBatch = 2)]\n[BatchNorm2D(Momentum = 0)]\n[Flatten]\n[Dense(2)]", "[BatchNorm2D(Momentum = 0)]", "SD0010", "in (0, 1]")]
    public void Bad_image_declaration_reports_its_diagnostic_on_the_attribute_and_generates_nothing(string declaration, string attribute, string id, string fix)
    {
        var source = "using SimdDescent.Networks;\n" + declaration + "\n[MeanSquaredError]\npublic partial class Net;";
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(attribute, source.Substring(diagnostic.Location.SourceSpan.Start - 1, diagnostic.Location.SourceSpan.Length + 2));
        Assert.Contains(fix, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(outcome.GeneratedSources);
    }
}
