using SimdDescent.Kernels;
using SimdDescent.Layers;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>The sequence layers' forward, backward and cached-step calls allocate nothing once warm.</summary>
[Collection(nameof(AllocationMeasurementCollection))]
public sealed class SequenceLayerAllocationTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Forward_backward_and_step_allocate_nothing(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 2, time = CausalSelfAttention.TileSize + 9, channels = 16, heads = 4, vocabulary = 11;
        var random = new Random(9);
        var tokens = Enumerable.Range(0, batch * time).Select(_ => random.Next(vocabulary)).ToArray();
        var tokenTable = TestArrays.Random<float>(random, vocabulary * channels, 1.0, 0);
        var positionTable = TestArrays.Random<float>(random, time * channels, 1.0, 0);
        var embedded = new float[batch * time * channels];
        var qkv = TestArrays.Random<float>(random, batch * time * 3 * channels, 1.0, 0);
        var y = new float[batch * time * channels];
        var lse = new float[batch * heads * time];
        var dqkv = new float[qkv.Length];
        var stepOutput = new float[channels];
        var keyCache = new float[channels * time];
        var valueCache = new float[time * channels];
        var scratch = new float[Math.Max(CausalSelfAttention.ForwardScratchLength(time, channels / heads), CausalSelfAttention.BackwardScratchLength(time))];
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            Embedding.Forward<float>(tokens, tokenTable, positionTable, embedded, batch, time, channels);
            Embedding.Backward<float>(tokens, embedded, tokenTable, positionTable, batch, time, channels);
            CausalSelfAttention.Forward<float>(qkv, y, lse, scratch, batch, time, channels, heads);
            CausalSelfAttention.Backward<float>(qkv, y, y, lse, dqkv, scratch, batch, time, channels, heads);
            CausalSelfAttention.Step<float>(qkv.AsSpan(0, 3 * channels), keyCache, valueCache, stepOutput, scratch, time - 1, time, channels, heads);
        }
    }
}
