using SimdDescent.Cli.Generation;

namespace SimdDescent.Cli.Tests;

public sealed class TokenSamplerTests
{
    private static readonly float[] s_logits = [0.5f, 2.0f, -1.0f, 1.0f, 1.9f];

    [Fact]
    public void Temperature_zero_and_top_k_one_pick_the_largest_logit()
    {
        Assert.Equal(1, new TokenSampler(5, 0, 0, 1).Next(s_logits));
        var topOne = new TokenSampler(5, 1.5, 1, 7);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(1, topOne.Next(s_logits)));
    }

    [Fact]
    public void Draws_follow_the_softmax_of_the_logits_over_the_temperature_within_the_top_k()
    {
        const int Draws = 40_000;
        const double Temperature = 0.7;
        var sampler = new TokenSampler(5, Temperature, 3, 11);
        var counts = new int[5];
        for (var i = 0; i < Draws; i++)
        {
            counts[sampler.Next(s_logits)]++;
        }

        // The top 3 logits are tokens 1, 4 and 3; the closed-form softmax over them alone.
        int[] kept = [1, 4, 3];
        var weights = kept.Select(t => Math.Exp(s_logits[t] / Temperature)).ToArray();
        Assert.Equal(0, counts[0] + counts[2]);
        for (var k = 0; k < kept.Length; k++)
        {
            Assert.InRange((double)counts[kept[k]] / Draws, (weights[k] / weights.Sum()) - 0.01, (weights[k] / weights.Sum()) + 0.01);
        }
    }
}
