using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Training.Optimizers.Rules;

namespace SimdDescent.Training.Optimizers;

/// <summary>
/// RMSprop with optional momentum and centering, following <c>torch.optim.RMSprop</c>. State:
/// <c>square_avg</c>, <c>grad_avg</c> when centered, <c>momentum_buffer</c> when momentum is used.
/// </summary>
public sealed class RmsProp<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly RmsPropOptions _options;

    /// <summary>RMSprop over one group of <paramref name="parameterCount"/> parameters.</summary>
    public RmsProp(int parameterCount, RmsPropOptions options)
        : this(ParameterLayout.Single(parameterCount), options)
    {
    }

    /// <summary>RMSprop over a layout with parameter groups.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Alpha is outside [0, 1), epsilon is not positive or momentum is negative.</exception>
    public RmsProp(ParameterLayout layout, RmsPropOptions options)
        : base(layout, Validated(options).LearningRate, options.WeightDecay, BufferedMomentumKind(options.Momentum), options.Momentum, StateNamesFor(options))
    {
        _options = options;
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2, OptimizerGroup group)
    {
        var rule = new RmsPropRule<T>(
            Convert(-group.LearningRate),
            Convert(_options.Alpha),
            Convert(_options.Epsilon),
            Convert(group.WeightDecay),
            Convert(group.Momentum),
            _options.Centered);
        Blas.Update(rule, parameters, gradients, state0, state1, state2);
    }

    private static string[] StateNamesFor(RmsPropOptions options) =>
        [
            "square_avg",
            .. options.Centered ? ["grad_avg"] : Array.Empty<string>(),
            .. options.Momentum != 0 ? ["momentum_buffer"] : Array.Empty<string>(),
        ];

    private static RmsPropOptions Validated(RmsPropOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Hyperparameter.DecayRate(options.Alpha, nameof(options.Alpha));
        Hyperparameter.Positive(options.Epsilon, nameof(options.Epsilon));
        Hyperparameter.NonNegative(options.Momentum, nameof(options.Momentum));
        return options;
    }
}
