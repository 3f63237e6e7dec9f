using SimdDescent.Randomness;

namespace SimdDescent.Training.Data;

/// <summary>
/// Random horizontal flips and small shifts of images stored as rows of [channels, height, width], applied in
/// place to a batch before a training step. Each image draws whether it is mirrored (probability ½) and a shift
/// of −<see cref="MaxShift"/>…<see cref="MaxShift"/> pixels along each axis from the caller's
/// <see cref="SplitMix64"/>, so a seeded run sees the same images every time; pixels shifted in from outside the
/// image are zero, as with zero padding. One image of scratch is allocated up front and nothing afterwards.
/// </summary>
/// <remarks>
/// An image is mirrored first and then shifted: output[c, y, x] = mirrored[c, y − dy, x − dx], where mirrored is
/// the image itself or its columns in reverse order.
/// </remarks>
/// <typeparam name="T">The element type of the images.</typeparam>
public sealed class ImageAugmentation<T>
    where T : unmanaged
{
    private readonly T[] _scratch;

    /// <summary>An augmentation for images of the given shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, or <paramref name="maxShift"/> is negative or not below both image sides.</exception>
    /// <exception cref="ArgumentException">Neither flips nor shifts are asked for.</exception>
    public ImageAugmentation(int channels, int height, int width, bool horizontalFlip, int maxShift)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        if (maxShift >= Math.Min(height, width))
        {
            throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, $"Expected a shift below both sides of the {height}×{width} image.");
        }

        if (!horizontalFlip && maxShift == 0)
        {
            throw new ArgumentException("Expected horizontal flips, a positive shift or both.", nameof(horizontalFlip));
        }

        (Channels, Height, Width, HorizontalFlip, MaxShift) = (channels, height, width, horizontalFlip, maxShift);
        ImageLength = channels * height * width;
        _scratch = new T[ImageLength];
    }

    /// <summary>Channels of an image.</summary>
    public int Channels { get; }

    /// <summary>Rows of an image.</summary>
    public int Height { get; }

    /// <summary>Columns of an image.</summary>
    public int Width { get; }

    /// <summary>Values of one image: channels·height·width.</summary>
    public int ImageLength { get; }

    /// <summary>Whether images are mirrored left to right with probability ½.</summary>
    public bool HorizontalFlip { get; }

    /// <summary>The largest shift along each axis, in pixels.</summary>
    public int MaxShift { get; }

    /// <summary>Augments every image of <paramref name="images"/> (a whole number of images) in place.</summary>
    /// <exception cref="ArgumentException"><paramref name="images"/> is not a whole number of images.</exception>
    public void Apply(Span<T> images, ref SplitMix64 random)
    {
        if (images.Length % ImageLength != 0)
        {
            throw new ArgumentException($"Expected whole images of {ImageLength} values ({Channels}×{Height}×{Width}); got {images.Length} values.", nameof(images));
        }

        for (var start = 0; start < images.Length; start += ImageLength)
        {
            var mirror = HorizontalFlip && (random.NextUInt64() & 1) == 1;
            var dy = MaxShift == 0 ? 0 : random.NextInt32((2 * MaxShift) + 1) - MaxShift;
            var dx = MaxShift == 0 ? 0 : random.NextInt32((2 * MaxShift) + 1) - MaxShift;
            if (mirror || dx != 0 || dy != 0)
            {
                var image = images.Slice(start, ImageLength);
                image.CopyTo(_scratch);
                Transform(_scratch, image, mirror, dy, dx);
            }
        }
    }

    private void Transform(ReadOnlySpan<T> source, Span<T> destination, bool mirror, int dy, int dx)
    {
        // Columns x − dx of the mirrored source row land in columns x = [max(0, dx), min(width, width + dx)).
        int first = Math.Max(0, dx), last = Math.Min(Width, Width + dx);
        for (var c = 0; c < Channels; c++)
        {
            for (var y = 0; y < Height; y++)
            {
                var row = destination.Slice(((c * Height) + y) * Width, Width);
                var sourceY = y - dy;
                if ((uint)sourceY >= (uint)Height)
                {
                    row.Clear();
                    continue;
                }

                var sourceRow = source.Slice(((c * Height) + sourceY) * Width, Width);
                row[..first].Clear();
                row[last..].Clear();
                var kept = row[first..last];
                if (mirror)
                {
                    // mirrored[i] = source[width − 1 − i] for i = first − dx … last − dx − 1.
                    sourceRow.Slice(Width - (last - dx), kept.Length).CopyTo(kept);
                    kept.Reverse();
                }
                else
                {
                    sourceRow.Slice(first - dx, kept.Length).CopyTo(kept);
                }
            }
        }
    }
}
