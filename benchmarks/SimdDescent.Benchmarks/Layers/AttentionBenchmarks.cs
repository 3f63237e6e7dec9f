using BenchmarkDotNet.Attributes;
using SimdDescent.Layers;

namespace SimdDescent.Benchmarks.Layers;

/// <summary>
/// Causal self-attention of one block of the GPT (batch 16, context 128, width 128, 4 heads) in float:
/// the forward pass, the backward pass, and one key/value-cached query at the last position.
/// </summary>
[MemoryDiagnoser]
public class AttentionBenchmarks
{
    private const int Batch = 16, Time = 128, Channels = 128, Heads = 4;

    private readonly float[] _qkv = new float[Batch * Time * 3 * Channels];
    private readonly float[] _y = new float[Batch * Time * Channels];
    private readonly float[] _dy = new float[Batch * Time * Channels];
    private readonly float[] _dqkv = new float[Batch * Time * 3 * Channels];
    private readonly float[] _logSumExp = new float[Batch * Heads * Time];
    private readonly float[] _step = new float[Channels];
    private readonly float[] _keyCache = new float[Channels * Time];
    private readonly float[] _valueCache = new float[Time * Channels];
    private readonly float[] _scratch = new float[Math.Max(CausalSelfAttention.ForwardScratchLength(Time, Channels / Heads), CausalSelfAttention.BackwardScratchLength(Time))];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < _qkv.Length; i++)
        {
            _qkv[i] = (float)(random.NextDouble() - 0.5) * 2;
        }

        for (var i = 0; i < _dy.Length; i++)
        {
            _dy[i] = (float)(random.NextDouble() - 0.5);
        }

        Forward();
        for (var t = 0; t < Time; t++)
        {
            CausalSelfAttention.Step<float>(_qkv.AsSpan(t * 3 * Channels, 3 * Channels), _keyCache, _valueCache, _step, _scratch, t, Time, Channels, Heads);
        }
    }

    [Benchmark]
    public void Forward() => CausalSelfAttention.Forward<float>(_qkv, _y, _logSumExp, _scratch, Batch, Time, Channels, Heads);

    [Benchmark]
    public void Backward() => CausalSelfAttention.Backward<float>(_qkv, _y, _dy, _logSumExp, _dqkv, _scratch, Batch, Time, Channels, Heads);

    [Benchmark]
    public void ForwardAndBackward()
    {
        Forward();
        Backward();
    }

    [Benchmark]
    public void CachedStep() =>
        CausalSelfAttention.Step<float>(_qkv.AsSpan((Time - 1) * 3 * Channels, 3 * Channels), _keyCache, _valueCache, _step, _scratch, Time - 1, Time, Channels, Heads);
}
