namespace SimdDescent.IO.Safetensors;

/// <summary>A tensor a caller expects to find in a safetensors file: its name, element type and shape.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">The expected element type.</param>
/// <param name="Shape">The expected shape, outermost dimension first.</param>
public sealed record SafetensorsTensorSpec(string Name, SafetensorsDType DType, int[] Shape);
