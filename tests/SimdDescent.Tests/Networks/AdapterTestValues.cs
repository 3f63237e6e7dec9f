namespace SimdDescent.Tests.Networks;

/// <summary>What the adapter tests share: random adapter values and a relative float comparison.</summary>
internal static class AdapterTestValues
{
    /// <summary>Fills <paramref name="values"/> with U(−0.3, 0.3), so B ≠ 0 and every adapter path carries signal.</summary>
    public static void Randomize<T>(Span<T> values, int seed)
        where T : System.Numerics.IFloatingPoint<T>
    {
        var random = new Random(seed);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateTruncating(((random.NextDouble() * 2) - 1) * 0.3);
        }
    }

    public static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
