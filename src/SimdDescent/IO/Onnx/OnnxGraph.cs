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
    /// <summary>The TensorProto data type of <typeparamref name="T"/>.</summary>
    public static readonly int ElementType = typeof(T) == typeof(float) ? OnnxSchema.DataType.Float
        : typeof(T) == typeof(double) ? OnnxSchema.DataType.Double
        : throw new NotSupportedException($"ONNX export supports float and double networks, not {typeof(T).Name}.");

    private readonly ProtobufWriter graph = new();
    private readonly HashSet<string> initializers = new(StringComparer.Ordinal);
    private int nodeCount;

    /// <summary>Adds a constant tensor (row-major <paramref name="values"/>) once under <paramref name="name"/> and returns the name.</summary>
    public string Initializer(string name, ReadOnlySpan<T> values, ReadOnlySpan<int> shape) =>
        Initializer(name, values, shape, ElementType);

    /// <summary>A constant one-dimensional int64 tensor (shapes, axes, slice bounds), added once per name.</summary>
    public string Int64s(string name, params ReadOnlySpan<long> values) =>
        Initializer(name, values, [values.Length], OnnxSchema.DataType.Int64);

    private string Initializer<TValue>(string name, ReadOnlySpan<TValue> values, ReadOnlySpan<int> shape, int elementType)
        where TValue : unmanaged
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

        tensor.WriteVarint(OnnxSchema.Tensor.DataType, elementType);
        tensor.WriteString(OnnxSchema.Tensor.Name, name);
        // raw_data is little-endian, the in-memory layout on every platform .NET runs SIMD code on.
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
        ProtobufWriter? proto = null;
        if (attribute is var (attributeName, value))
        {
            proto = new ProtobufWriter();
            proto.WriteString(OnnxSchema.Attribute.Name, attributeName);
            proto.WriteFloat(OnnxSchema.Attribute.Float, value);
            proto.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.FloatType);
        }

        return proto is null ? Node(opType, inputs, [], output) : Node(opType, inputs, [proto], output);
    }

    /// <summary>A <c>Transpose</c> of <paramref name="x"/> whose output axis i is input axis <paramref name="permutation"/>[i].</summary>
    public string Transpose(string x, params ReadOnlySpan<long> permutation) =>
        Node("Transpose", [x], [Ints("perm", permutation)], output: null);

    /// <summary>Adds a node whose attributes are integer lists (kernel_shape, strides, pads) and returns its output.</summary>
    public string WindowNode(string opType, ReadOnlySpan<string> inputs, params ReadOnlySpan<(string Name, int[] Values)> attributes)
    {
        var protos = new ProtobufWriter[attributes.Length];
        for (var i = 0; i < attributes.Length; i++)
        {
            var values = Array.ConvertAll(attributes[i].Values, v => (long)v);
            protos[i] = Ints(attributes[i].Name, values);
        }

        return Node(opType, inputs, protos, output: null);
    }

    /// <summary>An AttributeProto holding the integer list <paramref name="values"/>.</summary>
    private static ProtobufWriter Ints(string name, ReadOnlySpan<long> values)
    {
        var proto = new ProtobufWriter();
        proto.WriteString(OnnxSchema.Attribute.Name, name);
        foreach (var value in values)
        {
            proto.WriteVarint(OnnxSchema.Attribute.Ints, value);
        }

        proto.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.IntsType);
        return proto;
    }

    private string Node(string opType, ReadOnlySpan<string> inputs, ReadOnlySpan<ProtobufWriter> attributes, string? output)
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
        foreach (var attribute in attributes)
        {
            node.WriteMessage(OnnxSchema.Node.Attribute, attribute);
        }

        graph.WriteMessage(OnnxSchema.Graph.Node, node);
        return output;
    }

    /// <summary>
    /// The ModelProto: this graph with a [batch, ..<paramref name="inputShape"/>] input and a [batch, width] output,
    /// importing ONNX opset <paramref name="opset"/>.
    /// </summary>
    public byte[] ToModel(string name, string input, ReadOnlySpan<int> inputShape, string output, int outputWidth, int opset) =>
        ToModel(name, Value(input, ElementType, ["batch"], inputShape), Value(output, ElementType, ["batch"], [outputWidth]), opset);

    /// <summary>The ModelProto: this graph with the given input and output (see <see cref="Value"/>), importing ONNX opset <paramref name="opset"/>.</summary>
    public byte[] ToModel(string name, ProtobufWriter input, ProtobufWriter output, int opset)
    {
        graph.WriteString(OnnxSchema.Graph.Name, name);
        graph.WriteMessage(OnnxSchema.Graph.Input, input);
        graph.WriteMessage(OnnxSchema.Graph.Output, output);

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

    /// <summary>
    /// A ValueInfoProto for a tensor of <paramref name="elementType"/> (<see cref="ElementType"/> for <typeparamref name="T"/>)
    /// whose leading dimensions are the symbolic <paramref name="symbolic"/> and the rest the fixed <paramref name="sizes"/>.
    /// </summary>
    public static ProtobufWriter Value(string name, int elementType, ReadOnlySpan<string> symbolic, ReadOnlySpan<int> sizes)
    {
        var shape = new ProtobufWriter();
        foreach (var parameter in symbolic)
        {
            var dimension = new ProtobufWriter();
            dimension.WriteString(OnnxSchema.Shape.DimParam, parameter);
            shape.WriteMessage(OnnxSchema.Shape.Dim, dimension);
        }

        foreach (var size in sizes)
        {
            var dimension = new ProtobufWriter();
            dimension.WriteVarint(OnnxSchema.Shape.DimValue, size);
            shape.WriteMessage(OnnxSchema.Shape.Dim, dimension);
        }

        var tensorType = new ProtobufWriter();
        tensorType.WriteVarint(OnnxSchema.Type.ElementType, elementType);
        tensorType.WriteMessage(OnnxSchema.Type.Shape, shape);
        var type = new ProtobufWriter();
        type.WriteMessage(OnnxSchema.Type.TensorType, tensorType);

        var value = new ProtobufWriter();
        value.WriteString(OnnxSchema.ValueInfo.Name, name);
        value.WriteMessage(OnnxSchema.ValueInfo.Type, type);
        return value;
    }
}
