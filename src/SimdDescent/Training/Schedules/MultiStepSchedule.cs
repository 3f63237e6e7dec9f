namespace SimdDescent.Training.Schedules;

/// <summary>PyTorch's <c>MultiStepLR</c>: γ₀ · gamma^(number of milestones ≤ t).</summary>
public sealed class MultiStepSchedule : ILearningRateSchedule
{
    private readonly int[] _milestones;
    private readonly double _gamma;

    /// <summary>Multiplies the rate by <paramref name="gamma"/> at each milestone step.</summary>
    /// <exception cref="ArgumentException">The milestones are not strictly increasing positive steps.</exception>
    public MultiStepSchedule(IEnumerable<int> milestones, double gamma = 0.1)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        ScheduleArguments.Factor(gamma, nameof(gamma));
        _milestones = [.. milestones];
        for (var i = 0; i < _milestones.Length; i++)
        {
            if (_milestones[i] <= 0 || (i > 0 && _milestones[i] <= _milestones[i - 1]))
            {
                throw new ArgumentException($"Expected strictly increasing positive milestones, got [{string.Join(", ", _milestones)}].", nameof(milestones));
            }
        }

        _gamma = gamma;
    }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step)
    {
        var passed = 0;
        while (passed < _milestones.Length && _milestones[passed] <= step)
        {
            passed++;
        }

        return initialLearningRate * Math.Pow(_gamma, passed);
    }
}
