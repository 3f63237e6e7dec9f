namespace SimdDescent.Training;

/// <summary>Stops training when the monitored loss stops improving.</summary>
public sealed class EarlyStoppingOptions
{
    /// <summary>Epochs without improvement before stopping (default 5).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>How much lower than the best a loss must be to count as an improvement (default 0).</summary>
    public double MinDelta { get; init; }

    /// <summary>Whether the parameters of the best epoch are restored when training ends (default true).</summary>
    public bool RestoreBestWeights { get; init; } = true;
}
