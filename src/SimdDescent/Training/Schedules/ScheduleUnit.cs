namespace SimdDescent.Training.Schedules;

/// <summary>What one schedule step is.</summary>
public enum ScheduleUnit
{
    /// <summary>The schedule advances after every epoch (PyTorch's usual <c>scheduler.step()</c> placement).</summary>
    Epoch,

    /// <summary>The schedule advances after every optimizer step (one-cycle, warmup in steps).</summary>
    Batch,
}
