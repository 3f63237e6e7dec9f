namespace SimdDescent.Kernels;

/// <summary>Where the six rows of a tile start in A, relative to the current k.</summary>
internal readonly struct RowOffsets(nint r0, nint r1, nint r2, nint r3, nint r4, nint r5)
{
    public nint R0 { get; } = r0;

    public nint R1 { get; } = r1;

    public nint R2 { get; } = r2;

    public nint R3 { get; } = r3;

    public nint R4 { get; } = r4;

    public nint R5 { get; } = r5;

    /// <summary>Rows r·rowStride; rows at or past <paramref name="rows"/> repeat the last valid row so nothing out of bounds is read.</summary>
    public static RowOffsets Strided(nint rowStride, int rows)
    {
        var last = rows - 1;
        return new(0, Math.Min(1, last) * rowStride, Math.Min(2, last) * rowStride, Math.Min(3, last) * rowStride,
            Math.Min(4, last) * rowStride, Math.Min(5, last) * rowStride);
    }
}
