using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>One layer of a random declaration, as attribute text.</summary>
internal sealed record LayerSpec(string Attribute, int Width);

/// <summary>A random network declaration (double) with its batch, rendered as C# for the generator.</summary>
internal sealed record NetworkSpec(int Inputs, int MaxBatch, int Batch, IReadOnlyList<LayerSpec> Layers, string Loss, int Seed)
{
    public static readonly string[] Activations = ["None", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Gelu", "Silu"];

    public int Outputs => Layers[^1].Width;

    public bool UsesLabels => Loss == "SoftmaxCrossEntropy";

    public string Render(string className)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[Network(Inputs = {Inputs}, MaxBatch = {MaxBatch}, ElementType = typeof(double), Seed = {Seed})]\n");
        foreach (var layer in Layers)
        {
            text.Append('[').Append(layer.Attribute).Append("]\n");
        }

        text.Append('[').Append(Loss).Append("]\n");
        text.Append("public partial class ").Append(className).Append(";\n");
        return text.ToString();
    }

    public override string ToString() => Render("Net").Replace('\n', ' ') + " batch " + Batch;

    /// <summary>Depth 1–4 (hidden layers of every kind, then a Dense output), widths 1–64, batch 1–8, every loss.</summary>
    public static Gen<NetworkSpec> Generator()
    {
        var activation = Gen.Elements(Activations);
        var loss = Gen.Elements("SoftmaxCrossEntropy", "MeanSquaredError", "BinaryCrossEntropyWithLogits");
        return
            from inputs in Gen.Choose(1, 64)
            from maxBatch in Gen.Choose(1, 8)
            from batch in Gen.Choose(1, maxBatch)
            from hiddenCount in Gen.Choose(0, 3)
            from hiddenKinds in Gen.Choose(0, 3).ArrayOf(hiddenCount)
            from hiddenUnits in Gen.Choose(1, 64).ArrayOf(hiddenCount)
            from hiddenActivations in activation.ArrayOf(hiddenCount)
            from biases in Gen.Elements(true, false).ArrayOf(hiddenCount)
            from lossName in loss
            from outputs in Gen.Choose(lossName == "SoftmaxCrossEntropy" ? 2 : 1, 8)
            from outputActivation in activation
            from seed in Gen.Choose(0, 1000)
            select Build(inputs, maxBatch, batch, hiddenKinds, hiddenUnits, hiddenActivations, biases, lossName, outputs, outputActivation, seed);
    }

    private static NetworkSpec Build(int inputs, int maxBatch, int batch, int[] kinds, int[] units, string[] activations, bool[] biases,
        string loss, int outputs, string outputActivation, int seed)
    {
        var layers = new List<LayerSpec>();
        var width = inputs;
        for (var i = 0; i < kinds.Length; i++)
        {
            var activation = activations[i] == "None" ? "Relu" : activations[i];

            // LayerNorm over one feature outputs exactly its bias (0 at first), which would put a later ReLU
            // exactly on its kink, where one-sided differences disagree with every subgradient.
            var kind = kinds[i] == 2 && width == 1 ? 1 : kinds[i];
            var layer = kind switch
            {
                0 => new LayerSpec($"Dense({units[i]}, Activation.{activations[i]}, Bias = {(biases[i] ? "true" : "false")})", units[i]),
                1 => new LayerSpec($"ActivationLayer(Activation.{activation})", width),
                2 => new LayerSpec("LayerNorm", width),
                _ => new LayerSpec("Dropout(0.5, Seed = 3)", width),
            };
            layers.Add(layer);
            width = layer.Width;
        }

        // A softmax output must not saturate into a constant; other losses take any activation.
        var act = loss == "SoftmaxCrossEntropy" ? "None" : outputActivation;
        layers.Add(new LayerSpec($"Dense({outputs}, Activation.{act})", outputs));
        return new NetworkSpec(inputs, maxBatch, batch, layers, loss, seed);
    }
}
