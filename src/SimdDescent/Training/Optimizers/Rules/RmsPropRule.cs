using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// PyTorch's RMSprop: g ← g + λθ; s ← αs + (1 − α)g²; centered: ḡ ← αḡ + (1 − α)g and
/// d = √(s − ḡ²) + ε, else d = √s + ε; with momentum μ: b ← μb + g/d, θ ← θ − γb, else θ ← θ − γg/d.
/// Slots: s, then ḡ when centered, then b when momentum is used; each flushed to zero when subnormal.
/// </summary>
internal readonly struct RmsPropRule<T>(T negativeLearningRate, T alpha, T epsilon, T weightDecay, T momentum, bool centered)
    : IUpdateOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Tested once per register: a flag is one integer test, a float compare three instructions.
    private readonly bool _decays = weightDecay != T.Zero;
    private readonly bool _hasMomentum = momentum != T.Zero;

    public int StateCount => 1 + (centered ? 1 : 0) + (_hasMomentum ? 1 : 0);

    public void Update<TWidth, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var g = _decays ? TWidth.MultiplyAdd(TWidth.Broadcast(weightDecay), parameter, gradient) : gradient;
        var a = TWidth.Broadcast(alpha);
        var oneMinusAlpha = TWidth.Broadcast(T.One - alpha);
        state0 = TWidth.FlushSubnormals(TWidth.MultiplyAdd(a, state0, TWidth.Multiply(oneMinusAlpha, TWidth.Multiply(g, g))));
        var meanSquare = state0;
        if (centered)
        {
            state1 = TWidth.FlushSubnormals(TWidth.MultiplyAdd(a, state1, TWidth.Multiply(oneMinusAlpha, g)));
            meanSquare = TWidth.Subtract(state0, TWidth.Multiply(state1, state1));
        }

        var step = TWidth.Divide(g, TWidth.Add(TWidth.Sqrt(meanSquare), TWidth.Broadcast(epsilon)));
        if (_hasMomentum)
        {
            ref var buffer = ref centered ? ref state2 : ref state1;
            buffer = TWidth.FlushSubnormals(TWidth.MultiplyAdd(TWidth.Broadcast(momentum), buffer, step));
            step = buffer;
        }

        parameter = TWidth.MultiplyAdd(TWidth.Broadcast(negativeLearningRate), step, parameter);
    }
}
