using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// PyTorch's SGD: g ← g + λθ; with momentum μ, b ← g on the first step, else b ← μb + (1 − τ)g, and
/// g ← g + μb (Nesterov) or g ← b; then θ ← θ − γg. State slot 0 is the momentum buffer, flushed to zero
/// when subnormal.
/// </summary>
internal readonly struct SgdRule<T>(T negativeLearningRate, T weightDecay, T momentum, T oneMinusDampening, bool nesterov, bool firstStep)
    : IUpdateOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Tested once per register: a flag is one integer test, a float compare against zero three instructions.
    private readonly bool _decays = weightDecay != T.Zero;
    private readonly bool _hasMomentum = momentum != T.Zero;

    public int StateCount => _hasMomentum ? 1 : 0;

    public void Update<TWidth, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var g = _decays ? TWidth.MultiplyAdd(TWidth.Broadcast(weightDecay), parameter, gradient) : gradient;
        if (_hasMomentum)
        {
            var mu = TWidth.Broadcast(momentum);
            state0 = TWidth.FlushSubnormals(firstStep ? g : TWidth.MultiplyAdd(mu, state0, TWidth.Multiply(TWidth.Broadcast(oneMinusDampening), g)));
            g = nesterov ? TWidth.MultiplyAdd(mu, state0, g) : state0;
        }

        parameter = TWidth.MultiplyAdd(TWidth.Broadcast(negativeLearningRate), g, parameter);
    }
}
