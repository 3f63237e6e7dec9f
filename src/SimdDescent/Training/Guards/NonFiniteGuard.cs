using System.Globalization;
using System.Numerics;
using SimdDescent.Networks;

namespace SimdDescent.Training.Guards;

/// <summary>Finds and names the non-finite value once a cheap check (a NaN or ∞ loss or norm) has seen one.</summary>
internal static class NonFiniteGuard
{
    /// <summary>
    /// Names what made the loss non-finite: the first tensor (in arena order) holding a NaN or ∞ parameter, else the
    /// first holding one in its gradient, else the loss itself (finite parameters whose outputs overflowed).
    /// </summary>
    public static NonFiniteValueException ForLoss<T>(long step, double loss, ReadOnlySpan<T> parameters, ReadOnlySpan<T> gradients, IReadOnlyList<TensorInfo> tensors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var lossText = string.Create(CultureInfo.InvariantCulture, $"The loss at step {step} is {loss}");
        const string Unchanged = "training stopped before the update, so the parameters are unchanged.";
        if (Locate(parameters, tensors) is { } parameter)
        {
            return new NonFiniteValueException(
                step, parameter.Tensor.Name, string.Create(CultureInfo.InvariantCulture, $"{lossText}: parameter tensor '{parameter.Tensor.Name}' holds {parameters[parameter.Index]} at element {parameter.Index - parameter.Tensor.Offset}; {Unchanged}"));
        }

        if (Locate(gradients, tensors) is { } gradient)
        {
            return new NonFiniteValueException(
                step, gradient.Tensor.Name, string.Create(CultureInfo.InvariantCulture, $"{lossText}: the gradient of tensor '{gradient.Tensor.Name}' holds {gradients[gradient.Index]} at element {gradient.Index - gradient.Tensor.Offset}; {Unchanged}"));
        }

        return new NonFiniteValueException(step, "loss", $"{lossText} while every parameter and gradient is finite (the outputs overflowed); {Unchanged}");
    }

    /// <summary>Names the first tensor (in arena order) holding a NaN or ∞ gradient.</summary>
    public static NonFiniteValueException ForGradients<T>(long step, ReadOnlySpan<T> gradients, IReadOnlyList<TensorInfo> tensors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Locate(gradients, tensors) is { } found)
        {
            return new NonFiniteValueException(
                step,
                found.Tensor.Name,
                string.Create(CultureInfo.InvariantCulture, $"The gradient of tensor '{found.Tensor.Name}' holds {gradients[found.Index]} at element {found.Index - found.Tensor.Offset} at step {step}; training stopped before the update, so the parameters are unchanged."));
        }

        var index = IndexOfNonFinite(gradients);
        return new NonFiniteValueException(
            step,
            "parameters",
            string.Create(CultureInfo.InvariantCulture, $"The gradient holds {(index >= 0 ? gradients[index] : T.NaN)} at arena element {index} at step {step}; training stopped before the update."));
    }

    /// <summary>The first non-finite element that lies inside a tensor, with that tensor; null when there is none.</summary>
    private static (TensorInfo Tensor, int Index)? Locate<T>(ReadOnlySpan<T> values, IReadOnlyList<TensorInfo> tensors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var tensor in tensors.OrderBy(t => t.Offset))
        {
            var index = IndexOfNonFinite(values.Slice(tensor.Offset, tensor.Length));
            if (index >= 0)
            {
                return (tensor, tensor.Offset + index);
            }
        }

        return null;
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
