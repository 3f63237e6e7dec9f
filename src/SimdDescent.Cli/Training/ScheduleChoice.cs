using SimdDescent.Training.Schedules;

namespace SimdDescent.Cli.Training;

/// <summary>The learning-rate schedule named on the command line, built for a run's length.</summary>
internal sealed record ScheduleChoice(string Name, int StepSize, double Gamma, bool CycleMomentum)
{
    public static readonly string[] Names = ["constant", "cosine", "step", "exponential", "onecycle"];

    /// <summary>The schedule and the unit it counts in; one-cycle follows batches, the others epochs.</summary>
    public (ILearningRateSchedule? Schedule, ScheduleUnit Unit) Create(int epochs, int batchesPerEpoch)
    {
        if (CycleMomentum && Name != "onecycle")
        {
            throw new UserError($"--cycle-momentum expects --schedule onecycle, got '{Name}'.");
        }

        return Name switch
        {
            "constant" => (null, ScheduleUnit.Epoch),
            "cosine" => (new CosineAnnealingSchedule(epochs), ScheduleUnit.Epoch),
            "step" => (new StepSchedule(StepSize, Gamma), ScheduleUnit.Epoch),
            "exponential" => (new ExponentialSchedule(Gamma), ScheduleUnit.Epoch),
            "onecycle" => (new OneCycleSchedule(epochs * batchesPerEpoch, cycleMomentum: CycleMomentum), ScheduleUnit.Batch),
            _ => throw new UserError($"Unknown schedule '{Name}'; expected one of: {string.Join(", ", Names)}."),
        };
    }
}
