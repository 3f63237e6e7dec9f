namespace SimdDescent.IO.Onnx;

/// <summary>
/// Field numbers and enum values of the ONNX messages the exporter writes, from onnx/onnx.proto
/// (proto2 syntax; every message here is a plain field list, so the wire format needs nothing else).
/// </summary>
internal static class OnnxSchema
{
    /// <summary>IR version 8, the one that goes with opset 17.</summary>
    public const int IrVersion = 8;

    public static class Model
    {
        public const int IrVersion = 1;
        public const int ProducerName = 2;
        public const int ProducerVersion = 3;
        public const int Graph = 7;
        public const int OpsetImport = 8;
    }

    public static class OperatorSetId
    {
        public const int Domain = 1;
        public const int Version = 2;
    }

    public static class Graph
    {
        public const int Node = 1;
        public const int Name = 2;
        public const int Initializer = 5;
        public const int Input = 11;
        public const int Output = 12;
    }

    public static class Node
    {
        public const int Input = 1;
        public const int Output = 2;
        public const int Name = 3;
        public const int OpType = 4;
        public const int Attribute = 5;
    }

    public static class Attribute
    {
        public const int Name = 1;
        public const int Float = 2;
        public const int Ints = 8;
        public const int Type = 20;

        /// <summary>AttributeProto.AttributeType.FLOAT.</summary>
        public const int FloatType = 1;

        /// <summary>AttributeProto.AttributeType.INTS.</summary>
        public const int IntsType = 7;
    }

    public static class Tensor
    {
        public const int Dims = 1;
        public const int DataType = 2;
        public const int Name = 8;
        public const int RawData = 9;
    }

    public static class ValueInfo
    {
        public const int Name = 1;
        public const int Type = 2;
    }

    /// <summary>TypeProto (field 1: tensor_type) and TypeProto.Tensor (elem_type, shape).</summary>
    public static class Type
    {
        public const int TensorType = 1;
        public const int ElementType = 1;
        public const int Shape = 2;
    }

    /// <summary>TensorShapeProto (field 1: dim) and its Dimension (a value or a symbolic name).</summary>
    public static class Shape
    {
        public const int Dim = 1;
        public const int DimValue = 1;
        public const int DimParam = 2;
    }

    /// <summary>TensorProto.DataType values.</summary>
    public static class DataType
    {
        public const int Float = 1;
        public const int Int64 = 7;
        public const int Double = 11;
    }
}
