using SimdDescent.Training.Schedules;

namespace SimdDescent.Tests.Training.Schedules;

public sealed class ReduceOnPlateauScheduleTests
{
    [Theory]
    [InlineData(false, ThresholdMode.Relative)]
    [InlineData(false, ThresholdMode.Absolute)]
    [InlineData(true, ThresholdMode.Relative)]
    [InlineData(true, ThresholdMode.Absolute)]
    public void Every_group_follows_pytorchs_reduce_lr_on_plateau(bool maximize, ThresholdMode mode)
    {
        double[] initialRates = [0.3, 0.05, 0.011, 1e-8];
        var schedule = new ReduceOnPlateauSchedule(factor: 0.5, patience: 2, threshold: 0.05, cooldown: 2, minimumLearningRate: 0.01, maximize: maximize, thresholdMode: mode);
        var reference = new PyTorchReduceOnPlateau(initialRates, 0.5, 2, 0.05, mode == ThresholdMode.Relative, 2, 0.01, maximize, 1e-8);
        var random = new Random(7);
        var metric = 1.0;
        for (var epoch = 0; epoch < 120; epoch++)
        {
            // A noisy walk that mostly stalls, so improvements by more or less than the threshold both occur.
            metric += (random.NextDouble() - (maximize ? 0.45 : 0.55)) * 0.08;
            schedule.ReportMetric(metric);
            reference.Step(metric);
            for (var g = 0; g < initialRates.Length; g++)
            {
                Assert.Equal(reference.Rates[g], schedule.LearningRate(initialRates[g], epoch));
            }
        }

        Assert.True(schedule.Reductions >= 3, $"the walk should plateau a few times, got {schedule.Reductions} reductions");
    }

    [Fact]
    public void Absolute_threshold_counts_a_small_gain_on_a_large_metric_that_relative_does_not()
    {
        // Best 10; 9.5 is 0.5 better: more than the absolute 0.1, less than the relative 10 · 0.1 = 1.
        var relative = new ReduceOnPlateauSchedule(factor: 0.5, patience: 0, threshold: 0.1);
        var absolute = new ReduceOnPlateauSchedule(factor: 0.5, patience: 0, threshold: 0.1, thresholdMode: ThresholdMode.Absolute);
        foreach (var metric in (double[])[10, 9.5])
        {
            relative.ReportMetric(metric);
            absolute.ReportMetric(metric);
        }

        Assert.Equal((1, 0.1), (relative.Reductions, relative.LearningRate(0.2, 0)));
        Assert.Equal((0, 0.2), (absolute.Reductions, absolute.LearningRate(0.2, 0)));

        // Maximizing, the thresholds add: 10.5 beats 10 + 0.1 but not 10 · 1.1.
        var relativeUp = new ReduceOnPlateauSchedule(patience: 0, threshold: 0.1, maximize: true);
        var absoluteUp = new ReduceOnPlateauSchedule(patience: 0, threshold: 0.1, maximize: true, thresholdMode: ThresholdMode.Absolute);
        foreach (var metric in (double[])[10, 10.5])
        {
            relativeUp.ReportMetric(metric);
            absoluteUp.ReportMetric(metric);
        }

        Assert.Equal(1, relativeUp.Reductions);
        Assert.Equal(0, absoluteUp.Reductions);

        // On a small metric it is the other way round: 0.5 → 0.46 gains 0.04, more than 0.5 · 0.05 but less than 0.05.
        var relativeSmall = new ReduceOnPlateauSchedule(patience: 0, threshold: 0.05);
        var absoluteSmall = new ReduceOnPlateauSchedule(patience: 0, threshold: 0.05, thresholdMode: ThresholdMode.Absolute);
        foreach (var metric in (double[])[0.5, 0.46])
        {
            relativeSmall.ReportMetric(metric);
            absoluteSmall.ReportMetric(metric);
        }

        Assert.Equal(0, relativeSmall.Reductions);
        Assert.Equal(1, absoluteSmall.Reductions);
    }

    [Fact]
    public void Epsilon_skips_reductions_too_small_to_matter_per_group()
    {
        var schedule = new ReduceOnPlateauSchedule(factor: 0.5, patience: 0, epsilon: 1e-3);
        schedule.ReportMetric(1);
        schedule.ReportMetric(1);
        Assert.Equal(1, schedule.Reductions);
        Assert.Equal(0.1, schedule.LearningRate(0.2, 0), 15);
        // 0.0015 → 0.00075 would move the rate by 0.00075 ≤ 1e-3: skipped, here and at every later plateau.
        Assert.Equal(0.0015, schedule.LearningRate(0.0015, 0));
        schedule.ReportMetric(1);
        schedule.ReportMetric(1);
        Assert.Equal(3, schedule.Reductions);
        Assert.Equal(0.025, schedule.LearningRate(0.2, 0), 15);
        Assert.Equal(0.0015, schedule.LearningRate(0.0015, 0));

        // The default epsilon of 1e-8 keeps tiny rates tiny but unchanged, as PyTorch does.
        var byDefault = new ReduceOnPlateauSchedule(factor: 0.5, patience: 0);
        byDefault.ReportMetric(1);
        byDefault.ReportMetric(1);
        Assert.Equal(1.5e-8, byDefault.LearningRate(1.5e-8, 0));
        Assert.Equal(1e-7, byDefault.LearningRate(2e-7, 0));
    }

    [Fact]
    public void Cooldown_ignores_bad_reports_after_a_reduction()
    {
        var schedule = new ReduceOnPlateauSchedule(factor: 0.5, patience: 1, cooldown: 3);
        // 1 is best; two bad reports exceed the patience of 1 and reduce; the next three are cooldown; then two more reduce again.
        int[] expectedReductions = [0, 0, 1, 1, 1, 1, 1, 2];
        for (var i = 0; i < expectedReductions.Length; i++)
        {
            schedule.ReportMetric(i == 0 ? 1 : 2);
            Assert.Equal(expectedReductions[i], schedule.Reductions);
        }

        // An improvement during cooldown still becomes the new best: against 0.5, the 0.6s after the cooldown are bad.
        foreach (var metric in (double[])[0.5, 0.6, 0.6, 0.6])
        {
            schedule.ReportMetric(metric);
        }

        Assert.Equal(2, schedule.Reductions);
        schedule.ReportMetric(0.6);
        Assert.Equal(3, schedule.Reductions);
    }

    [Fact]
    public void Minimum_rate_is_a_floor_and_never_raises_a_lower_rate()
    {
        var schedule = new ReduceOnPlateauSchedule(factor: 0.5, patience: 0, minimumLearningRate: 0.04);
        Assert.Equal(0.01, schedule.LearningRate(0.01, 0));
        for (var i = 0; i < 10; i++)
        {
            schedule.ReportMetric(1);
        }

        Assert.Equal(9, schedule.Reductions);
        Assert.Equal(0.04, schedule.LearningRate(0.05, 0));
        Assert.Equal(0.04, schedule.LearningRate(0.2, 0));
        Assert.Equal(0.01, schedule.LearningRate(0.01, 0));
    }

    [Fact]
    public void Bad_settings_throw_naming_the_range()
    {
        Assert.Contains("factor in (0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateauSchedule(factor: 1)).Message, StringComparison.Ordinal);
        Assert.Contains("epsilon to be finite and ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateauSchedule(epsilon: -1e-8)).Message, StringComparison.Ordinal);
        Assert.Contains("threshold to be finite and ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateauSchedule(threshold: -0.1)).Message, StringComparison.Ordinal);
        var mode = Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateauSchedule(thresholdMode: (ThresholdMode)7));
        Assert.Contains("ThresholdMode.Relative or ThresholdMode.Absolute", mode.Message, StringComparison.Ordinal);
        Assert.Equal("thresholdMode", mode.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateauSchedule(patience: -1));
    }

    /// <summary>
    /// <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c> as written there: each group's current rate is kept and
    /// multiplied in place (<c>_reduce_lr</c>), <c>is_better</c> per mode, bad epochs zeroed during cooldown.
    /// </summary>
    private sealed class PyTorchReduceOnPlateau(
        double[] rates, double factor, int patience, double threshold, bool relative, int cooldown, double minLr, bool maximize, double eps)
    {
        private double _best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        private int _badEpochs;
        private int _cooldownCounter;

        public double[] Rates { get; } = [.. rates];

        public void Step(double current)
        {
            if (IsBetter(current))
            {
                _best = current;
                _badEpochs = 0;
            }
            else
            {
                _badEpochs += 1;
            }

            if (_cooldownCounter > 0)
            {
                _cooldownCounter -= 1;
                _badEpochs = 0;
            }

            if (_badEpochs > patience)
            {
                for (var i = 0; i < Rates.Length; i++)
                {
                    var oldLr = Rates[i];
                    var newLr = Math.Max(oldLr * factor, minLr);
                    if (oldLr - newLr > eps)
                    {
                        Rates[i] = newLr;
                    }
                }

                _cooldownCounter = cooldown;
                _badEpochs = 0;
            }
        }

        private bool IsBetter(double a) => (maximize, relative) switch
        {
            (false, true) => a < _best * (1.0 - threshold),
            (false, false) => a < _best - threshold,
            (true, true) => a > _best * (threshold + 1.0),
            (true, false) => a > _best + threshold,
        };
    }
}
