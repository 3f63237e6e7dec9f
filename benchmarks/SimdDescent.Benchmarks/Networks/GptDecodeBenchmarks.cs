using BenchmarkDotNet.Attributes;
using SimdDescent.Networks;

namespace SimdDescent.Benchmarks.Networks;

/// <summary>
/// Key/value-cached decoding with <see cref="BenchmarkGpt"/> on one thread, as benchmarks/peers/pytorch_gpt.py's
/// <c>decode</c> command times it: with all but the last prompt token cached, the last one and 27 generated ones are
/// appended (positions prompt − 1 … prompt + 26); the figure is per token.
/// </summary>
[MemoryDiagnoser]
public class GptDecodeBenchmarks
{
    private const int NewTokens = 28;

    private readonly BenchmarkGpt _model = new();
    private readonly int[] _tokens = BenchmarkGpt.RandomTokens(128, 3);
    private ILanguageModelDecoder<float> _decoder = null!;

    [Params(1, 100)]
    public int Prompt { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model.Initialize(1337);
        _decoder = _model.CreateDecoder();
        for (var p = 0; p < Prompt - 1; p++)
        {
            _decoder.Append(_tokens[p]);
        }
    }

    [Benchmark(OperationsPerInvoke = NewTokens)]
    public float DecodeToken()
    {
        _decoder.Truncate(Prompt - 1);
        var sum = 0f;
        for (var i = 0; i < NewTokens; i++)
        {
            sum += _decoder.Append(_tokens[Prompt - 1 + i])[0];
        }

        return sum;
    }
}
