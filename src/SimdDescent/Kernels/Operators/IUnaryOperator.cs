using System.Runtime.Intrinsics;

namespace SimdDescent.Kernels.Operators;

/// <summary>An element-wise function of one input, at every vector width.</summary>
/// <remarks>
/// Operators are small <see langword="readonly"/> structs, passed by value to a generic driver so the
/// JIT specializes and inlines them; fields carry parameters such as a slope or a bound.
/// </remarks>
public interface IUnaryOperator<T>
{
    /// <summary>Applies the function to one element.</summary>
    T Invoke(T x);

    /// <summary>Applies the function to each lane.</summary>
    Vector128<T> Invoke(Vector128<T> x);

    /// <summary>Applies the function to each lane.</summary>
    Vector256<T> Invoke(Vector256<T> x);

    /// <summary>Applies the function to each lane.</summary>
    Vector512<T> Invoke(Vector512<T> x);
}
