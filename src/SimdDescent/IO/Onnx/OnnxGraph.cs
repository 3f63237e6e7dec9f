using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.InteropServices;

namespace SimdDescent.IO.Onnx;

/// <summary>
/// Builds one ONNX graph in <typeparamref name="T"/> (float or double): nodes in the order they are added
/// (which is topological, since every node reads values added before it) and initializers holding weights.
/// </summary>
internal sealed class OnnxGraph<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly int ElementType = typeof(T) == typeof(float) ? OnnxSchema.DataType.Float
        : typeof(T) == typeof(double) ? OnnxSchema.DataType.Double
        : throw new NotSupportedException($"ONNX export supports float and double networks, not {typeof(T).Name}.");

    private readonly ProtobufWriter graph = new();
    private readonly HashSet<string> initializers = new(StringComparer.Ordinal);
    private int nodeCount;

    /// <summary>Adds a constant tensor (row-major <paramref name="values"/>) once under <paramref name="name"/> and returns the name.</summary>
    public string Initializer(string name, ReadOnlySpan<T> values, ReadOnlySpan<int> shape)
    {
        if (!initializers.Add(name))
        {
            return name;
        }

        var tensor = new ProtobufWriter();
        foreach (var dimension in shape)
        {
            tensor.WriteVarint(OnnxSchema.Tensor.Dims, dimension);
        }

        tensor.WriteVarint(OnnxSchema.Tensor.DataType, ElementType);
        tensor.WriteString(OnnxSchema.Tensor.Name, name);
        // raw_data is little-endian IEEE 754, the in-memory layout on every platform .NET runs SIMD code on.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export writes little-endian weights and needs a little-endian machine.");
        }

        tensor.WriteBytes(OnnxSchema.Tensor.RawData, MemoryMarshal.AsBytes(values));
        graph.WriteMessage(OnnxSchema.Graph.Initializer, tensor);
        return name;
    }

    /// <summary>A scalar constant (shape []), added once per name.</summary>
    public string Scalar(string name, double value) => Initializer(name, [T.CreateTruncating(value)], []);

    /// <summary>Adds a node of the default ONNX domain and returns the name of its single output.</summary>
    public string Node(string opType, ReadOnlySpan<string> inputs, (string Name, float Value)? attribute = null, string? output = null)
    {
        var node = StartNode(opType, inputs, ref output);
        if (attribute is var (attributeName, value))
        {
            var proto = new ProtobufWriter();
            proto.WriteString(OnnxSchema.Attribute.Name, attributeName);
            proto.WriteFloat(OnnxSchema.Attribute.Float, value);
            proto.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.FloatType);
            node.WriteMessage(OnnxSchema.Node.Attribute, proto);
        }

        graph.WriteMessage(OnnxSchema.Graph.Node, node);
        return output;
    }

    /// <summary>Adds a node whose attributes are integer lists (kernel_shape, strides, pads) and returns its output.</summary>
    public string WindowNode(string opType, ReadOnlySpan<string> inputs, params ReadOnlySpan<(string Name, int[] Values)> attributes)
    {
        string? output = null;
        var node = StartNode(opType, inputs, ref output);
        foreach (var (attributeName, values) in attributes)
        {
            var proto = new ProtobufWriter();
            proto.WriteString(OnnxSchema.Attribute.Name, attributeName);
            foreach (var value in values)
            {
                proto.WriteVarint(OnnxSchema.Attribute.Ints, value);
            }

            proto.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.IntsType);
            node.WriteMessage(OnnxSchema.Node.Attribute, proto);
        }

        graph.WriteMessage(OnnxSchema.Graph.Node, node);
        return output;
    }

    /// <summary>A NodeProto with its inputs, output (named after the node unless given), name and operator; attributes follow.</summary>
    private ProtobufWriter StartNode(string opType, ReadOnlySpan<string> inputs, [NotNull] ref string? output)
    {
        var name = opType + "_" + nodeCount++.ToString(System.Globalization.CultureInfo.InvariantCulture);
        output ??= name;
        var node = new ProtobufWriter();
        foreach (var input in inputs)
        {
            node.WriteString(OnnxSchema.Node.Input, input);
        }

        node.WriteString(OnnxSchema.Node.Output, output);
        node.WriteString(OnnxSchema.Node.Name, name);
        node.WriteString(OnnxSchema.Node.OpType, opType);
        return node;
    }

    /// <summary>
    /// The ModelProto: this graph with a [batch, ..<paramref name="inputShape"/>] input and a [batch, width] output,
    /// importing ONNX opset <paramref name="opset"/>.
    /// </summary>
    public byte[] ToModel(string name, string input, ReadOnlySpan<int> inputShape, string output, int outputWidth, int opset)
    {
        graph.WriteString(OnnxSchema.Graph.Name, name);
        graph.WriteMessage(OnnxSchema.Graph.Input, Value(input, inputShape));
        graph.WriteMessage(OnnxSchema.Graph.Output, Value(output, [outputWidth]));

        var operatorSet = new ProtobufWriter();
        operatorSet.WriteString(OnnxSchema.OperatorSetId.Domain, "");
        operatorSet.WriteVarint(OnnxSchema.OperatorSetId.Version, opset);

        var model = new ProtobufWriter();
        model.WriteVarint(OnnxSchema.Model.IrVersion, OnnxSchema.IrVersion);
        model.WriteString(OnnxSchema.Model.ProducerName, "SimdDescent");
        model.WriteMessage(OnnxSchema.Model.OpsetImport, operatorSet);
        model.WriteMessage(OnnxSchema.Model.Graph, graph);
        return model.Written.ToArray();
    }

    /// <summary>A ValueInfoProto for a [batch, ..<paramref name="dimensions"/>] tensor, the batch left symbolic.</summary>
    private static ProtobufWriter Value(string name, ReadOnlySpan<int> dimensions)
    {
        var batch = new ProtobufWriter();
        batch.WriteString(OnnxSchema.Shape.DimParam, "batch");
        var shape = new ProtobufWriter();
        shape.WriteMessage(OnnxSchema.Shape.Dim, batch);
        foreach (var dimension in dimensions)
        {
            var fixedDimension = new ProtobufWriter();
            fixedDimension.WriteVarint(OnnxSchema.Shape.DimValue, dimension);
            shape.WriteMessage(OnnxSchema.Shape.Dim, fixedDimension);
        }

        var tensorType = new ProtobufWriter();
        tensorType.WriteVarint(OnnxSchema.Type.ElementType, ElementType);
        tensorType.WriteMessage(OnnxSchema.Type.Shape, shape);
        var type = new ProtobufWriter();
        type.WriteMessage(OnnxSchema.Type.TensorType, tensorType);

        var value = new ProtobufWriter();
        value.WriteString(OnnxSchema.ValueInfo.Name, name);
        value.WriteMessage(OnnxSchema.ValueInfo.Type, type);
        return value;
    }
}
