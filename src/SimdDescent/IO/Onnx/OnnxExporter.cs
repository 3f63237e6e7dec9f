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
                default:
                    throw new ArgumentException($"Layer {i}: ONNX export does not support {layer.Kind} layers.", nameof(network));
            }
        }

        graph.Node("Identity", [x], output: OutputName);
        return graph.ToModel("SimdDescent", InputName, network.InputWidth, OutputName, network.OutputWidth, Opset);
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
