using System.Collections.Immutable;

namespace SimdDescent.Networks;

/// <summary>
/// A named tensor inside a network's parameter arena (and, at the same offset, its gradient arena).
/// </summary>
/// <param name="Name">Stable name, e.g. <c>layer0.weight</c>.</param>
/// <param name="Offset">First element of the tensor in the arena.</param>
/// <param name="Shape">Dimensions, outermost first (a dense weight is [inputs, units], row-major).</param>
public sealed record TensorInfo(string Name, int Offset, ImmutableArray<int> Shape)
{
    /// <summary>
    /// The tensor's name in the equivalent PyTorch <c>nn.Sequential</c> (e.g. <c>0.weight</c>, <c>2.bias</c>),
    /// where every module takes an index: a Dense layer with a fused activation is a <c>Linear</c> at index
    /// i and the activation module at i + 1; standalone activations, LayerNorm and Dropout take one each.
    /// PyTorch stores a Linear weight as [out, in]: see <see cref="TransposedInPyTorch"/>.
    /// <see langword="null"/> when the tensor has no PyTorch counterpart.
    /// </summary>
    public string? PyTorchName { get; init; }

    /// <summary>
    /// Whether PyTorch stores this tensor transposed: a linear layer's weight is kept here as [in, out] and
    /// in <c>nn.Linear</c> as [out, in]. True for every two-dimensional tensor unless set otherwise; an
    /// embedding table ([rows, channels] in both) sets it to <see langword="false"/>.
    /// </summary>
    public bool TransposedInPyTorch { get; init; } = Shape.Length == 2;

    /// <summary>
    /// A second name under which PyTorch's state_dict holds this same tensor, e.g. nanoGPT's <c>lm_head.weight</c>
    /// tied to <c>transformer.wte.weight</c>: files get a copy under it, and a file may leave it out or must hold
    /// an equal copy. <see langword="null"/> when the tensor is not tied.
    /// </summary>
    public string? TiedPyTorchName { get; init; }

    /// <summary>Number of elements: the product of <see cref="Shape"/>.</summary>
    public int Length
    {
        get
        {
            var length = 1;
            foreach (var dimension in Shape)
            {
                length *= dimension;
            }

            return length;
        }
    }
}
