namespace SimdDescent.Training.Schedules;

/// <summary>How <see cref="ReduceOnPlateauSchedule"/> decides that a metric improved (PyTorch's <c>threshold_mode</c>).</summary>
public enum ThresholdMode
{
    /// <summary>Better than best · (1 − threshold) when minimizing, best · (1 + threshold) when maximizing (PyTorch's <c>'rel'</c>, the default).</summary>
    Relative,

    /// <summary>Better than best − threshold when minimizing, best + threshold when maximizing (PyTorch's <c>'abs'</c>).</summary>
    Absolute,
}
