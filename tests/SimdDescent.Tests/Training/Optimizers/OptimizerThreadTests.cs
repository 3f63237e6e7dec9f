using System.Collections.Immutable;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Tests.Kernels.Gemm;
using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training.Optimizers;

/// <summary>
/// An optimizer step split into ranges over the GEMM's workers (every split forced) leaves parameters and
/// state bitwise as one thread does, for odd segment lengths, several groups and a frozen one, at every width;
/// and one thread's step is bitwise the same arena updated segment by segment. The thread count is
/// process-wide, so these run beside no other test.
/// </summary>
[Collection(nameof(GemmResourceTests))]
public sealed class OptimizerThreadTests
{
    // Segments of odd lengths past several 64-element update ranges.
    private static readonly TensorInfo[] s_tensors =
    [
        new("a.weight", 0, ImmutableArray.Create(7, 29)),
        new("a.bias", 203, ImmutableArray.Create(29)),
        new("b.weight", 232, ImmutableArray.Create(13, 31)),
        new("b.bias", 635, ImmutableArray.Create(1)),
    ];

    private const int Count = 636;

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void AdamW_steps_are_bitwise_the_same_on_1_to_4_threads(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var one = Steps(1);
        Assert.True(one.SequenceEqual(Segmentwise()), "one thread against the segment-by-segment update");
        for (var threads = 2; threads <= 4; threads++)
        {
            Assert.True(one.SequenceEqual(Steps(threads)), $"{threads} threads changed the parameters or the state");
        }
    }

    private static ParameterLayout Layout() => ParameterLayout.FromTensors(
        s_tensors, Count, new ParameterGroup("a.bias", "b.bias") { WeightDecay = 0 }, new ParameterGroup("b.weight") { IsFrozen = true });

    private static float[] Steps(int threads) => SplitThreads.With(threads, () =>
    {
        var (parameters, gradients) = Problem();
        var optimizer = new AdamW<float>(Layout(), new AdamWOptions { LearningRate = 0.01, WeightDecay = 0.1 });
        foreach (var gradient in gradients)
        {
            optimizer.Step(parameters, gradient);
        }

        return Result(parameters, optimizer);
    });

    /// <summary>The same steps through each segment's own update range, on one thread.</summary>
    private static float[] Segmentwise()
    {
        var (parameters, gradients) = Problem();
        var optimizer = new AdamW<float>(Layout(), new AdamWOptions { LearningRate = 0.01, WeightDecay = 0.1 });
        foreach (var gradient in gradients)
        {
            optimizer.BeginStep(parameters, gradient);
            foreach (var tensor in s_tensors)
            {
                var length = tensor.Shape.Aggregate(1, (product, size) => product * size);
                optimizer.UpdateRange(parameters, gradient, tensor.Offset, tensor.Offset + length);
            }
        }

        return Result(parameters, optimizer);
    }

    private static (float[] Parameters, float[][] Gradients) Problem()
    {
        var random = new Random(5);
        var parameters = TestArrays.Random<float>(random, Count, 1.0, 0);
        var gradients = Enumerable.Range(0, 4).Select(_ => TestArrays.Random<float>(random, Count, 0.1, 0)).ToArray();
        return (parameters, gradients);
    }

    private static float[] Result(float[] parameters, Optimizer<float> optimizer)
    {
        var state = optimizer.SaveState();
        return [.. parameters, .. state.States.SelectMany(arena => arena)];
    }
}
