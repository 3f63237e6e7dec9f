using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Training.Clipping;

/// <summary>Gradient clipping over a flat gradient arena, as PyTorch's <c>clip_grad_norm_</c> and <c>clip_grad_value_</c>.</summary>
public static class GradientClipping
{
    // PyTorch adds this to the norm before dividing, so a zero gradient never divides by zero.
    private const double NormEpsilon = 1e-6;

    /// <summary>
    /// Scales the whole arena by maxNorm / (‖g‖₂ + 1e-6) when that is below one, and returns the norm
    /// before clipping (NaN or ∞ if a gradient is not finite; then nothing is scaled).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive.</exception>
    public static double ClipByGlobalNorm<T>(Span<T> gradients, double maxNorm)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "Expected a maximum norm > 0.");
        }

        var norm = double.CreateTruncating(Reductions.Norm2<T>(gradients));
        var coefficient = NormScale(norm, maxNorm);
        if (coefficient < 1)
        {
            Blas.Scale(T.CreateTruncating(coefficient), gradients);
        }

        return norm;
    }

    /// <summary>Limits every gradient to [−clipValue, clipValue]; NaN stays NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is not positive.</exception>
    public static void ClipByValue<T>(Span<T> gradients, double clipValue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!(clipValue > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "Expected a clip value > 0.");
        }

        var limit = T.CreateTruncating(clipValue);
        Blas.Clamp<T>(gradients, -limit, limit, gradients);
    }

    /// <summary>The factor <see cref="ClipByGlobalNorm"/> scales by: maxNorm / (norm + 1e-6) when that is below one, else one.</summary>
    internal static double NormScale(double norm, double maxNorm) => Math.Min(maxNorm / (norm + NormEpsilon), 1);
}
