namespace SimdDescent.Training.Schedules;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (two phases): the initial rate is the peak; the rate rises from
/// peak / divFactor to the peak over the first pctStart of totalSteps, then falls to
/// peak / (divFactor · finalDivFactor) by the last step, along a cosine (default) or a line.
/// Momentum cycling is not part of it.
/// </summary>
public sealed class OneCycleSchedule : ILearningRateSchedule
{
    private readonly int _totalSteps;
    private readonly double _pctStart;
    private readonly double _divFactor;
    private readonly double _finalDivFactor;
    private readonly bool _cosine;

    /// <summary>One cycle over <paramref name="totalSteps"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (pctStart in (0, 1), factors ≥ 1).</exception>
    public OneCycleSchedule(int totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4, bool cosineAnnealing = true)
    {
        if (totalSteps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "Expected at least 2 total steps.");
        }

        if (!(pctStart > 0 && pctStart < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "Expected pctStart in (0, 1).");
        }

        if (!(divFactor >= 1) || !(finalDivFactor >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(divFactor), "Expected divFactor and finalDivFactor ≥ 1.");
        }

        _totalSteps = totalSteps;
        _pctStart = pctStart;
        _divFactor = divFactor;
        _finalDivFactor = finalDivFactor;
        _cosine = cosineAnnealing;
    }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step)
    {
        var start = initialLearningRate / _divFactor;
        var end = start / _finalDivFactor;
        var peakStep = (_pctStart * _totalSteps) - 1;
        var lastStep = _totalSteps - 1.0;
        var t = Math.Min(step, lastStep);
        return t <= peakStep
            ? Anneal(start, initialLearningRate, t / peakStep)
            : Anneal(initialLearningRate, end, (t - peakStep) / (lastStep - peakStep));
    }

    private double Anneal(double from, double to, double fraction) =>
        _cosine ? to + ((from - to) / 2 * (Math.Cos(Math.PI * fraction) + 1)) : from + ((to - from) * fraction);
}
