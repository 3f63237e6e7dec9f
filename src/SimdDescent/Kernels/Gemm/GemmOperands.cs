namespace SimdDescent.Kernels;

/// <summary>
/// The validated operands of one GEMM call as references and strides; built only after the public
/// entry points have checked every span against its shape.
/// </summary>
internal ref struct GemmOperands<T>
    where T : unmanaged
{
    public ref T A;
    public ref T B;
    public ref T C;

    /// <summary>Bias row of length N, or a null reference when there is none.</summary>
    public ref T Bias;

    public nint Lda;
    public nint Ldb;
    public nint Ldc;
    public int M;
    public int N;
    public int K;
    public bool TransposeA;
    public bool TransposeB;
    public bool HasBias;
}
