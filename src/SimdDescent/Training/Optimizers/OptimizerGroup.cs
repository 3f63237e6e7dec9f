namespace SimdDescent.Training.Optimizers;

/// <summary>
/// The live settings of one parameter group inside an optimizer. Schedules write
/// <see cref="LearningRate"/> from <see cref="InitialLearningRate"/> (as PyTorch's schedulers do
/// with <c>initial_lr</c>), so groups keep their ratios under any schedule; a momentum-cycling
/// schedule also writes <see cref="Momentum"/>.
/// </summary>
public sealed class OptimizerGroup
{
    private double _momentum;

    internal OptimizerGroup(string name, double learningRate, double weightDecay, bool isFrozen, MomentumKind momentumKind, double momentum)
    {
        Name = name;
        InitialLearningRate = learningRate;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        IsFrozen = isFrozen;
        MomentumKind = momentumKind;
        _momentum = momentum;
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

    /// <summary>What <see cref="Momentum"/> is: SGD's and RMSprop's μ, Adam's and AdamW's β₁, or nothing.</summary>
    public MomentumKind MomentumKind { get; }

    /// <summary>
    /// The momentum of the next step (μ or β₁, see <see cref="MomentumKind"/>; 0 when there is none),
    /// starting at the optimizer's setting. PyTorch's optimizers read it from the group every step too.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a group without momentum: its optimizer has no momentum buffer to drive.</exception>
    /// <exception cref="ArgumentOutOfRangeException">μ negative or not finite, or β₁ outside [0, 1).</exception>
    public double Momentum
    {
        get => _momentum;
        set
        {
            switch (MomentumKind)
            {
                case MomentumKind.Momentum:
                    Hyperparameter.NonNegative(value, nameof(Momentum));
                    break;
                case MomentumKind.Beta1:
                    Hyperparameter.DecayRate(value, nameof(Momentum));
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Group '{Name}' has no momentum to set; expected SGD or RMSprop built with Momentum > 0 (which allocates the momentum buffer), Adam or AdamW.");
            }

            _momentum = value;
        }
    }
}
