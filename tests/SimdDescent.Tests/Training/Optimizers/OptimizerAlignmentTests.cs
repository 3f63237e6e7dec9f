using SimdDescent.Kernels;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training.Optimizers;

/// <summary>
/// The update loop does the elements before the first register-aligned parameter address one at a
/// time; where an arena sits in memory must not change any element of the result.
/// </summary>
public sealed class OptimizerAlignmentTests
{
    private const int Length = 203;

    public static TheoryData<VectorPath, string> Cases() => OptimizerTheoryData.AtEveryWidth("sgd", "adam", "rmsprop", "adagrad");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Updates_are_bitwise_the_same_at_every_parameter_and_gradient_offset(VectorPath path, string optimizer)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(12);
        var start = Enumerable.Range(0, Length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var gradients = Enumerable.Range(0, 3 * Length).Select(_ => (float)((random.NextDouble() * 2) - 1) * 0.3f).ToArray();
        var reference = Train(optimizer, start, gradients, parameterOffset: 0, gradientOffset: 0);
        for (var offset = 1; offset < 16; offset++)
        {
            Assert.Equal(reference, Train(optimizer, start, gradients, offset, (offset * 7) % 16));
        }
    }

    private static float[] Train(string name, float[] start, float[] gradients, int parameterOffset, int gradientOffset)
    {
        Optimizer<float> optimizer = name switch
        {
            "sgd" => new Sgd<float>(Length, new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Nesterov = true, WeightDecay = 0.01 }),
            "adam" => new Adam<float>(Length, new AdamOptions { LearningRate = 0.01, AmsGrad = true, WeightDecay = 0.01 }),
            "rmsprop" => new RmsProp<float>(Length, new RmsPropOptions { LearningRate = 0.01, Momentum = 0.5, Centered = true }),
            _ => new Adagrad<float>(Length, new AdagradOptions { LearningRate = 0.1 }),
        };
        var parameters = new float[Length + 16];
        start.CopyTo(parameters, parameterOffset);
        var gradientArena = new float[Length + 16];
        for (var step = 0; step < 3; step++)
        {
            gradients.AsSpan(step * Length, Length).CopyTo(gradientArena.AsSpan(gradientOffset));
            optimizer.Step(parameters.AsSpan(parameterOffset, Length), gradientArena.AsSpan(gradientOffset, Length));
        }

        return parameters.AsSpan(parameterOffset, Length).ToArray();
    }
}
