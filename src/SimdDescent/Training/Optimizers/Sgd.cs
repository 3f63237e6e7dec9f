using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Training.Optimizers.Rules;

namespace SimdDescent.Training.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay,
/// following <c>torch.optim.SGD</c>. State: <c>momentum_buffer</c> when momentum is used.
/// </summary>
public sealed class Sgd<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly SgdOptions _options;

    /// <summary>SGD over one group of <paramref name="parameterCount"/> parameters.</summary>
    public Sgd(int parameterCount, SgdOptions options)
        : this(ParameterLayout.Single(parameterCount), options)
    {
    }

    /// <summary>SGD over a layout with parameter groups.</summary>
    /// <exception cref="ArgumentException">Nesterov without momentum or with dampening; a setting out of range.</exception>
    public Sgd(ParameterLayout layout, SgdOptions options)
        : base(layout, Validated(options).LearningRate, options.WeightDecay, BufferedMomentumKind(options.Momentum), options.Momentum, options.Momentum != 0 ? ["momentum_buffer"] : [])
    {
        _options = options;
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2, OptimizerGroup group)
    {
        var rule = new SgdRule<T>(
            Convert(-group.LearningRate),
            Convert(group.WeightDecay),
            Convert(group.Momentum),
            Convert(1 - _options.Dampening),
            _options.Nesterov,
            firstStep: StepCount == 1);
        Blas.Update(rule, parameters, gradients, state0, state1, state2);
    }

    private static SgdOptions Validated(SgdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Hyperparameter.NonNegative(options.Momentum, nameof(options.Momentum));
        Hyperparameter.NonNegative(options.Dampening, nameof(options.Dampening));
        if (options.Nesterov && (options.Momentum <= 0 || options.Dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum expects Momentum > 0 and Dampening = 0.", nameof(options));
        }

        return options;
    }
}
