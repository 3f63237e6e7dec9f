namespace SimdDescent.Kernels.Operators;

/// <summary>An element-wise function of one input, written once for every width.</summary>
/// <remarks>
/// Operators are small <see langword="readonly"/> structs, passed by value to a generic driver so the
/// JIT specializes and inlines them; fields carry parameters such as a slope or a bound. The one body
/// is generic over the width: the driver calls it with the scalar width on single elements and with a
/// vector width on whole registers, e.g. <c>TWidth.Multiply(x, TWidth.Broadcast(scale))</c>.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public interface IUnaryOperator<T>
    where T : unmanaged
{
    /// <summary>Applies the function to each lane of <paramref name="x"/>.</summary>
    /// <typeparam name="TWidth">The width, supplied by the driver.</typeparam>
    /// <typeparam name="TVector">The register type of <typeparamref name="TWidth"/>.</typeparam>
    TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct;
}
