namespace SimdDescent.Kernels.Operators;

/// <summary>An element-wise function of three inputs, written once for every width (see <see cref="IUnaryOperator{T}"/>).</summary>
/// <typeparam name="T">The element type.</typeparam>
public interface ITernaryOperator<T>
    where T : unmanaged
{
    /// <summary>Applies the function lane by lane.</summary>
    /// <typeparam name="TWidth">The width, supplied by the driver.</typeparam>
    /// <typeparam name="TVector">The register type of <typeparamref name="TWidth"/>.</typeparam>
    TVector Invoke<TWidth, TVector>(TVector x, TVector y, TVector z)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct;
}
