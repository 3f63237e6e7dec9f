namespace SimdDescent.IO.Preprocessing;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a
/// 64-bit state advanced by the golden-ratio increment and scrambled by two xor-shift-multiply rounds.
/// </summary>
/// <remarks>
/// Chosen for shuffles and splits because it is tiny, passes BigCrush, and gives the same sequence for a
/// seed on every platform and .NET version, which <see cref="Random"/>'s seeded algorithm does not promise.
/// Not for cryptography.
/// </remarks>
/// <param name="seed">Any value; equal seeds give equal sequences.</param>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

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

    private uint NextUInt32() => (uint)(NextUInt64() >> 32);
}
