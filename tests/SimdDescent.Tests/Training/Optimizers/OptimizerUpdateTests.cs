using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training.Optimizers;

public sealed class OptimizerUpdateTests
{
    // 37 elements: whole registers at every width plus a tail of 1–5 elements.
    private const int Length = 37;
    private const int Steps = 6;

    public static TheoryData<VectorPath> Paths => [VectorPath.Scalar, VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sgd_plain_matches_the_update_equations(VectorPath path) => Check(
        path,
        n => new ReferenceSgd(n, lr: 0.1),
        n => new Sgd<double>(n, new SgdOptions { LearningRate = 0.1 }),
        n => new Sgd<float>(n, new SgdOptions { LearningRate = 0.1 }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sgd_with_momentum_dampening_and_weight_decay_matches(VectorPath path) => Check(
        path,
        n => new ReferenceSgd(n, lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01),
        n => new Sgd<double>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Dampening = 0.3, WeightDecay = 0.01 }),
        n => new Sgd<float>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Dampening = 0.3, WeightDecay = 0.01 }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sgd_with_nesterov_matches(VectorPath path) => Check(
        path,
        n => new ReferenceSgd(n, lr: 0.05, momentum: 0.8, weightDecay: 0.02, nesterov: true),
        n => new Sgd<double>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.8, WeightDecay = 0.02, Nesterov = true }),
        n => new Sgd<float>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.8, WeightDecay = 0.02, Nesterov = true }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Adam_with_bias_correction_and_l2_penalty_matches(VectorPath path) => Check(
        path,
        n => new ReferenceAdam(n, lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1),
        n => new Adam<double>(n, new AdamOptions { LearningRate = 0.01, Beta1 = 0.8, Beta2 = 0.95, Epsilon = 1e-6, WeightDecay = 0.1 }),
        n => new Adam<float>(n, new AdamOptions { LearningRate = 0.01, Beta1 = 0.8, Beta2 = 0.95, Epsilon = 1e-6, WeightDecay = 0.1 }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Adam_with_amsgrad_matches(VectorPath path) => Check(
        path,
        n => new ReferenceAdam(n, lr: 0.01, amsGrad: true),
        n => new Adam<double>(n, new AdamOptions { LearningRate = 0.01, AmsGrad = true }),
        n => new Adam<float>(n, new AdamOptions { LearningRate = 0.01, AmsGrad = true }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void AdamW_decouples_weight_decay(VectorPath path) => Check(
        path,
        n => new ReferenceAdam(n, lr: 0.02, weightDecay: 0.3, decoupled: true, amsGrad: true),
        n => new AdamW<double>(n, new AdamWOptions { LearningRate = 0.02, WeightDecay = 0.3, AmsGrad = true }),
        n => new AdamW<float>(n, new AdamWOptions { LearningRate = 0.02, WeightDecay = 0.3, AmsGrad = true }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void RmsProp_plain_matches(VectorPath path) => Check(
        path,
        n => new ReferenceRmsProp(n, lr: 0.01, weightDecay: 0.05),
        n => new RmsProp<double>(n, new RmsPropOptions { LearningRate = 0.01, WeightDecay = 0.05 }),
        n => new RmsProp<float>(n, new RmsPropOptions { LearningRate = 0.01, WeightDecay = 0.05 }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void RmsProp_with_momentum_matches(VectorPath path) => Check(
        path,
        n => new ReferenceRmsProp(n, lr: 0.01, alpha: 0.9, momentum: 0.7),
        n => new RmsProp<double>(n, new RmsPropOptions { LearningRate = 0.01, Alpha = 0.9, Momentum = 0.7 }),
        n => new RmsProp<float>(n, new RmsPropOptions { LearningRate = 0.01, Alpha = 0.9, Momentum = 0.7 }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void RmsProp_centered_with_momentum_matches(VectorPath path) => Check(
        path,
        n => new ReferenceRmsProp(n, lr: 0.01, alpha: 0.9, eps: 1e-4, momentum: 0.5, centered: true),
        n => new RmsProp<double>(n, new RmsPropOptions { LearningRate = 0.01, Alpha = 0.9, Epsilon = 1e-4, Momentum = 0.5, Centered = true }),
        n => new RmsProp<float>(n, new RmsPropOptions { LearningRate = 0.01, Alpha = 0.9, Epsilon = 1e-4, Momentum = 0.5, Centered = true }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Adagrad_with_decay_weight_decay_and_initial_accumulator_matches(VectorPath path) => Check(
        path,
        n => new ReferenceAdagrad(n, lr: 0.1, lrDecay: 0.05, weightDecay: 0.01, initialAccumulator: 0.1),
        n => new Adagrad<double>(n, new AdagradOptions { LearningRate = 0.1, LearningRateDecay = 0.05, WeightDecay = 0.01, InitialAccumulatorValue = 0.1 }),
        n => new Adagrad<float>(n, new AdagradOptions { LearningRate = 0.1, LearningRateDecay = 0.05, WeightDecay = 0.01, InitialAccumulatorValue = 0.1 }));

    // Momenta as a one-cycle schedule moves them, including a step at 0 where PyTorch's SGD and RMSprop skip the buffer.
    private static readonly double[] ChangingMomenta = [0.95, 0.9, 0.85, 0, 0.88, 0.93];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sgd_reads_the_group_momentum_every_step(VectorPath path) => Check(
        path,
        n => new ReferenceSgd(n, lr: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.01),
        n => new Sgd<double>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Dampening = 0.2, WeightDecay = 0.01 }),
        n => new Sgd<float>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Dampening = 0.2, WeightDecay = 0.01 }),
        ChangingMomenta);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sgd_with_nesterov_reads_the_group_momentum_every_step(VectorPath path) => Check(
        path,
        n => new ReferenceSgd(n, lr: 0.05, momentum: 0.9, nesterov: true),
        n => new Sgd<double>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Nesterov = true }),
        n => new Sgd<float>(n, new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Nesterov = true }),
        ChangingMomenta);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Adam_reads_beta1_from_the_group_every_step_bias_correction_included(VectorPath path) => Check(
        path,
        n => new ReferenceAdam(n, lr: 0.01, beta2: 0.99, weightDecay: 0.05),
        n => new Adam<double>(n, new AdamOptions { LearningRate = 0.01, Beta2 = 0.99, WeightDecay = 0.05 }),
        n => new Adam<float>(n, new AdamOptions { LearningRate = 0.01, Beta2 = 0.99, WeightDecay = 0.05 }),
        ChangingMomenta);

    [Theory]
    [MemberData(nameof(Paths))]
    public void AdamW_reads_beta1_from_the_group_every_step(VectorPath path) => Check(
        path,
        n => new ReferenceAdam(n, lr: 0.02, weightDecay: 0.3, decoupled: true),
        n => new AdamW<double>(n, new AdamWOptions { LearningRate = 0.02, WeightDecay = 0.3 }),
        n => new AdamW<float>(n, new AdamWOptions { LearningRate = 0.02, WeightDecay = 0.3 }),
        ChangingMomenta);

    [Theory]
    [MemberData(nameof(Paths))]
    public void RmsProp_centered_reads_the_group_momentum_every_step(VectorPath path) => Check(
        path,
        n => new ReferenceRmsProp(n, lr: 0.01, momentum: 0.5, centered: true),
        n => new RmsProp<double>(n, new RmsPropOptions { LearningRate = 0.01, Momentum = 0.5, Centered = true }),
        n => new RmsProp<float>(n, new RmsPropOptions { LearningRate = 0.01, Momentum = 0.5, Centered = true }),
        ChangingMomenta);

    [Fact]
    public void Group_momentum_says_what_it_drives_and_is_validated_for_it()
    {
        var sgd = new Sgd<float>(4, new SgdOptions { Momentum = 0.7 }).Groups[0];
        var adam = new AdamW<float>(4, new AdamWOptions { Beta1 = 0.8 }).Groups[0];
        var rmsProp = new RmsProp<float>(4, new RmsPropOptions { Momentum = 0.3 }).Groups[0];
        var plain = new Sgd<float>(4, new SgdOptions()).Groups[0];
        Assert.Equal((MomentumKind.Momentum, 0.7), (sgd.MomentumKind, sgd.Momentum));
        Assert.Equal((MomentumKind.Beta1, 0.8), (adam.MomentumKind, adam.Momentum));
        Assert.Equal((MomentumKind.Momentum, 0.3), (rmsProp.MomentumKind, rmsProp.Momentum));
        Assert.Equal((MomentumKind.None, 0.0), (plain.MomentumKind, plain.Momentum));

        sgd.Momentum = 1.5;
        Assert.Equal(1.5, sgd.Momentum);
        Assert.Contains("Momentum to be finite and ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => sgd.Momentum = -0.1).Message, StringComparison.Ordinal);
        Assert.Contains("Momentum in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => adam.Momentum = 1).Message, StringComparison.Ordinal);
        Assert.Equal(0.8, adam.Momentum);
        var none = Assert.Throws<InvalidOperationException>(() => plain.Momentum = 0.9);
        Assert.Contains("Momentum > 0", none.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new Adagrad<float>(4, new AdagradOptions()).Groups[0].Momentum = 0.9);
    }

    [Fact]
    public void State_arenas_carry_pytorch_names()
    {
        Assert.Equal(["momentum_buffer"], new Sgd<float>(4, new SgdOptions { Momentum = 0.9 }).StateNames);
        Assert.Empty(new Sgd<float>(4, new SgdOptions()).StateNames);
        Assert.Equal(["exp_avg", "exp_avg_sq", "max_exp_avg_sq"], new Adam<float>(4, new AdamOptions { AmsGrad = true }).StateNames);
        Assert.Equal(["square_avg", "grad_avg", "momentum_buffer"], new RmsProp<float>(4, new RmsPropOptions { Centered = true, Momentum = 0.1 }).StateNames);
        Assert.Equal(["sum"], new Adagrad<float>(4, new AdagradOptions()).StateNames);
    }

    [Fact]
    public void Bad_settings_are_rejected_with_a_message()
    {
        Assert.Throws<ArgumentException>(() => new Sgd<float>(4, new SgdOptions { Nesterov = true }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(4, new AdamOptions { Beta1 = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(4, new SgdOptions { LearningRate = -1 }));
        var error = Assert.Throws<ArgumentException>(() => new Sgd<float>(4, new SgdOptions()).Step(new float[3], new float[4]));
        Assert.Contains("at least the 4 parameters", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs both optimizers and the reference for <see cref="Steps"/> steps; with <paramref name="momenta"/>, step t
    /// first sets every group's momentum (and the reference's) to momenta[t − 1], as a momentum schedule does.
    /// </summary>
    private static void Check(
        VectorPath path,
        Func<int, IReferenceOptimizer> reference,
        Func<int, Optimizer<double>> inDouble,
        Func<int, Optimizer<float>> inFloat,
        double[]? momenta = null)
    {
        var (initial, gradients) = Problem();
        var expected = (double[])initial.Clone();
        var model = reference(Length);
        for (var t = 1; t <= Steps; t++)
        {
            if (momenta is not null)
            {
                ((IReferenceWithMomentum)model).Momentum = momenta[t - 1];
            }

            model.Step(expected, gradients[t - 1], t);
        }

        AssertClose(expected, Run(path, inDouble(Length), initial, gradients, momenta), 1e-12);
        AssertClose(expected, Run(path, inFloat(Length), initial, gradients, momenta), 2e-5);
    }

    private static double[] Run<T>(VectorPath path, Optimizer<T> optimizer, double[] initial, double[][] gradients, double[]? momenta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var parameters = initial.Select(T.CreateTruncating).ToArray();
        using (SimdDispatch.Force(path))
        {
            for (var t = 0; t < gradients.Length; t++)
            {
                if (momenta is not null)
                {
                    SetMomentum(optimizer, momenta[t]);
                }

                optimizer.Step(parameters, gradients[t].Select(T.CreateTruncating).ToArray());
            }
        }

        Assert.Equal(gradients.Length, optimizer.StepCount);
        return parameters.Select(double.CreateTruncating).ToArray();
    }

    private static void SetMomentum<T>(Optimizer<T> optimizer, double momentum)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var group in optimizer.Groups)
        {
            group.Momentum = momentum;
        }
    }

    private static (double[] Initial, double[][] Gradients) Problem()
    {
        var random = new Random(1234);
        var initial = Enumerable.Range(0, Length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var gradients = Enumerable.Range(0, Steps)
            .Select(_ => Enumerable.Range(0, Length).Select(_ => (random.NextDouble() * 2) - 1).ToArray())
            .ToArray();
        return (initial, gradients);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2})");
        }
    }
}
