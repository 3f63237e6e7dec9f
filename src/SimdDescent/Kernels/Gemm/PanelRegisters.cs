namespace SimdDescent.Kernels;

/// <summary>
/// How many registers wide a B panel (and so a tile of C) is, and how the tile sums over k: JIT-time
/// constants, so the kernel, packing and driver are written once and each instantiation carries no dead code.
/// </summary>
internal interface IPanelRegisters
{
    static abstract int Count { get; }

    /// <summary>Whether each element is the sum of its even-k and odd-k halves (else the sequential sum over k).</summary>
    static abstract bool SplitsK { get; }
}

/// <summary>
/// Tiles one register wide, for C no wider than one register (n = 10 fills 10 of 16 AVX-512 lanes
/// instead of 10 of 32). The kernel keeps 12 FMA chains busy by summing even and odd k steps in two
/// accumulator sets and adding them at the end, so these tiles round differently from two-register
/// ones; the choice is made once per product, so the thread count still never changes a result.
/// </summary>
internal readonly struct OneRegister : IPanelRegisters
{
    public static int Count => 1;

    public static bool SplitsK => true;
}

/// <summary>The default tile, two registers wide (6 × 16 floats on AVX2).</summary>
internal readonly struct TwoRegisters : IPanelRegisters
{
    public static int Count => 2;

    public static bool SplitsK => false;
}

/// <summary>
/// The last panel of a two-register product when its columns fit one register (n = 48 with 32-column
/// panels): one register wide but summed over k in sequence, exactly as the two-register tiles beside it,
/// so it computes half the columns of a padded two-register tile and rounds the same.
/// </summary>
internal readonly struct OneRegisterInSequence : IPanelRegisters
{
    public static int Count => 1;

    public static bool SplitsK => false;
}
