namespace SimdDescent.Kernels;

/// <summary>
/// How many registers wide a B panel (and so a tile of C) is: a JIT-time constant, so the kernel,
/// packing and driver are written once and the one-register instantiation carries no dead code.
/// </summary>
internal interface IPanelRegisters
{
    static abstract int Count { get; }
}

/// <summary>
/// Tiles one register wide, for C no wider than one register: 6 accumulators instead of 12, so FMA
/// latency is not fully hidden, but every lane does useful work (n = 10 fills 10 of 16 AVX-512 lanes
/// instead of 10 of 32, or 10 of 16 at half the width).
/// </summary>
internal readonly struct OneRegister : IPanelRegisters
{
    public static int Count => 1;
}

/// <summary>The default tile, two registers wide (6 × 16 floats on AVX2).</summary>
internal readonly struct TwoRegisters : IPanelRegisters
{
    public static int Count => 2;
}
