namespace SimdDescent.Kernels;

/// <summary>How many rows a register tile computes: a JIT-time constant of <see cref="MicroKernel"/>.</summary>
internal interface ITileRows
{
    static abstract int Count { get; }
}

/// <summary>The full tile, <see cref="MicroKernel.Rows"/> rows.</summary>
internal readonly struct SixRows : ITileRows
{
    public static int Count => MicroKernel.Rows;
}

/// <summary>A last tile of three or four rows.</summary>
internal readonly struct FourRows : ITileRows
{
    public static int Count => 4;
}

/// <summary>A last tile of one or two rows.</summary>
internal readonly struct TwoRows : ITileRows
{
    public static int Count => 2;
}
