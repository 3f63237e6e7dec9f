using System.Globalization;
using System.Numerics;
using SimdDescent.IO.Safetensors;

namespace SimdDescent.IO.Checkpoints;

/// <summary>
/// Rejects a tensor read from a checkpoint that holds a NaN or an infinity: weights saved from a diverged run
/// would load without complaint and then compute nothing but NaN.
/// </summary>
internal static class FiniteTensor
{
    /// <summary>Throws, naming the file, the tensor and the first non-finite element, unless every value is finite.</summary>
    /// <param name="file">The file the values come from, for the message.</param>
    /// <param name="name">The tensor's name in the file.</param>
    /// <param name="shape">The tensor's shape in the file, to locate the element.</param>
    /// <param name="values">The tensor as stored, row-major.</param>
    /// <exception cref="InvalidDataException">A value is NaN or infinite.</exception>
    public static void Require<T>(SafetensorsFile file, string name, ReadOnlySpan<int> shape, ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"'{file.Source}': tensor '{name}' holds {values[i]} at index {i} (element {Coordinates(i, shape)} of shape {SafetensorsTensorInfo.FormatShape(shape)}); expected finite values, so the run that saved it may have diverged."));
            }
        }
    }

    private static string Coordinates(int index, ReadOnlySpan<int> shape)
    {
        var coordinates = new int[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            coordinates[d] = index % shape[d];
            index /= shape[d];
        }

        return SafetensorsTensorInfo.FormatShape(coordinates);
    }
}
