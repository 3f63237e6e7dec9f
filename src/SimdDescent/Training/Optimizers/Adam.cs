using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Training.Optimizers.Rules;

namespace SimdDescent.Training.Optimizers;

/// <summary>
/// Adam with bias correction and optional AMSGrad, following <c>torch.optim.Adam</c>; weight decay is
/// an L2 penalty added to the gradient (see <see cref="AdamW{T}"/> for decoupled decay). State:
/// <c>exp_avg</c>, <c>exp_avg_sq</c>, and <c>max_exp_avg_sq</c> with AMSGrad.
/// </summary>
public class Adam<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly AdamOptions _options;
    private readonly bool _decoupled;

    /// <summary>Adam over one group of <paramref name="parameterCount"/> parameters.</summary>
    public Adam(int parameterCount, AdamOptions options)
        : this(ParameterLayout.Single(parameterCount), options)
    {
    }

    /// <summary>Adam over a layout with parameter groups.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A beta is outside [0, 1) or epsilon is not positive.</exception>
    public Adam(ParameterLayout layout, AdamOptions options)
        : this(layout, options, decoupled: false)
    {
    }

    /// <summary>For <see cref="AdamW{T}"/>: the same optimizer with decoupled weight decay.</summary>
    private protected Adam(ParameterLayout layout, AdamOptions options, bool decoupled)
        : base(
            layout,
            Validated(options).LearningRate,
            options.WeightDecay,
            MomentumKind.Beta1,
            options.Beta1,
            options.AmsGrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"])
    {
        _options = options;
        _decoupled = decoupled;
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2, OptimizerGroup group)
    {
        var step = (double)StepCount;
        // β₁ comes from the group, as a schedule may cycle it; the bias correction uses the current value, as PyTorch's does.
        var beta1 = group.Momentum;
        var firstCorrection = 1 - Math.Pow(beta1, step);
        var secondCorrection = 1 - Math.Pow(_options.Beta2, step);
        var rule = new AdamRule<T>(
            Convert(-group.LearningRate / firstCorrection),
            Convert(1 / Math.Sqrt(secondCorrection)),
            Convert(beta1),
            Convert(_options.Beta2),
            Convert(_options.Epsilon),
            Convert(_decoupled ? 0 : group.WeightDecay),
            Convert(_decoupled ? 1 - (group.LearningRate * group.WeightDecay) : 1),
            _options.AmsGrad);
        Blas.Update(rule, parameters, gradients, state0, state1, state2);
    }

    private static AdamOptions Validated(AdamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Hyperparameter.DecayRate(options.Beta1, nameof(options.Beta1));
        Hyperparameter.DecayRate(options.Beta2, nameof(options.Beta2));
        Hyperparameter.Positive(options.Epsilon, nameof(options.Epsilon));
        return options;
    }
}
