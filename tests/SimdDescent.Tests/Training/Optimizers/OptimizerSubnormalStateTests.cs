using SimdDescent.Kernels;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training.Optimizers;

/// <summary>
/// With zero gradients every decaying state element is multiplied by its decay factor at each step;
/// once a product drops below the smallest normal float it must be stored as zero, never as a
/// subnormal, and products above it must be stored exactly as computed.
/// </summary>
public sealed class OptimizerSubnormalStateTests
{
    private const int Length = 203;
    private const int Steps = 40;

    // 2⁻¹²⁶, the smallest normal float.
    private static readonly float SmallestNormal = BitConverter.Int32BitsToSingle(0x0080_0000);

    public static TheoryData<VectorPath, string> Cases() => OptimizerTheoryData.AtEveryWidth("sgd", "adam", "rmsprop");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decaying_state_is_flushed_to_zero_below_the_smallest_normal(VectorPath path, string name)
    {
        using var _ = SimdDispatch.Force(path);
        var (optimizer, decays) = Create(name);
        var parameters = Enumerable.Range(0, Length).Select(i => 0.01f * (i - 100)).ToArray();
        var gradients = new float[Length];

        // The first SGD step copies the gradient into the buffer; seed the state after it.
        optimizer.Step(parameters, gradients);
        var expected = new Dictionary<string, float[]>();
        foreach (var (state, _) in decays)
        {
            var seeded = Seed(state);
            seeded.CopyTo(optimizer.GetState(state));
            expected[state] = seeded;
        }

        var flushed = 0;
        for (var step = 0; step < Steps; step++)
        {
            optimizer.Step(parameters, gradients);
            foreach (var (state, decay) in decays)
            {
                var values = expected[state];
                for (var i = 0; i < Length; i++)
                {
                    var product = decay * values[i];
                    flushed += values[i] != 0 && MathF.Abs(product) < SmallestNormal ? 1 : 0;
                    values[i] = MathF.Abs(product) < SmallestNormal ? 0f : product;
                }

                var actual = optimizer.GetState(state).ToArray();
                Assert.True(actual.All(v => v == 0 || !float.IsSubnormal(v)), $"{state} holds a subnormal after step {step + 1}.");
                Assert.Equal(values, actual);
            }
        }

        Assert.True(flushed > Length / 3, $"Only {flushed} elements decayed below the normal range; the test would not see a missing flush.");
    }

    private static (Optimizer<float> Optimizer, (string State, float Decay)[] Decays) Create(string name) => name switch
    {
        "sgd" => (new Sgd<float>(Length, new SgdOptions { LearningRate = 0.1, Momentum = 0.9 }), [("momentum_buffer", 0.9f)]),
        "adam" => (new Adam<float>(Length, new AdamOptions { LearningRate = 0.01 }), [("exp_avg", 0.9f), ("exp_avg_sq", 0.999f)]),
        _ => (new RmsProp<float>(Length, new RmsPropOptions { LearningRate = 0.01, Momentum = 0.5, Centered = true }),
            [("square_avg", 0.99f), ("grad_avg", 0.99f), ("momentum_buffer", 0.5f)]),
    };

    /// <summary>A third of the elements a few times the smallest normal (they flush within the test), a third normal, a third zero; all non-negative, so squares stay valid.</summary>
    private static float[] Seed(string state) =>
        Enumerable.Range(0, Length).Select(i => (i % 3) switch
        {
            0 => (1 + (i % 7)) * SmallestNormal * 1.0001f,
            1 => state == "grad_avg" ? 0f : 0.25f * (1 + (i % 5)),
            _ => 0f,
        }).ToArray();
}
