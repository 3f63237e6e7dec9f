namespace SimdDescent.Training.Search;

/// <summary>The curve of a learning-rate range test and the rate it suggests.</summary>
/// <param name="Points">One point per step, rates increasing.</param>
/// <param name="SuggestedLearningRate">A tenth of the rate with the lowest smoothed loss.</param>
/// <param name="Diverged">Whether the test stopped because the loss blew up.</param>
public sealed record RangeTestResult(IReadOnlyList<RangeTestPoint> Points, double SuggestedLearningRate, bool Diverged);
