using System.Numerics;
using SimdDescent.Training.Optimizers.Lanes;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// PyTorch's RMSprop: g ← g + λθ; s ← αs + (1 − α)g²; centered: ḡ ← αḡ + (1 − α)g and
/// d = √(s − ḡ²) + ε, else d = √s + ε; with momentum μ: b ← μb + g/d, θ ← θ − γb, else θ ← θ − γg/d.
/// Slots: s, then ḡ when centered, then b when momentum is used; each flushed to zero when subnormal.
/// </summary>
internal readonly struct RmsPropRule<T>(T negativeLearningRate, T alpha, T epsilon, T weightDecay, T momentum, bool centered)
    : IUpdateRule<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Tested once per register: a flag is one integer test, a float compare three instructions.
    private readonly bool _decays = weightDecay != T.Zero;
    private readonly bool _hasMomentum = momentum != T.Zero;

    public int StateCount => 1 + (centered ? 1 : 0) + (_hasMomentum ? 1 : 0);

    public void Update<TLanes, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TLanes : struct, ILanes<T, TVector>
        where TVector : struct
    {
        var g = _decays ? TLanes.MultiplyAdd(TLanes.Broadcast(weightDecay), parameter, gradient) : gradient;
        var a = TLanes.Broadcast(alpha);
        var oneMinusAlpha = TLanes.Broadcast(T.One - alpha);
        state0 = TLanes.FlushSubnormals(TLanes.MultiplyAdd(a, state0, TLanes.Multiply(oneMinusAlpha, TLanes.Multiply(g, g))));
        var meanSquare = state0;
        if (centered)
        {
            state1 = TLanes.FlushSubnormals(TLanes.MultiplyAdd(a, state1, TLanes.Multiply(oneMinusAlpha, g)));
            meanSquare = TLanes.Subtract(state0, TLanes.Multiply(state1, state1));
        }

        var step = TLanes.Divide(g, TLanes.Add(TLanes.Sqrt(meanSquare), TLanes.Broadcast(epsilon)));
        if (_hasMomentum)
        {
            ref var buffer = ref centered ? ref state2 : ref state1;
            buffer = TLanes.FlushSubnormals(TLanes.MultiplyAdd(TLanes.Broadcast(momentum), buffer, step));
            step = buffer;
        }

        parameter = TLanes.MultiplyAdd(TLanes.Broadcast(negativeLearningRate), step, parameter);
    }
}
