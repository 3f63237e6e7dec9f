namespace SimdDescent.Training.Data;

/// <summary>
/// Augmentation of image rows for <see cref="TrainerOptions.Augmentation"/>: the image shape the rows hold
/// ([channels, height, width], channels·height·width = the network's input width) and the random transforms
/// (see <see cref="ImageAugmentation{T}"/>).
/// </summary>
/// <param name="Channels">Channels of an image.</param>
/// <param name="Height">Rows of an image.</param>
/// <param name="Width">Columns of an image.</param>
public sealed record ImageAugmentationOptions(int Channels, int Height, int Width)
{
    /// <summary>Whether images are mirrored left to right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>The largest shift along each axis, in pixels (0: none).</summary>
    public int MaxShift { get; init; }

    /// <summary>The augmentation these options describe, with its scratch.</summary>
    /// <exception cref="ArgumentException">The shape or the transforms are out of range (see <see cref="ImageAugmentation{T}"/>).</exception>
    public ImageAugmentation<T> Create<T>()
        where T : unmanaged => new(Channels, Height, Width, HorizontalFlip, MaxShift);
}
