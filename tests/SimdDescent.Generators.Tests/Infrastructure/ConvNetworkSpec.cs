using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>A random small convolutional declaration (double): image layers, then rows, then a dense output.</summary>
internal sealed record ConvNetworkSpec(int Channels, int Height, int Width, int Batch, IReadOnlyList<string> Layers, int Seed)
{
    public string Render(string className)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[Network(Channels = {Channels}, Height = {Height}, Width = {Width}, MaxBatch = {Batch + 1}, ElementType = typeof(double), Seed = {Seed})]\n");
        foreach (var layer in Layers)
        {
            text.Append('[').Append(layer).Append("]\n");
        }

        text.Append("[SoftmaxCrossEntropy]\npublic partial class ").Append(className).Append(";\n");
        return text.ToString();
    }

    public override string ToString() => Render("Net").Replace('\n', ' ') + " batch " + Batch;

    /// <summary>
    /// Images of 1–3 channels and 3–9 pixels a side, 1–4 image layers drawn from convolutions (any kernel,
    /// stride, padding, activation, with or without bias), max and average pooling, batch normalization and
    /// activations (a layer that would not fit is left out), then Flatten or GlobalAvgPool and Dense(2–4).
    /// </summary>
    public static Gen<ConvNetworkSpec> Generator() =>
        from channels in Gen.Choose(1, 3)
        from height in Gen.Choose(3, 9)
        from width in Gen.Choose(3, 9)
        from batch in Gen.Choose(1, 3)
        from count in Gen.Choose(1, 4)
        from kinds in Gen.Choose(0, 4).ArrayOf(count)
        from sizes in Gen.Choose(1, 3).ArrayOf(count)
        from filters in Gen.Choose(1, 5).ArrayOf(count)
        from strides in Gen.Choose(1, 2).ArrayOf(count)
        from paddings in Gen.Choose(0, 1).ArrayOf(count)
        from activations in Gen.Elements(NetworkSpec.Activations).ArrayOf(count)
        from biases in Gen.Elements(true, false).ArrayOf(count)
        from global in Gen.Elements(true, false)
        from outputs in Gen.Choose(2, 4)
        from seed in Gen.Choose(0, 1000)
        select Build(channels, height, width, batch, kinds, sizes, filters, strides, paddings, activations, biases, global, outputs, seed);

    private static ConvNetworkSpec Build(int channels, int height, int width, int batch, int[] kinds, int[] sizes, int[] filters, int[] strides,
        int[] paddings, string[] activations, bool[] biases, bool global, int outputs, int seed)
    {
        var layers = new List<string>();
        var (h, w) = (height, width);
        for (var i = 0; i < kinds.Length; i++)
        {
            var k = sizes[i];
            switch (kinds[i])
            {
                case 0 when k <= Math.Min(h, w) + (2 * paddings[i]):
                    layers.Add($"Conv2D({filters[i]}, {k}, Activation.{activations[i]}, Stride = {strides[i]}, Padding = {paddings[i]}, Bias = {(biases[i] ? "true" : "false")})");
                    (h, w) = (((h + (2 * paddings[i]) - k) / strides[i]) + 1, ((w + (2 * paddings[i]) - k) / strides[i]) + 1);
                    break;
                case 1 when k <= Math.Min(h, w):
                    layers.Add($"MaxPool2D({k}, Stride = {strides[i]})");
                    (h, w) = (((h - k) / strides[i]) + 1, ((w - k) / strides[i]) + 1);
                    break;
                case 2 when k <= Math.Min(h, w):
                    layers.Add($"AvgPool2D({k}, Stride = {strides[i]})");
                    (h, w) = (((h - k) / strides[i]) + 1, ((w - k) / strides[i]) + 1);
                    break;
                case 3:
                    layers.Add("BatchNorm2D");
                    break;
                case 4 when activations[i] != "None":
                    layers.Add($"ActivationLayer(Activation.{activations[i]})");
                    break;
            }
        }

        layers.Add(global ? "GlobalAvgPool" : "Flatten");
        layers.Add($"Dense({outputs})");
        return new ConvNetworkSpec(channels, height, width, batch, layers, seed);
    }
}
