using SimdDescent.IO.Preprocessing;

namespace SimdDescent.Tests.IO.Preprocessing;

public sealed class SplitMix64Tests
{
    [Fact]
    public void The_sequence_matches_the_published_reference_values()
    {
        // Seed 1234567: the reference outputs listed for Vigna's splitmix64.c (Rosetta Code, "Splitmix64").
        var random = new SplitMix64(1234567);

        Assert.Equal(
            [6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL, 4593380528125082431UL, 16408922859458223821UL],
            [random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void NextInt32_stays_below_its_bound(int bound)
    {
        var random = new SplitMix64(99);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(random.NextInt32(bound), 0, bound - 1);
        }
    }

    [Fact]
    public void NextInt32_is_close_to_uniform()
    {
        // Chi-square with 9 degrees of freedom; 27.9 is its 0.999 quantile, so a fair generator fails 1 run in 1000 seeds.
        var random = new SplitMix64(2024);
        var counts = new int[10];
        const int draws = 100_000;
        for (var i = 0; i < draws; i++)
        {
            counts[random.NextInt32(10)]++;
        }

        var chiSquare = counts.Sum(c => Math.Pow(c - (draws / 10.0), 2) / (draws / 10.0));
        Assert.True(chiSquare < 27.9, $"chi-square {chiSquare:F1} for counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void NextInt32_rejects_a_bound_that_is_not_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SplitMix64(1).NextInt32(0));

    [Fact]
    public void Shuffle_permutes_and_is_reproducible_for_a_seed()
    {
        var first = Enumerable.Range(0, 100).ToArray();
        var second = Enumerable.Range(0, 100).ToArray();
        var third = Enumerable.Range(0, 100).ToArray();

        new SplitMix64(5).Shuffle(first.AsSpan());
        new SplitMix64(5).Shuffle(second.AsSpan());
        new SplitMix64(6).Shuffle(third.AsSpan());

        Assert.Equal(Enumerable.Range(0, 100), first.Order());
        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
        Assert.NotEqual(Enumerable.Range(0, 100), first);
    }

    [Fact]
    public void Shuffle_reaches_every_ordering_of_three_items_about_equally_often()
    {
        var counts = new Dictionary<string, int>();
        var random = new SplitMix64(11);
        for (var i = 0; i < 60_000; i++)
        {
            int[] items = [0, 1, 2];
            random.Shuffle(items.AsSpan());
            var key = string.Concat(items);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 9_500, 10_500));
    }
}
