using System.Runtime.CompilerServices;

namespace SimdDescent.Layers;

/// <summary>The argument checks the convolution and pooling shapes share; each message says what was expected.</summary>
internal static class SpatialChecks
{
    public static void Positive(int batch, int channels, int height, int width)
    {
        Positive(batch, nameof(batch));
        Positive(channels, nameof(channels));
        Positive(height, nameof(height));
        Positive(width, nameof(width));
    }

    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"Expected {name} > 0, but it is {value}.", name);
        }
    }

    /// <summary>A kernelHeight × kernelWidth window, stride apart, that fits the input once padded.</summary>
    public static void Window(int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        Positive(kernelHeight, nameof(kernelHeight));
        Positive(kernelWidth, nameof(kernelWidth));
        Positive(stride, nameof(stride));
        if (padding < 0)
        {
            throw new ArgumentException($"Expected padding ≥ 0, but it is {padding}.", nameof(padding));
        }

        if (kernelHeight > height + (2 * padding) || kernelWidth > width + (2 * padding))
        {
            throw new ArgumentException(
                $"Expected a {kernelHeight}×{kernelWidth} window to fit the {height}×{width} input padded by {padding} on each side.", nameof(kernelHeight));
        }
    }
}
