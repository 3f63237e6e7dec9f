namespace SimdDescent.Training.Schedules;

/// <summary>
/// A learning-rate schedule in closed form: the rate at a given schedule step for a group that
/// started at a given rate (PyTorch's <c>initial_lr</c>). The trainer advances the step once per
/// batch or per epoch (see <see cref="ScheduleUnit"/>); metric-driven schedules also hear each
/// epoch's validation metric.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate at schedule step <paramref name="step"/> (0 = the start).</summary>
    double LearningRate(double initialLearningRate, int step);

    /// <summary>Tells a metric-driven schedule the latest monitored metric; others ignore it.</summary>
    void ReportMetric(double metric)
    {
    }
}
