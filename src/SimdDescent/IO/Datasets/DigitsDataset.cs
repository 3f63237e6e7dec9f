using System.IO.Compression;
using SimdDescent.IO.Csv;
using SimdDescent.IO.Preprocessing;
using SimdDescent.Training.Data;

namespace SimdDescent.IO.Datasets;

/// <summary>
/// The handwritten-digits data set embedded in this library: 1797 images of 8 × 8 pixels, each pixel a
/// count 0..16 of set bits in a 4 × 4 block of the original 32 × 32 bitmap, labelled with the digit 0..9.
/// </summary>
/// <remarks>
/// Source: the test set of the UCI "Optical Recognition of Handwritten Digits" data set by E. Alpaydin and
/// C. Kaynak (1998), https://archive.ics.uci.edu/ml/datasets/optical+recognition+of+handwritten+digits, licensed under CC BY 4.0, in the form scikit-learn
/// ships as load_digits (file digits.csv.gz, unmodified). See NOTICE.md next to this file.
/// </remarks>
public static class DigitsDataset
{
    /// <summary>The number of samples.</summary>
    public const int SampleCount = 1797;

    /// <summary>Pixels per image (8 × 8).</summary>
    public const int FeatureCount = 64;

    /// <summary>The number of classes (digits 0..9).</summary>
    public const int ClassCount = 10;

    /// <summary>The largest raw pixel value; pixels are divided by it.</summary>
    public const float MaximumPixelValue = 16;

    /// <summary>The share of samples <see cref="LoadSplit"/> holds out for testing by default.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>The seed <see cref="LoadSplit"/> shuffles with by default, so every run sees the same split.</summary>
    public const ulong DefaultSeed = 20260;

    internal const string ResourceName = "SimdDescent.IO.Datasets.digits.csv.gz";

    /// <summary>Loads all samples in file order, pixels scaled to [0, 1] (divided by 16), labels the digits.</summary>
    public static DataSet<float> Load()
    {
        using var compressed = typeof(DigitsDataset).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from {typeof(DigitsDataset).Assembly.GetName().Name}.");
        using var reader = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress));
        var (pixels, digits, pixelCount) = CsvReader.Read<float, int>(reader, ResourceName, targetColumn: -1, CsvOptions.Comma);
        FeatureScaling.ToUnitInterval(pixels.AsSpan(), MaximumPixelValue);
        return DataSet<float>.WithLabels(pixels, digits, pixelCount);
    }

    /// <summary>
    /// Loads the samples and splits them reproducibly into training and test sets
    /// (see <see cref="DataSet{T}.TrainTestSplit"/>).
    /// </summary>
    /// <param name="testFraction">The share held out for testing.</param>
    /// <param name="seed">The shuffle seed; the default gives the project's standard split.</param>
    public static (DataSet<float> Train, DataSet<float> Test) LoadSplit(double testFraction = DefaultTestFraction, ulong seed = DefaultSeed) =>
        Load().TrainTestSplit(testFraction, seed);
}
