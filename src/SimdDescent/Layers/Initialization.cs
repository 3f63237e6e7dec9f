using System.Numerics;
using SimdDescent.Randomness;

namespace SimdDescent.Layers;

/// <summary>
/// Weight initializers. Values are drawn in double from <see cref="SplitMix64"/> and then
/// rounded, so a float and a double network with the same seed start from the same weights (to rounding).
/// </summary>
public static class Initialization
{
    /// <summary>He (Kaiming) uniform, U(−√(6/fanIn), √(6/fanIn)): keeps activation variance through ReLU-family layers.</summary>
    public static void HeUniform<T>(Span<T> weights, int fanIn, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        Uniform(weights, Math.Sqrt(6.0 / fanIn), ref random);
    }

    /// <summary>Glorot (Xavier) uniform, U(−√(6/(fanIn+fanOut)), √(6/(fanIn+fanOut))): for tanh, sigmoid and linear layers.</summary>
    public static void GlorotUniform<T>(Span<T> weights, int fanIn, int fanOut, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        Uniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), ref random);
    }

    /// <summary>
    /// U(−1/√fanIn, 1/√fanIn): PyTorch's <c>kaiming_uniform_(w, a=√5)</c>, the default of <c>nn.Linear</c>
    /// and of PEFT's LoRA A matrices.
    /// </summary>
    public static void KaimingUniformLinear<T>(Span<T> weights, int fanIn, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        Uniform(weights, 1 / Math.Sqrt(fanIn), ref random);
    }

    /// <summary>
    /// Normal N(0, <paramref name="standardDeviation"/>²) by the Box–Muller transform, two values per pair of
    /// uniforms: GPT-2's and nanoGPT's initialization (0.02, and 0.02/√(2·blocks) for residual projections).
    /// </summary>
    public static void Normal<T>(Span<T> weights, double standardDeviation, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(standardDeviation);
        for (var i = 0; i < weights.Length; i += 2)
        {
            // 1 − u lies in (0, 1], so the logarithm stays finite.
            var radius = standardDeviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            weights[i] = T.CreateTruncating(radius * Math.Cos(angle));
            if (i + 1 < weights.Length)
            {
                weights[i + 1] = T.CreateTruncating(radius * Math.Sin(angle));
            }
        }
    }

    private static void Uniform<T>(Span<T> weights, double limit, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateTruncating(((2 * random.NextDouble()) - 1) * limit);
        }
    }
}
