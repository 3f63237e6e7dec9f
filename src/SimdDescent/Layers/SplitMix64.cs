namespace SimdDescent.Layers;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, deterministic generator. The same seed gives the
/// same numbers on every platform, which makes initialization, dropout masks and gradient checks reproducible.
/// </summary>
/// <param name="seed">Any value, zero included.</param>
public struct SplitMix64(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        state += Golden;
        return Mix(state);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => ToUnit(NextUInt64());

    /// <summary>
    /// A counter-based draw: the value for (<paramref name="key"/>, <paramref name="counter"/>) without any
    /// state, so element i of a mask is computed independently of every other element.
    /// </summary>
    public static ulong Hash(ulong key, ulong counter) => Mix(Mix(key + Golden) ^ (counter * Golden));

    /// <summary>Maps 64 random bits to a uniform double in [0, 1).</summary>
    public static double ToUnit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
