using SimdDescent.Training.Schedules;

namespace SimdDescent.Tests.Training.Schedules;

public sealed class ScheduleTests
{
    private const double Initial = 0.2;

    [Fact]
    public void Constant_keeps_the_initial_rate() =>
        Assert.All(Enumerable.Range(0, 50), t => Assert.Equal(Initial, new ConstantSchedule().LearningRate(Initial, t)));

    [Fact]
    public void Step_multiplies_by_gamma_every_step_size()
    {
        var schedule = new StepSchedule(stepSize: 3, gamma: 0.5);
        double[] expected = [0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025];
        for (var t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], schedule.LearningRate(Initial, t), 15);
        }
    }

    [Fact]
    public void MultiStep_multiplies_at_each_milestone()
    {
        var schedule = new MultiStepSchedule([2, 5], gamma: 0.1);
        double[] expected = [0.2, 0.2, 0.02, 0.02, 0.02, 0.002, 0.002];
        for (var t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], schedule.LearningRate(Initial, t), 15);
        }

        Assert.Throws<ArgumentException>(() => new MultiStepSchedule([5, 2]));
    }

    [Fact]
    public void Exponential_is_a_geometric_sequence()
    {
        var schedule = new ExponentialSchedule(0.9);
        var expected = Initial;
        for (var t = 0; t < 20; t++)
        {
            Assert.Equal(expected, schedule.LearningRate(Initial, t), 14);
            expected *= 0.9;
        }
    }

    [Fact]
    public void Cosine_annealing_follows_half_a_cosine_and_holds_the_minimum()
    {
        var schedule = new CosineAnnealingSchedule(maxSteps: 10, minimumLearningRate: 0.01);
        Assert.Equal(Initial, schedule.LearningRate(Initial, 0), 15);
        Assert.Equal((Initial + 0.01) / 2, schedule.LearningRate(Initial, 5), 15);
        Assert.Equal(0.01, schedule.LearningRate(Initial, 10), 15);
        Assert.Equal(0.01, schedule.LearningRate(Initial, 14), 15);
        // cos(π/5) = (1 + √5)/4, the golden ratio over two.
        Assert.Equal(0.01 + (0.19 * (1 + ((1 + Math.Sqrt(5)) / 4)) / 2), schedule.LearningRate(Initial, 2), 14);
    }

    [Fact]
    public void Warmup_rises_linearly_then_hands_over_from_step_zero()
    {
        var schedule = new LinearWarmupSchedule(4, new StepSchedule(2, 0.5), startFactor: 0.2);
        double[] expected = [0.04, 0.08, 0.12, 0.16, 0.2, 0.2, 0.1, 0.1, 0.05];
        for (var t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], schedule.LearningRate(Initial, t), 14);
        }
    }

    [Fact]
    public void One_cycle_starts_low_peaks_at_pct_start_and_ends_at_the_final_rate()
    {
        var schedule = new OneCycleSchedule(totalSteps: 101, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4);
        var peakStep = (0.3 * 101) - 1;
        Assert.Equal(Initial / 25, schedule.LearningRate(Initial, 0), 15);
        Assert.Equal(Initial / 25 / 1e4, schedule.LearningRate(Initial, 100), 15);
        Assert.True(schedule.LearningRate(Initial, 29) > schedule.LearningRate(Initial, 28));
        Assert.True(schedule.LearningRate(Initial, 31) < schedule.LearningRate(Initial, 30));
        var t = 15;
        var expectedRising = Initial + (((Initial / 25) - Initial) / 2 * (1 + Math.Cos(Math.PI * t / peakStep)));
        Assert.Equal(expectedRising, schedule.LearningRate(Initial, t), 14);
        var linear = new OneCycleSchedule(totalSteps: 11, pctStart: 0.5, divFactor: 10, finalDivFactor: 2, cosineAnnealing: false);
        // Peak at step 4.5; step 7 is (7 − 4.5)/(10 − 4.5) of the way from 0.2 down to 0.01.
        Assert.Equal(0.2 + ((0.01 - 0.2) * 2.5 / 5.5), linear.LearningRate(Initial, 7), 14);
    }

    [Fact]
    public void Reduce_on_plateau_waits_out_patience_then_reduces_with_cooldown_and_floor()
    {
        var schedule = new ReduceOnPlateauSchedule(factor: 0.5, patience: 2, cooldown: 1, minimumLearningRate: 0.04);
        double[] metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95];
        // Bad reports after the best (0.9): 1, 2, 3 → reduce (0.1); cooldown swallows one; then 1, 2, 3 → reduce (0.05) ...
        double[] expected = [0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05];
        for (var i = 0; i < metrics.Length; i++)
        {
            schedule.ReportMetric(metrics[i]);
            Assert.Equal(expected[i], schedule.LearningRate(Initial, i), 15);
        }

        for (var i = 0; i < 20; i++)
        {
            schedule.ReportMetric(1);
        }

        Assert.Equal(0.04, schedule.LearningRate(Initial, 0), 15);
    }

    [Fact]
    public void Warmup_forwards_metrics_to_the_schedule_after_it()
    {
        var plateau = new ReduceOnPlateauSchedule(patience: 0);
        var schedule = new LinearWarmupSchedule(1, plateau);
        schedule.ReportMetric(1);
        schedule.ReportMetric(2);
        Assert.Equal(1, plateau.Reductions);
    }
}
