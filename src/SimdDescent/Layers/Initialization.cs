using System.Numerics;

namespace SimdDescent.Layers;

/// <summary>
/// Weight initializers for dense layers. Values are drawn in double from <see cref="SplitMix64"/> and then
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

    private static void Uniform<T>(Span<T> weights, double limit, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateTruncating(((2 * random.NextDouble()) - 1) * limit);
        }
    }
}
