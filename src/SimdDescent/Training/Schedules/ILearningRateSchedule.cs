namespace SimdDescent.Training.Schedules;

/// <summary>
/// A learning-rate schedule in closed form: the rate at a given schedule step for a group that
/// started at a given rate (PyTorch's <c>initial_lr</c>). The trainer advances the step once per
/// batch or per epoch (see <see cref="ScheduleUnit"/>); metric-driven schedules also hear each
/// epoch's validation metric. A schedule may also set each group's momentum (SGD's and RMSprop's μ,
/// Adam's β₁), as PyTorch's <c>OneCycleLR</c> does with <c>cycle_momentum</c>.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate at schedule step <paramref name="step"/> (0 = the start).</summary>
    double LearningRate(double initialLearningRate, int step);

    /// <summary>Tells a metric-driven schedule the latest monitored metric; others ignore it.</summary>
    void ReportMetric(double metric)
    {
    }

    /// <summary>
    /// Whether the trainer should also write <see cref="Momentum"/> into every group's
    /// <see cref="Optimizers.OptimizerGroup.Momentum"/> (default false: momentum stays as the optimizer has it).
    /// </summary>
    bool SchedulesMomentum => false;

    /// <summary>The momentum at schedule step <paramref name="step"/>, the same for every group.</summary>
    /// <exception cref="NotSupportedException">The schedule has no momentum (see <see cref="SchedulesMomentum"/>).</exception>
    double Momentum(int step) =>
        throw new NotSupportedException($"{GetType().Name} schedules no momentum; check SchedulesMomentum before asking for it.");
}
