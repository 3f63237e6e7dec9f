namespace SimdDescent.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a
/// 64-bit state advanced by the golden-ratio increment and scrambled by two xor-shift-multiply rounds.
/// The one generator of the library: initialization, dropout masks, gradient-check directions, shuffles
/// and splits all draw from it.
/// </summary>
/// <remarks>
/// Chosen because it is tiny, passes BigCrush, and gives the same sequence for a seed on every platform
/// and .NET version, which <see cref="Random"/>'s seeded algorithm does not promise; its whole state is
/// one <see cref="State"/> value, so a checkpoint can save and restore it. Not for cryptography.
/// </remarks>
/// <param name="seed">Any value, zero included; equal seeds give equal sequences.</param>
public struct SplitMix64(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The generator's whole state: save it to resume the sequence exactly where it was.</summary>
    public ulong State { get; set; } = seed;

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        State += Golden;
        return Mix(State);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => ToUnit(NextUInt64());

    /// <summary>A uniformly distributed integer in [0, <paramref name="exclusiveMaximum"/>), without modulo bias.</summary>
    /// <remarks>Lemire's multiply-and-shift with rejection ("Fast random integer generation in an interval", 2019).</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exclusiveMaximum"/> is not positive.</exception>
    public int NextInt32(int exclusiveMaximum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMaximum);
        var range = (uint)exclusiveMaximum;
        var product = (ulong)NextUInt32() * range;
        if ((uint)product < range)
        {
            // Reject the few low products that would make some results more likely than others.
            var threshold = (0u - range) % range;
            while ((uint)product < threshold)
            {
                product = (ulong)NextUInt32() * range;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>Puts <paramref name="values"/> in a uniformly random order (Fisher–Yates, from the end).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt32(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// A counter-based draw: the value for (<paramref name="key"/>, <paramref name="counter"/>) without any
    /// state, so element i of a mask is computed independently of every other element.
    /// </summary>
    public static ulong Hash(ulong key, ulong counter) => Mix(Mix(key + Golden) ^ (counter * Golden));

    /// <summary>Maps 64 random bits to a uniform double in [0, 1).</summary>
    public static double ToUnit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    private uint NextUInt32() => (uint)(NextUInt64() >> 32);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
