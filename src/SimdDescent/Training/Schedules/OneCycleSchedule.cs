namespace SimdDescent.Training.Schedules;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (two phases): the initial rate is the peak; the rate rises from
/// peak / divFactor to the peak over steps 0 … pctStart · totalSteps − 1, then falls to
/// peak / (divFactor · finalDivFactor) at step totalSteps − 1, along a cosine (default) or a line,
/// and stays there after it (where PyTorch raises).
/// </summary>
/// <remarks>
/// With <c>cycleMomentum</c> the momentum moves the other way over the same phases and with the same
/// annealing: from maxMomentum down to baseMomentum while the rate rises, back up while it falls. The
/// trainer writes it into every group: μ for SGD and RMSprop, β₁ for Adam and AdamW; an optimizer without
/// momentum (Adagrad, or SGD and RMSprop built with momentum 0) is rejected when the trainer is built.
/// <para>
/// Unlike PyTorch, where <c>cycle_momentum</c> defaults to true, cycling is opt-in here: this schedule
/// shipped without it, and turning it on by default would silently change every existing run (Adam's β₁
/// of 0.9 would swing between 0.95 and 0.85; SGD with momentum 0.9 likewise) and reject SGD without
/// momentum, which PyTorch would quietly switch to 0.85–0.95. Pass <c>cycleMomentum: true</c> to get
/// PyTorch's behaviour, with its defaults of 0.85 and 0.95.
/// </para>
/// </remarks>
public sealed class OneCycleSchedule : ILearningRateSchedule
{
    private readonly int _totalSteps;
    private readonly double _pctStart;
    private readonly double _divFactor;
    private readonly double _finalDivFactor;
    private readonly bool _cosine;
    private readonly double _baseMomentum;
    private readonly double _maxMomentum;

    /// <summary>One cycle over <paramref name="totalSteps"/> steps; momentum cycles only with <paramref name="cycleMomentum"/>.</summary>
    /// <param name="totalSteps">The steps of the cycle (at least 2).</param>
    /// <param name="pctStart">The fraction of the steps spent raising the rate, in (0, 1).</param>
    /// <param name="divFactor">The start rate is the peak divided by this (≥ 1).</param>
    /// <param name="finalDivFactor">The final rate is the start rate divided by this (≥ 1).</param>
    /// <param name="cosineAnnealing">Cosine (default) or linear annealing, for the rate and the momentum.</param>
    /// <param name="cycleMomentum">Whether the schedule also drives each group's momentum (default false; see the remarks).</param>
    /// <param name="baseMomentum">The momentum at the peak rate (default 0.85), in [0, 1).</param>
    /// <param name="maxMomentum">The momentum at the start and the end (default 0.95), in [baseMomentum, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public OneCycleSchedule(
        int totalSteps,
        double pctStart = 0.3,
        double divFactor = 25,
        double finalDivFactor = 1e4,
        bool cosineAnnealing = true,
        bool cycleMomentum = false,
        double baseMomentum = 0.85,
        double maxMomentum = 0.95)
    {
        if (totalSteps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "Expected at least 2 total steps.");
        }

        if (!(pctStart > 0 && pctStart < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "Expected pctStart in (0, 1).");
        }

        // The rising phase would end at step 0 and have no length (PyTorch divides by zero there).
        if (pctStart * totalSteps == 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"Expected pctStart · totalSteps ≠ 1, got {pctStart} · {totalSteps}.");
        }

        if (!(divFactor >= 1) || !(finalDivFactor >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(divFactor), "Expected divFactor and finalDivFactor ≥ 1.");
        }

        Hyperparameter.DecayRate(baseMomentum, nameof(baseMomentum));
        Hyperparameter.DecayRate(maxMomentum, nameof(maxMomentum));
        if (baseMomentum > maxMomentum)
        {
            throw new ArgumentOutOfRangeException(
                nameof(baseMomentum), baseMomentum, $"Expected baseMomentum ≤ maxMomentum, got {baseMomentum} > {maxMomentum}.");
        }

        _totalSteps = totalSteps;
        _pctStart = pctStart;
        _divFactor = divFactor;
        _finalDivFactor = finalDivFactor;
        _cosine = cosineAnnealing;
        SchedulesMomentum = cycleMomentum;
        _baseMomentum = baseMomentum;
        _maxMomentum = maxMomentum;
    }

    /// <summary>Whether the momentum cycles (the constructor's <c>cycleMomentum</c>).</summary>
    public bool SchedulesMomentum { get; }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step)
    {
        var start = initialLearningRate / _divFactor;
        var (rising, fraction) = Phase(step);
        return rising
            ? Anneal(start, initialLearningRate, fraction)
            : Anneal(initialLearningRate, start / _finalDivFactor, fraction);
    }

    /// <summary>The cycled momentum at <paramref name="step"/>, whether or not <see cref="SchedulesMomentum"/> applies it.</summary>
    public double Momentum(int step)
    {
        var (rising, fraction) = Phase(step);
        return rising ? Anneal(_maxMomentum, _baseMomentum, fraction) : Anneal(_baseMomentum, _maxMomentum, fraction);
    }

    /// <summary>Which phase <paramref name="step"/> is in and how far along it, as PyTorch's <c>get_lr</c> computes them.</summary>
    private (bool Rising, double Fraction) Phase(int step)
    {
        var peakStep = (_pctStart * _totalSteps) - 1;
        var lastStep = _totalSteps - 1.0;
        var t = Math.Min(step, lastStep);
        return t <= peakStep ? (true, t / peakStep) : (false, (t - peakStep) / (lastStep - peakStep));
    }

    private double Anneal(double from, double to, double fraction) =>
        _cosine ? to + ((from - to) / 2 * (Math.Cos(Math.PI * fraction) + 1)) : from + ((to - from) * fraction);
}
