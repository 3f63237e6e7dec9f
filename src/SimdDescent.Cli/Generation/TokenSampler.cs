using SimdDescent.Randomness;

namespace SimdDescent.Cli.Generation;

/// <summary>
/// Chooses the next token from a model's logits as benchmarks/peers/pytorch_gpt.py does, so the same logits
/// and seed give the same bytes: the argmax at temperature 0; otherwise p = softmax(logits / temperature) in
/// double over the logits at or above the k-th largest (all when topK is 0), and the first token whose running
/// sum of p exceeds u · Σp, u = (next() &gt;&gt; 11) / 2⁵³ from SplitMix64. Allocates nothing after construction.
/// </summary>
internal sealed class TokenSampler(int vocabulary, double temperature, int topK, ulong seed)
{
    private readonly double[] _scaled = new double[vocabulary];
    private readonly double[] _sorted = new double[vocabulary];
    private SplitMix64 _random = new(seed);

    public int Next(ReadOnlySpan<float> logits)
    {
        if (temperature == 0)
        {
            return ArgMax(logits);
        }

        for (var i = 0; i < _scaled.Length; i++)
        {
            _scaled[i] = logits[i] / temperature;
        }

        var floor = double.NegativeInfinity;
        if (topK > 0 && topK < _scaled.Length)
        {
            _scaled.CopyTo(_sorted, 0);
            Array.Sort(_sorted);
            floor = _sorted[^topK];
        }

        var max = double.NegativeInfinity;
        foreach (var value in _scaled)
        {
            max = Math.Max(max, value);
        }

        var sum = 0.0;
        for (var i = 0; i < _scaled.Length; i++)
        {
            _scaled[i] = _scaled[i] >= floor ? Math.Exp(_scaled[i] - max) : 0;
            sum += _scaled[i];
        }

        // The running sum of the normalized probabilities, as torch.cumsum(softmax(...)) forms it.
        var running = 0.0;
        for (var i = 0; i < _scaled.Length; i++)
        {
            running += _scaled[i] / sum;
            _scaled[i] = running;
        }

        var threshold = _random.NextDouble() * running;
        for (var i = 0; i < _scaled.Length; i++)
        {
            if (_scaled[i] > threshold)
            {
                return i;
            }
        }

        return _scaled.Length - 1;
    }

    /// <summary>The first index of the largest logit, as torch.argmax picks it.</summary>
    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
