using SimdDescent.IO.Preprocessing;
using SimdDescent.Training.Data;

namespace SimdDescent.IO.Idx;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: images (magic 0x00000803: unsigned bytes, three
/// dimensions count × rows × columns) and labels (magic 0x00000801: unsigned bytes, one dimension).
/// Files may be stored raw or gzip-compressed; compression is recognized by its magic bytes, not the name.
/// </summary>
/// <remarks>
/// Data is read straight from the (decompressing) file stream into the result arrays through a small
/// buffer, without an intermediate copy of the file. Malformed files (wrong magic number, impossible or
/// overflowing sizes, a length that disagrees with the header, truncation) raise
/// <see cref="InvalidDataException"/> naming the file and what was expected. A header alone never sizes an
/// allocation: a raw file's length is checked against it first; a compressed file is rejected at once when
/// the header declares more than its stored size can expand to, and otherwise its result starts at most at
/// eight times the stored size (at least 64 Ki elements) and grows only as data arrives.
/// </remarks>
public static class IdxReader
{
    private static readonly string[] s_imageDimensions = ["images", "rows", "columns"];
    private static readonly string[] s_labelDimensions = ["labels"];

    /// <summary>Reads an IDX images file; pixels keep their stored values 0..255.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX images file.</exception>
    public static IdxImages ReadImages(string path)
    {
        using var file = DataFile.Open(path);
        var (dimensions, pixelCount) = IdxHeader.Read(file, s_imageDimensions);
        var pixels = file.ReadToEnd<float>(pixelCount, "pixels");
        return new IdxImages(dimensions[0], dimensions[1], dimensions[2], pixels);
    }

    /// <summary>Reads an IDX labels file.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX labels file.</exception>
    public static int[] ReadLabels(string path)
    {
        using var file = DataFile.Open(path);
        var (_, count) = IdxHeader.Read(file, s_labelDimensions);
        return file.ReadToEnd<int>(count, "labels");
    }

    /// <summary>
    /// Reads an images file and its labels file as one data set: inputs are the pixels divided by
    /// <paramref name="maximumPixelValue"/>, one row per image; labels the labels. Both headers are read and
    /// compared before any data, so files of different lengths are rejected without reading either.
    /// </summary>
    /// <param name="imagesPath">The images file, raw or gzip-compressed.</param>
    /// <param name="labelsPath">The labels file, raw or gzip-compressed.</param>
    /// <param name="maximumPixelValue">The divisor of every pixel: 255 scales them to [0, 1]; the default 1 keeps the stored 0..255.</param>
    /// <exception cref="InvalidDataException">A file is malformed, the files hold different numbers of samples, or none.</exception>
    public static DataSet<float> ReadLabeledImages(string imagesPath, string labelsPath, float maximumPixelValue = 1)
    {
        using var images = DataFile.Open(imagesPath);
        var (dimensions, pixelCount) = IdxHeader.Read(images, s_imageDimensions);
        using var labels = DataFile.Open(labelsPath);
        var (_, labelCount) = IdxHeader.Read(labels, s_labelDimensions);
        if (labelCount != dimensions[0])
        {
            throw new InvalidDataException($"'{labelsPath}' declares {labelCount} labels but '{imagesPath}' declares {dimensions[0]} images; expected one label per image.");
        }

        if (labelCount == 0)
        {
            throw new InvalidDataException($"'{imagesPath}' and '{labelsPath}' hold no images; expected at least one.");
        }

        var pixels = images.ReadToEnd<float>(pixelCount, "pixels");
        FeatureScaling.ToUnitInterval(pixels, maximumPixelValue);
        return DataSet<float>.WithLabels(pixels, labels.ReadToEnd<int>(labelCount, "labels"), dimensions[1] * dimensions[2]);
    }
}
