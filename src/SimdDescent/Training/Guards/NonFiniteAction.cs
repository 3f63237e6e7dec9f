namespace SimdDescent.Training.Guards;

/// <summary>What the trainer does when a loss or gradient is NaN or infinite.</summary>
public enum NonFiniteAction
{
    /// <summary>Stop training with a <see cref="NonFiniteValueException"/> naming the step and the tensor.</summary>
    Throw,

    /// <summary>Leave the parameters and optimizer state untouched for this step and go on.</summary>
    SkipStep,
}
