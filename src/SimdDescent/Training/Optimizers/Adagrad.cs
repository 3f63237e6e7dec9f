using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Training.Optimizers.Rules;

namespace SimdDescent.Training.Optimizers;

/// <summary>Adagrad, following <c>torch.optim.Adagrad</c>. State: <c>sum</c>, the running sum of squared gradients.</summary>
public sealed class Adagrad<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly AdagradOptions _options;

    /// <summary>Adagrad over one group of <paramref name="parameterCount"/> parameters.</summary>
    public Adagrad(int parameterCount, AdagradOptions options)
        : this(ParameterLayout.Single(parameterCount), options)
    {
    }

    /// <summary>Adagrad over a layout with parameter groups.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative or epsilon is not positive.</exception>
    public Adagrad(ParameterLayout layout, AdagradOptions options)
        : base(layout, Validated(options).LearningRate, options.WeightDecay, "sum")
    {
        _options = options;
        GetState(0).Fill(Convert(options.InitialAccumulatorValue));
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2, OptimizerGroup group)
    {
        var learningRate = group.LearningRate / (1 + ((StepCount - 1) * _options.LearningRateDecay));
        var rule = new AdagradRule<T>(Convert(-learningRate), Convert(_options.Epsilon), Convert(group.WeightDecay));
        Blas.Update(rule, parameters, gradients, state0, state1, state2);
    }

    private static AdagradOptions Validated(AdagradOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Hyperparameter.NonNegative(options.LearningRateDecay, nameof(options.LearningRateDecay));
        Hyperparameter.NonNegative(options.InitialAccumulatorValue, nameof(options.InitialAccumulatorValue));
        Hyperparameter.Positive(options.Epsilon, nameof(options.Epsilon));
        return options;
    }
}
