using System.Numerics;
using SimdDescent.Kernels.Operators;
using SimdDescent.Networks;

namespace SimdDescent.IO.Onnx;

/// <summary>
/// Exports a network's inference graph to ONNX (opset 17): input <see cref="InputName"/> [batch, inputs],
/// output <see cref="OutputName"/> [batch, outputs] — the logits <c>Predict</c> writes, the loss dropped —
/// with every weight as an initializer under its arena name (<c>layer0.weight</c>, ...).
/// Dense is a <c>Gemm</c> (weights stay [inputs, units]), LayerNorm a <c>LayerNormalization</c>, Dropout the
/// identity; GELU (tanh form) and SiLU are composed from <c>Sigmoid</c>, <c>Mul</c> and <c>Add</c>.
/// A network with an image input takes <see cref="InputName"/> as [batch, channels, height, width] (NCHW):
/// Conv2D is a <c>Conv</c> (weights [filters, channels, kernel, kernel]) with its fused activation, the poolings
/// <c>MaxPool</c> and <c>AveragePool</c>, GlobalAvgPool a <c>GlobalAveragePool</c> then <c>Flatten</c>,
/// BatchNorm2D a <c>BatchNormalization</c> in inference mode over the running statistics, Flatten a <c>Flatten</c>.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The name of the graph's input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph's output.</summary>
    public const string OutputName = "logits";

    /// <summary>The ONNX operator set the model imports.</summary>
    public const int Opset = 17;

    // GELU(x) = x·σ(x·(a + b·x²)) with a = 2·√(2/π) and b = a·0.044715: the tanh form, as the kernels compute it.
    private const double GeluLinear = 2 * ActivationMath.SqrtTwoOverPi;
    private const double GeluCubic = GeluLinear * ActivationMath.GeluCubic;

    /// <summary>Saves the ONNX model of <paramref name="network"/> to <paramref name="path"/> (replaced atomically).</summary>
    public static void Save<T>(INetwork<T> network, string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var model = Export(network);
        AtomicFile.Write(path, model, static (stream, bytes) => stream.Write(bytes));
    }

    /// <summary>The serialized ONNX ModelProto of <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The network describes no layers, or a layer's tensors do not match its shape.</exception>
    public static byte[] Export<T>(INetwork<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Layers.Count == 0)
        {
            throw new ArgumentException("Expected a network that describes its layers (INetwork.Layers); this one lists none.", nameof(network));
        }

        var graph = new OnnxGraph<T>();
        ReadOnlySpan<T> parameters = network.Parameters;
        var x = InputName;
        var image = InputImage(network.Layers);
        var isImage = image is not null;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    string[] gemm = layer.Bias is null
                        ? [x, Tensor(graph, parameters, layer.Weight, i, "weight", layer.Inputs, layer.Outputs)]
                        : [x, Tensor(graph, parameters, layer.Weight, i, "weight", layer.Inputs, layer.Outputs), Tensor(graph, parameters, layer.Bias, i, "bias", layer.Outputs)];
                    x = Activation(graph, graph.Node("Gemm", gemm), layer.Activation);
                    break;
                case LayerKind.Activation:
                    x = Activation(graph, x, layer.Activation);
                    break;
                case LayerKind.LayerNorm:
                    x = graph.Node(
                        "LayerNormalization",
                        [x, Tensor(graph, parameters, layer.Weight, i, "scale", layer.Outputs), Tensor(graph, parameters, layer.Bias, i, "shift", layer.Outputs)],
                        ("epsilon", (float)layer.Epsilon));
                    break;
                case LayerKind.Dropout:
                    break; // the identity in inference
                case LayerKind.Conv2D:
                    x = Activation(graph, Convolution(graph, parameters, layer, i, x), layer.Activation);
                    break;
                case LayerKind.MaxPool2D or LayerKind.AvgPool2D:
                    x = graph.WindowNode(
                        layer.Kind == LayerKind.MaxPool2D ? "MaxPool" : "AveragePool", // no padding, so every window averages kernel² elements
                        [x],
                        ("kernel_shape", [layer.Kernel, layer.Kernel]),
                        ("strides", [layer.Stride, layer.Stride]));
                    break;
                case LayerKind.BatchNorm2D:
                    x = BatchNormalization(graph, network, layer, i, x);
                    break;
                case LayerKind.GlobalAvgPool:
                    x = graph.Node("Flatten", [graph.Node("GlobalAveragePool", [x])]);
                    isImage = false;
                    break;
                case LayerKind.Flatten:
                    x = graph.Node("Flatten", [x]); // axis 1: [batch, channels·height·width], the NCHW memory order
                    isImage = false;
                    break;
                default:
                    throw new ArgumentException($"Layer {i}: ONNX export does not support {layer.Kind} layers.", nameof(network));
            }
        }

        if (isImage)
        {
            x = graph.Node("Flatten", [x]); // a network that ends on an image outputs it as rows, as Predict does
        }

        graph.Node("Identity", [x], output: OutputName);
        int[] inputShape = image is var (channels, height, width) ? [channels, height, width] : [network.InputWidth];
        return graph.ToModel("SimdDescent", InputName, inputShape, OutputName, network.OutputWidth, Opset);
    }

    /// <summary>The [channels, height, width] of the first image layer, the network's input image; null for a network of rows.</summary>
    private static (int Channels, int Height, int Width)? InputImage(IReadOnlyList<LayerInfo> layers)
    {
        // Only activations and dropout, which keep the shape, can come before the first image layer.
        foreach (var layer in layers)
        {
            if (layer.Channels > 0)
            {
                return (layer.Channels, layer.Height, layer.Width);
            }
        }

        return null;
    }

    /// <summary>A <c>Conv</c> with weights [filters, channels, kernel, kernel], the bias if declared, and zeros on every side.</summary>
    private static string Convolution<T>(OnnxGraph<T> graph, ReadOnlySpan<T> parameters, LayerInfo layer, int i, string x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (layer.Kernel <= 0 || layer.Stride <= 0)
        {
            throw new ArgumentException($"Layer {i}: expected a Conv2D with a positive kernel and stride, got kernel {layer.Kernel}, stride {layer.Stride}.", "network");
        }

        var plane = (((layer.Height + (2 * layer.Padding) - layer.Kernel) / layer.Stride) + 1) * (((layer.Width + (2 * layer.Padding) - layer.Kernel) / layer.Stride) + 1);
        var filters = plane > 0 ? layer.Outputs / plane : 0;
        var weight = Tensor(graph, parameters, layer.Weight, i, "weight", filters, layer.Channels, layer.Kernel, layer.Kernel);
        string[] inputs = layer.Bias is null ? [x, weight] : [x, weight, Tensor(graph, parameters, layer.Bias, i, "bias", filters)];
        return graph.WindowNode(
            "Conv",
            inputs,
            ("kernel_shape", [layer.Kernel, layer.Kernel]),
            ("strides", [layer.Stride, layer.Stride]),
            ("pads", [layer.Padding, layer.Padding, layer.Padding, layer.Padding]));
    }

    /// <summary>A <c>BatchNormalization</c> in inference mode: the learned scale and shift with the running mean and variance.</summary>
    private static string BatchNormalization<T>(OnnxGraph<T> graph, INetwork<T> network, LayerInfo layer, int i, string x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (network is not IModelStatistics<T> model)
        {
            throw new ArgumentException($"Layer {i}: expected a network with running statistics (IModelStatistics) for its BatchNorm2D.", "network");
        }

        ReadOnlySpan<T> parameters = network.Parameters;
        ReadOnlySpan<T> statistics = model.Statistics;
        return graph.Node(
            "BatchNormalization",
            [
                x,
                Tensor(graph, parameters, layer.Weight, i, "scale", layer.Channels),
                Tensor(graph, parameters, layer.Bias, i, "shift", layer.Channels),
                Tensor(graph, statistics, Statistic(model, i, "running_mean"), i, "running mean", layer.Channels),
                Tensor(graph, statistics, Statistic(model, i, "running_var"), i, "running variance", layer.Channels),
            ],
            ("epsilon", (float)layer.Epsilon));
    }

    /// <summary>Layer <paramref name="i"/>'s statistic <c>layer{i}.{name}</c>, or null when the network keeps none.</summary>
    private static TensorInfo? Statistic<T>(IModelStatistics<T> model, int i, string name)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var fullName = "layer" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + name;
        foreach (var tensor in model.StatisticTensors)
        {
            if (tensor.Name == fullName)
            {
                return tensor;
            }
        }

        return null;
    }

    internal static string Activation<T>(OnnxGraph<T> graph, string x, Activation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Networks.Activation.None:
                return x;
            case Networks.Activation.Relu:
                return graph.Node("Relu", [x]);
            case Networks.Activation.LeakyRelu:
                return graph.Node("LeakyRelu", [x], ("alpha", 0.01f));
            case Networks.Activation.Sigmoid:
                return graph.Node("Sigmoid", [x]);
            case Networks.Activation.Tanh:
                return graph.Node("Tanh", [x]);
            case Networks.Activation.Silu:
                return graph.Node("Mul", [x, graph.Node("Sigmoid", [x])]);
            case Networks.Activation.Gelu:
                var squared = graph.Node("Mul", [x, x]);
                var factor = graph.Node("Add", [graph.Node("Mul", [squared, graph.Scalar("gelu.cubic", GeluCubic)]), graph.Scalar("gelu.linear", GeluLinear)]);
                return graph.Node("Mul", [x, graph.Node("Sigmoid", [graph.Node("Mul", [x, factor])])]);
            default:
                throw new ArgumentException($"ONNX export does not support the activation {activation}.", nameof(activation));
        }
    }

    /// <summary>Adds a layer's tensor as an initializer after checking it is there and has the layer's shape.</summary>
    private static string Tensor<T>(OnnxGraph<T> graph, ReadOnlySpan<T> parameters, TensorInfo? tensor, int layer, string role, params ReadOnlySpan<int> shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (tensor is null)
        {
            throw new ArgumentException($"Layer {layer}: expected a {role} tensor, the layer lists none.", "network");
        }

        if (!tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new ArgumentException($"Layer {layer}: expected {tensor.Name} of shape [{string.Join(", ", shape.ToArray())}], got [{string.Join(", ", tensor.Shape)}].", "network");
        }

        if (tensor.Offset < 0 || tensor.Offset > parameters.Length - tensor.Length)
        {
            throw new ArgumentException($"Layer {layer}: {tensor.Name} ({tensor.Length} elements at {tensor.Offset}) lies outside the {parameters.Length} parameters.", "network");
        }

        return graph.Initializer(tensor.Name, parameters.Slice(tensor.Offset, tensor.Length), shape);
    }
}
