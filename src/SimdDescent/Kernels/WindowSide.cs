namespace SimdDescent.Kernels;

/// <summary>
/// A pooling window's side as the JIT sees it: <see cref="SideTwo"/> makes the usual 2 × 2 a constant, so the
/// loops over a window unroll; <see cref="AnySide"/> passes the shape's through.
/// </summary>
internal interface IWindowSide
{
    static abstract int Of(int kernel);
}

/// <summary>The 2 × 2 window.</summary>
internal readonly struct SideTwo : IWindowSide
{
    public static int Of(int kernel) => 2;
}

/// <summary>Any window side, read from the shape.</summary>
internal readonly struct AnySide : IWindowSide
{
    public static int Of(int kernel) => kernel;
}
