namespace SimdDescent.Kernels;

/// <summary>Whether a GEMM operand is used as stored or transposed.</summary>
public enum Transpose
{
    /// <summary>op(X) = X.</summary>
    No = 0,

    /// <summary>op(X) = Xᵀ.</summary>
    Yes = 1,
}
