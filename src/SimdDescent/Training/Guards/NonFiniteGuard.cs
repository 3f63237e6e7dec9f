using System.Globalization;
using System.Numerics;
using SimdDescent.Networks;

namespace SimdDescent.Training.Guards;

/// <summary>Finds and names the non-finite value once a cheap check (a NaN or ∞ norm) has seen one.</summary>
internal static class NonFiniteGuard
{
    public static NonFiniteValueException ForLoss(long step, double loss) =>
        new(step, "loss", string.Create(CultureInfo.InvariantCulture, $"The loss at step {step} is {loss}; training stopped before the update, so the parameters are unchanged."));

    /// <summary>Names the first tensor (in arena order) holding a NaN or ∞ gradient.</summary>
    public static NonFiniteValueException ForGradients<T>(long step, ReadOnlySpan<T> gradients, IReadOnlyList<TensorInfo> tensors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var index = IndexOfNonFinite(gradients);
        foreach (var tensor in tensors.OrderBy(t => t.Offset))
        {
            if (index >= tensor.Offset && index < tensor.Offset + tensor.Length)
            {
                return new NonFiniteValueException(
                    step,
                    tensor.Name,
                    string.Create(CultureInfo.InvariantCulture, $"The gradient of tensor '{tensor.Name}' holds {gradients[index]} at element {index - tensor.Offset} at step {step}; training stopped before the update, so the parameters are unchanged."));
            }
        }

        return new NonFiniteValueException(
            step,
            "parameters",
            string.Create(CultureInfo.InvariantCulture, $"The gradient holds {(index >= 0 ? gradients[index] : T.NaN)} at arena element {index} at step {step}; training stopped before the update."));
    }

    private static int IndexOfNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
