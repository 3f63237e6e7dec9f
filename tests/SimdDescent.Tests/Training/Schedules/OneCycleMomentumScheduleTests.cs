using SimdDescent.Networks;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;
using SimdDescent.Training.Schedules;

namespace SimdDescent.Tests.Training.Schedules;

public sealed class OneCycleMomentumScheduleTests
{
    private const double Peak = 0.2;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rate_and_momentum_follow_pytorchs_phases_at_every_step(bool cosine)
    {
        const int total = 23;
        var schedule = new OneCycleSchedule(total, pctStart: 0.4, divFactor: 10, finalDivFactor: 100, cosineAnnealing: cosine, cycleMomentum: true, baseMomentum: 0.8, maxMomentum: 0.97);
        Assert.True(schedule.SchedulesMomentum);
        for (var step = 0; step < total; step++)
        {
            var (rate, momentum) = PyTorchOneCycle(step, total, 0.4, Peak, 10, 100, cosine, 0.8, 0.97);
            Assert.Equal(rate, schedule.LearningRate(Peak, step), 14);
            Assert.Equal(momentum, schedule.Momentum(step), 14);
        }
    }

    [Fact]
    public void Momentum_is_highest_at_the_ends_and_lowest_at_the_peak_rate()
    {
        // pctStart · totalSteps = 6, so the rate peaks at step 5 (PyTorch's end_step = 6 − 1).
        var schedule = new OneCycleSchedule(20, pctStart: 0.3, cycleMomentum: true);
        Assert.Equal(0.95, schedule.Momentum(0), 15);
        Assert.Equal(0.85, schedule.Momentum(5), 15);
        Assert.Equal(0.95, schedule.Momentum(19), 15);
        Assert.Equal(0.95, schedule.Momentum(30), 15);
        // Linear: halfway up the first phase (step 2.5 of 5) lies between steps 2 and 3; step 12 is halfway down (5 → 19).
        var linear = new OneCycleSchedule(20, pctStart: 0.3, cosineAnnealing: false, cycleMomentum: true);
        Assert.Equal(0.95 - (0.1 * 2 / 5), linear.Momentum(2), 15);
        Assert.Equal(0.90, linear.Momentum(12), 15);
        // Cosine: a quarter of the first phase (1.25 steps) is not a step; step 1 of 5 is cos(π/5) = (1 + √5)/4 along.
        var cosineOneFifth = 0.85 + (0.1 / 2 * (1 + ((1 + Math.Sqrt(5)) / 4)));
        Assert.Equal(cosineOneFifth, schedule.Momentum(1), 15);
    }

    [Fact]
    public void Momentum_cycling_is_opt_in()
    {
        var schedule = new OneCycleSchedule(20);
        Assert.False(schedule.SchedulesMomentum);
        Assert.False(((ILearningRateSchedule)new CosineAnnealingSchedule(5)).SchedulesMomentum);
        Assert.Throws<NotSupportedException>(() => ((ILearningRateSchedule)new CosineAnnealingSchedule(5)).Momentum(0));
    }

    [Fact]
    public void Warmup_holds_the_inner_start_momentum_then_passes_it_through()
    {
        var inner = new OneCycleSchedule(12, cycleMomentum: true);
        var warmed = new LinearWarmupSchedule(3, inner);
        Assert.True(warmed.SchedulesMomentum);
        for (var step = 0; step < 3; step++)
        {
            Assert.Equal(0.95, warmed.Momentum(step), 15);
        }

        for (var step = 3; step < 15; step++)
        {
            Assert.Equal(PyTorchOneCycle(step - 3, 12, 0.3, Peak, 25, 1e4, true, 0.85, 0.95).Momentum, warmed.Momentum(step), 14);
        }

        Assert.False(new LinearWarmupSchedule(3, new OneCycleSchedule(12)).SchedulesMomentum);
        Assert.Throws<NotSupportedException>(() => new LinearWarmupSchedule(3, new StepSchedule(2)).Momentum(0));
    }

    [Fact]
    public void Trainer_writes_the_momentum_into_every_sgd_group_before_each_step()
    {
        var (network, data) = Problem();
        var layout = ParameterLayout.For(network, new ParameterGroup("linear.bias") { LearningRate = 0.02 });
        var sgd = new Sgd<double>(layout, new SgdOptions { LearningRate = 0.1, Momentum = 0.5 });
        var options = new TrainerOptions
        {
            BatchSize = 10, Schedule = new OneCycleSchedule(8, cosineAnnealing: false, cycleMomentum: true), ScheduleUnit = ScheduleUnit.Batch,
        };
        using var trainer = new Trainer<double>(network, sgd, options);
        for (var step = 0; step < 8; step++)
        {
            trainer.TrainBatch(data, 0, 10);
            var expectedMomentum = PyTorchOneCycle(step, 8, 0.3, Peak, 25, 1e4, false, 0.85, 0.95).Momentum;
            Assert.All(sgd.Groups, group => Assert.Equal(expectedMomentum, group.Momentum, 15));
            Assert.Equal(PyTorchOneCycle(step, 8, 0.3, 0.1, 25, 1e4, false, 0.85, 0.95).Rate, sgd.Groups[0].LearningRate, 15);
            Assert.Equal(PyTorchOneCycle(step, 8, 0.3, 0.02, 25, 1e4, false, 0.85, 0.95).Rate, sgd.Groups[1].LearningRate, 15);
        }
    }

    [Fact]
    public void Trainer_writes_beta1_into_adam()
    {
        var (network, data) = Problem();
        var adam = new Adam<double>(network.ParameterCount, new AdamOptions());
        var options = new TrainerOptions { BatchSize = 10, Schedule = new OneCycleSchedule(6, cycleMomentum: true, baseMomentum: 0.6, maxMomentum: 0.9), ScheduleUnit = ScheduleUnit.Batch };
        using var trainer = new Trainer<double>(network, adam, options);
        for (var step = 0; step < 6; step++)
        {
            trainer.TrainBatch(data, 0, 10);
            Assert.Equal(PyTorchOneCycle(step, 6, 0.3, Peak, 25, 1e4, true, 0.6, 0.9).Momentum, adam.Groups[0].Momentum, 15);
        }
    }

    [Fact]
    public void Trainer_rejects_cycling_momentum_on_an_optimizer_without_one()
    {
        var (network, _) = Problem();
        var options = new TrainerOptions { Schedule = new LinearWarmupSchedule(2, new OneCycleSchedule(10, cycleMomentum: true)), BatchSize = 10 };
        var adagrad = Assert.Throws<ArgumentException>(() => new Trainer<double>(network, new Adagrad<double>(network.ParameterCount, new AdagradOptions()), options));
        Assert.Contains("Adagrad has no momentum", adagrad.Message, StringComparison.Ordinal);
        var plainSgd = Assert.Throws<ArgumentException>(() => new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions()), options));
        Assert.Contains("SGD or RMSprop built with Momentum > 0", plainSgd.Message, StringComparison.Ordinal);

        // Without cycling the same optimizers are fine.
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions()), options with { Schedule = new OneCycleSchedule(10) });
        trainer.TrainBatch(SyntheticData.Separable<double>(10, 0.05, 3), 0, 10);
        Assert.Equal(0.0, trainer.Optimizer.Groups[0].Momentum);
    }

    [Fact]
    public void Bad_momentum_settings_throw_naming_the_range()
    {
        Assert.Contains("baseMomentum ≤ maxMomentum", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleSchedule(10, baseMomentum: 0.96)).Message, StringComparison.Ordinal);
        Assert.Contains("baseMomentum in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleSchedule(10, baseMomentum: -0.1)).Message, StringComparison.Ordinal);
        Assert.Contains("maxMomentum in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleSchedule(10, maxMomentum: 1)).Message, StringComparison.Ordinal);
        Assert.Contains("maxMomentum in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleSchedule(10, maxMomentum: double.NaN)).Message, StringComparison.Ordinal);
        Assert.Contains("pctStart · totalSteps ≠ 1", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleSchedule(10, pctStart: 0.1)).Message, StringComparison.Ordinal);
        Assert.Equal(0.9, new OneCycleSchedule(10, baseMomentum: 0.9, maxMomentum: 0.9, cycleMomentum: true).Momentum(4), 15);
    }

    private static (LinearNetwork<double> Network, DataSet<double> Data) Problem()
    {
        var network = new LinearNetwork<double>(2, 2, 10, TargetKind.ClassLabels);
        network.Initialize(1);
        return (network, SyntheticData.Separable<double>(10, 0.05, 3));
    }

    /// <summary>
    /// PyTorch's <c>OneCycleLR.get_lr</c> (two phases) as written there: walk the phases, take the first whose
    /// end_step is at or after the step (or the last), and anneal rate and momentum by the same fraction.
    /// </summary>
    private static (double Rate, double Momentum) PyTorchOneCycle(
        int step, int totalSteps, double pctStart, double maxLr, double divFactor, double finalDivFactor, bool cosine, double baseMomentum, double maxMomentum)
    {
        var initialLr = maxLr / divFactor;
        var minLr = initialLr / finalDivFactor;
        (double EndStep, double StartLr, double EndLr, double StartMomentum, double EndMomentum)[] phases =
        [
            ((pctStart * totalSteps) - 1, initialLr, maxLr, maxMomentum, baseMomentum),
            (totalSteps - 1, maxLr, minLr, baseMomentum, maxMomentum),
        ];
        var startStep = 0.0;
        for (var i = 0; ; i++)
        {
            var phase = phases[i];
            if (step <= phase.EndStep || i == phases.Length - 1)
            {
                var pct = (step - startStep) / (phase.EndStep - startStep);
                return (Anneal(phase.StartLr, phase.EndLr, pct, cosine), Anneal(phase.StartMomentum, phase.EndMomentum, pct, cosine));
            }

            startStep = phase.EndStep;
        }
    }

    private static double Anneal(double start, double end, double pct, bool cosine) =>
        cosine ? end + ((start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)) : ((end - start) * pct) + start;
}
