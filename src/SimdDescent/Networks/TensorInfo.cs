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
