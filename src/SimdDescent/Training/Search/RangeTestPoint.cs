namespace SimdDescent.Training.Search;

/// <summary>One step of a learning-rate range test.</summary>
/// <param name="LearningRate">The rate of the step.</param>
/// <param name="Loss">The batch loss.</param>
/// <param name="SmoothedLoss">The bias-corrected exponential moving average of the loss.</param>
public readonly record struct RangeTestPoint(double LearningRate, double Loss, double SmoothedLoss);
