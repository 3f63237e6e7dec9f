using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using SimdDescent.IO.Onnx;
using SimdDescent.Networks;

namespace SimdDescent.Tests.IO.Onnx;

/// <summary>
/// Exported models run in ONNX Runtime and give what Predict gives on the same random inputs, for every layer
/// kind; parameters are randomized first so that biases, LayerNorm shifts and scales all matter.
/// </summary>
public class OnnxExportTests
{
    private const int Batch = 5;

    public static TheoryData<string> FloatNetworks => [nameof(OnnxDenseStack), nameof(OnnxNormalized), nameof(OnnxMlp)];

    [Theory]
    [MemberData(nameof(FloatNetworks))]
    public void OnnxRuntime_matches_Predict_within_1e5_relative(string name)
    {
        INetwork<float> network = name switch
        {
            nameof(OnnxDenseStack) => new OnnxDenseStack(),
            nameof(OnnxNormalized) => new OnnxNormalized(),
            _ => new OnnxMlp(),
        };
        AssertSameOutputs(network, seed: name.Length);
    }

    [Fact]
    public void Double_network_exports_double_tensors_that_OnnxRuntime_runs() => AssertSameOutputs(new OnnxDouble(), seed: 3);

    [Theory]
    [InlineData(nameof(OnnxCnn))]
    [InlineData(nameof(OnnxGlobalPoolCnn))]
    public void Trained_image_network_with_running_statistics_matches_Predict_in_OnnxRuntime(string name)
    {
        INetwork<float> network = name == nameof(OnnxCnn) ? new OnnxCnn() : new OnnxGlobalPoolCnn();
        AssertSameOutputs(network, seed: name.Length, Train);
    }

    [Fact]
    public void Image_network_declares_an_NCHW_input()
    {
        using var session = new InferenceSession(OnnxExporter.Export(new OnnxCnn()));
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal([-1, 3, 12, 10], input.Value.Dimensions);
        Assert.Equal("batch", input.Value.SymbolicDimensions[0]);
        Assert.Equal([-1, 5], Assert.Single(session.OutputMetadata).Value.Dimensions);
    }

    [Fact]
    public void Batch_normalization_without_running_statistics_is_rejected()
    {
        var inner = new OnnxCnn();
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new Described<float>(inner, inner.Layers)));
        Assert.Contains("running statistics", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_declares_named_input_and_output_with_a_symbolic_batch()
    {
        using var session = new InferenceSession(OnnxExporter.Export(new OnnxMlp()));
        var input = Assert.Single(session.InputMetadata);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("input", input.Key);
        Assert.Equal([-1, 784], input.Value.Dimensions);
        Assert.Equal("batch", input.Value.SymbolicDimensions[0]);
        Assert.Equal("logits", output.Key);
        Assert.Equal([-1, 10], output.Value.Dimensions);
        Assert.Equal(typeof(float), input.Value.ElementType);
    }

    [Fact]
    public void Weights_are_initializers_not_inputs_and_the_file_is_written()
    {
        var network = new OnnxMlp();
        using var directory = new TemporaryDirectory();
        var path = directory.File("mlp.onnx");
        OnnxExporter.Save(network, path);
        var bytes = File.ReadAllBytes(path);
        // Each weight once, in raw form: at least the parameter bytes, and little else.
        Assert.InRange(bytes.Length, network.ParameterCount * sizeof(float), (network.ParameterCount * sizeof(float)) + 2048);
        using var session = new InferenceSession(bytes);
        Assert.Equal(["input"], session.InputNames);
    }

    [Fact]
    public void Network_without_layers_is_rejected_with_what_was_expected()
    {
        var network = new Described<float>(new OnnxMlp(), []);
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(network));
        Assert.Contains("describes its layers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_whose_tensor_has_the_wrong_shape_is_rejected()
    {
        var inner = new OnnxMlp();
        var wrong = inner.Layers[0] with { Outputs = 64 };
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new Described<float>(inner, [wrong, inner.Layers[1]])));
        Assert.Contains("expected layer0.weight of shape [784, 64], got [784, 128]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_outside_the_parameters_is_rejected()
    {
        var inner = new OnnxMlp();
        var bias = inner.Layers[1].Bias! with { Offset = inner.ParameterCount - 5 };
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new Described<float>(inner, [inner.Layers[0], inner.Layers[1] with { Bias = bias }])));
        Assert.Contains("outside the", error.Message, StringComparison.Ordinal);
    }

    private static void AssertSameOutputs<T>(INetwork<T> network, int seed, Action<INetwork<T>, Random>? train = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        foreach (ref var parameter in network.Parameters)
        {
            parameter = T.CreateTruncating((random.NextDouble() - 0.5) * 0.8);
        }

        train?.Invoke(network, random);
        var inputs = RandomInputs<T>(network, random);
        var expected = new T[Batch * network.OutputWidth];
        network.Workspace.Predict(inputs, expected, Batch);

        using var session = new InferenceSession(OnnxExporter.Export(network));
        // The declared input shape with the batch filled in: [batch, features] or [batch, channels, height, width].
        var shape = session.InputMetadata[OnnxExporter.InputName].Dimensions.Select(d => d < 0 ? (long)Batch : d).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        var actual = outputs[0].GetTensorDataAsSpan<T>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        for (var row = 0; row < Batch; row++)
        {
            // Relative to the row's largest logit: summation order differs between the two GEMMs.
            var scale = 0.0;
            for (var j = 0; j < network.OutputWidth; j++)
            {
                scale = Math.Max(scale, Math.Abs(double.CreateTruncating(expected[(row * network.OutputWidth) + j])));
            }

            for (var j = 0; j < network.OutputWidth; j++)
            {
                var i = (row * network.OutputWidth) + j;
                var difference = Math.Abs(double.CreateTruncating(actual[i] - expected[i]));
                Assert.True(difference <= 1e-5 * scale, $"row {row}, output {j}: ONNX Runtime {actual[i]}, Predict {expected[i]}, |Δ| {difference:E2} > 1e-5 × {scale:G4}");
            }
        }
    }

    private static T[] RandomInputs<T>(INetwork<T> network, Random random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var inputs = new T[Batch * network.InputWidth];
        foreach (ref var x in inputs.AsSpan())
        {
            x = T.CreateTruncating((random.NextDouble() * 4) - 2);
        }

        return inputs;
    }

    /// <summary>A few SGD steps on random data, so the weights and the running statistics are neither random nor initial.</summary>
    private static void Train(INetwork<float> network, Random random)
    {
        var model = (IModelStatistics<float>)network;
        var initial = model.Statistics.ToArray();
        var workspace = network.Workspace;
        var targets = new float[Batch * network.OutputWidth];
        var labels = new int[Batch];
        for (var step = 0; step < 4; step++)
        {
            var inputs = RandomInputs<float>(network, random);
            // Shifted and scaled, so the batch statistics are far from the initial mean 0 and variance 1.
            foreach (ref var x in inputs.AsSpan())
            {
                x = (x * 1.5f) + 0.7f;
            }

            Array.Clear(targets);
            for (var row = 0; row < Batch; row++)
            {
                labels[row] = random.Next(network.OutputWidth);
                targets[(row * network.OutputWidth) + labels[row]] = 1;
            }

            _ = network.TargetKind == TargetKind.ClassLabels
                ? workspace.Forward(inputs, labels, Batch)
                : workspace.Forward(inputs, targets, Batch);
            workspace.Backward();
            var gradients = workspace.Gradients;
            var parameters = network.Parameters;
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= 0.05f * gradients[i];
            }
        }

        Assert.NotEqual(initial, model.Statistics.ToArray());
    }

    /// <summary>A network whose layer list is replaced, to feed the exporter descriptions that do not fit.</summary>
    private sealed class Described<T>(INetwork<T> inner, IReadOnlyList<LayerInfo> layers) : INetwork<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public int InputWidth => inner.InputWidth;

        public int OutputWidth => inner.OutputWidth;

        public int MaxBatch => inner.MaxBatch;

        public TargetKind TargetKind => inner.TargetKind;

        public int ParameterCount => inner.ParameterCount;

        public IReadOnlyList<TensorInfo> Tensors => inner.Tensors;

        public IReadOnlyList<LayerInfo> Layers => layers;

        public Span<T> Parameters => inner.Parameters;

        public INetworkWorkspace<T> Workspace => inner.Workspace;

        public INetworkWorkspace<T> CreateWorkspace() => inner.CreateWorkspace();

        public void Initialize(ulong seed) => inner.Initialize(seed);
    }
}
