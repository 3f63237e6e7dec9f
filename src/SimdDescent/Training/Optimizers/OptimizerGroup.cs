namespace SimdDescent.Training.Optimizers;

/// <summary>
/// The live settings of one parameter group inside an optimizer. Schedules write
/// <see cref="LearningRate"/> from <see cref="InitialLearningRate"/> (as PyTorch's schedulers do
/// with <c>initial_lr</c>), so groups keep their ratios under any schedule.
/// </summary>
public sealed class OptimizerGroup
{
    internal OptimizerGroup(string name, double learningRate, double weightDecay, bool isFrozen)
    {
        Name = name;
        InitialLearningRate = learningRate;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        IsFrozen = isFrozen;
    }

    /// <summary><c>default</c>, or the group's tensor names joined by commas.</summary>
    public string Name { get; }

    /// <summary>The learning rate the group started with; schedules are relative to it.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The learning rate of the next step.</summary>
    public double LearningRate { get; set; }

    /// <summary>The weight decay of the next step.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Whether the next step leaves the group's parameters and state unchanged.</summary>
    public bool IsFrozen { get; set; }
}
