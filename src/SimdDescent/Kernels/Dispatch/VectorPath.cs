namespace SimdDescent.Kernels;

/// <summary>The vector width a kernel runs at.</summary>
public enum VectorPath
{
    /// <summary>One element at a time, no intrinsics.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE, NEON).</summary>
    Vector128 = 128,

    /// <summary>256-bit vectors (AVX2 + FMA).</summary>
    Vector256 = 256,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512 = 512,
}
