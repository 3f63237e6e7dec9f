using System.Numerics;
using SimdDescent.Training.Optimizers.Lanes;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// PyTorch's SGD: g ← g + λθ; with momentum μ, b ← g on the first step, else b ← μb + (1 − τ)g, and
/// g ← g + μb (Nesterov) or g ← b; then θ ← θ − γg. State slot 0 is the momentum buffer, flushed to zero
/// when subnormal.
/// </summary>
internal readonly struct SgdRule<T>(T negativeLearningRate, T weightDecay, T momentum, T oneMinusDampening, bool nesterov, bool firstStep)
    : IUpdateRule<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Tested once per register: a flag is one integer test, a float compare against zero three instructions.
    private readonly bool _decays = weightDecay != T.Zero;
    private readonly bool _hasMomentum = momentum != T.Zero;

    public int StateCount => _hasMomentum ? 1 : 0;

    public void Update<TLanes, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TLanes : struct, ILanes<T, TVector>
        where TVector : struct
    {
        var g = _decays ? TLanes.MultiplyAdd(TLanes.Broadcast(weightDecay), parameter, gradient) : gradient;
        if (_hasMomentum)
        {
            var mu = TLanes.Broadcast(momentum);
            state0 = TLanes.FlushSubnormals(firstStep ? g : TLanes.MultiplyAdd(mu, state0, TLanes.Multiply(TLanes.Broadcast(oneMinusDampening), g)));
            g = nesterov ? TLanes.MultiplyAdd(mu, state0, g) : state0;
        }

        parameter = TLanes.MultiplyAdd(TLanes.Broadcast(negativeLearningRate), g, parameter);
    }
}
