using SimdDescent.Networks;

namespace SimdDescent.Tests.Networks;

/// <summary>The generated layer list repeats the declaration of <see cref="EveryLayerNetwork"/> and points into its tensor table.</summary>
public class LayerInfoTests
{
    [Fact]
    public void Layers_follow_the_declaration_with_their_tensors()
    {
        var network = new EveryLayerNetwork();
        var tensors = network.Tensors;
        LayerInfo[] expected =
        [
            new(LayerKind.Dense, 12, 32) { Activation = Activation.Relu, Weight = tensors[0], Bias = tensors[1] },
            new(LayerKind.LayerNorm, 32, 32) { Weight = tensors[2], Bias = tensors[3], Epsilon = 1e-5 },
            new(LayerKind.Dropout, 32, 32) { DropoutProbability = 0.2 },
            new(LayerKind.Dense, 32, 16) { Activation = Activation.Gelu, Weight = tensors[4], Bias = tensors[5] },
            new(LayerKind.Activation, 16, 16) { Activation = Activation.Tanh },
            new(LayerKind.Dense, 16, 5) { Weight = tensors[6], Bias = tensors[7] },
        ];
        Assert.Equal(expected, network.Layers);
        Assert.Equal(["layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias", "layer3.weight", "layer3.bias", "layer5.weight", "layer5.bias"], tensors.Select(t => t.Name));
    }
}
