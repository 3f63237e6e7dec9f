using SimdDescent.IO.Idx;
using SimdDescent.Training.Data;

namespace SimdDescent.IO.Datasets;

/// <summary>
/// Loads Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; MIT licence): 60,000 training and 10,000 test grey
/// images of 28 × 28 pixels in ten clothing classes, from a directory of the four standard IDX files.
/// MNIST itself uses the same file names and format, so its directory loads the same way.
/// </summary>
/// <remarks>
/// On Debian, <c>apt-get install dataset-fashion-mnist</c> puts the files in <see cref="DefaultDirectory"/>.
/// The files may be gzip-compressed (<c>train-images-idx3-ubyte.gz</c>) or not (<c>train-images-idx3-ubyte</c>).
/// </remarks>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Pixels per image (28 × 28).</summary>
    public const int FeatureCount = 784;

    /// <summary>The largest raw pixel value; pixels are divided by it.</summary>
    public const float MaximumPixelValue = 255;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Whether all four files are present in <paramref name="directory"/>.</summary>
    public static bool IsAvailable(string directory = DefaultDirectory) =>
        FindFile(directory, "train", "images-idx3") is not null && FindFile(directory, "train", "labels-idx1") is not null
        && FindFile(directory, "t10k", "images-idx3") is not null && FindFile(directory, "t10k", "labels-idx1") is not null;

    /// <summary>Loads the 60,000 training images, pixels scaled to [0, 1] (divided by 255).</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static DataSet<float> LoadTrain(string directory = DefaultDirectory) => Load(directory, "train");

    /// <summary>Loads the 10,000 test images, pixels scaled to [0, 1] (divided by 255).</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static DataSet<float> LoadTest(string directory = DefaultDirectory) => Load(directory, "t10k");

    private static DataSet<float> Load(string directory, string split)
    {
        var images = RequireFile(directory, split, "images-idx3");
        var labels = RequireFile(directory, split, "labels-idx1");
        return IdxReader.ReadLabeledImages(images, labels, MaximumPixelValue);
    }

    private static string RequireFile(string directory, string split, string kind) =>
        FindFile(directory, split, kind)
        ?? throw new FileNotFoundException(
            $"Expected {split}-{kind}-ubyte.gz or {split}-{kind}-ubyte in '{directory}' (on Debian: apt-get install dataset-fashion-mnist).",
            Path.Combine(directory, $"{split}-{kind}-ubyte.gz"));

    private static string? FindFile(string directory, string split, string kind)
    {
        var raw = Path.Combine(directory, $"{split}-{kind}-ubyte");
        return File.Exists(raw + ".gz") ? raw + ".gz" : File.Exists(raw) ? raw : null;
    }
}
