using System.Runtime.Intrinsics;

namespace SimdDescent.Kernels.Operators;

/// <summary>An element-wise function of two inputs, at every vector width.</summary>
public interface IBinaryOperator<T>
{
    /// <summary>Applies the function to one pair of elements.</summary>
    T Invoke(T x, T y);

    /// <summary>Applies the function lane by lane.</summary>
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    /// <summary>Applies the function lane by lane.</summary>
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    /// <summary>Applies the function lane by lane.</summary>
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}
