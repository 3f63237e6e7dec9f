namespace SimdDescent.IO.Idx;

/// <summary>Grey images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Columns"/> pixels.</summary>
public sealed class IdxImages
{
    internal IdxImages(int count, int rows, int columns, float[] pixels) =>
        (Count, Rows, Columns, Pixels) = (count, rows, columns, pixels);

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The height of each image in pixels.</summary>
    public int Rows { get; }

    /// <summary>The width of each image in pixels.</summary>
    public int Columns { get; }

    /// <summary><see cref="Rows"/> × <see cref="Columns"/>: the number of features per image.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>
    /// Every pixel as stored (0..255), image after image, each image row-major: <see cref="Count"/> ×
    /// <see cref="PixelsPerImage"/> values. Scale them with <see cref="Preprocessing.FeatureScaling"/>.
    /// </summary>
    public float[] Pixels { get; }
}
