using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// PyTorch's Adam and AdamW: weight decay either coupled (g ← g + λθ) or decoupled (θ ← θ(1 − γλ));
/// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², with AMSGrad v̂ ← max(v̂, v);
/// θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε). Slots: m, v, and v̂ with AMSGrad; m and v are
/// flushed to zero when subnormal (v̂, their running maximum, follows).
/// </summary>
/// <param name="negativeStepSize">−γ / (1 − β₁ᵗ), the bias-corrected step.</param>
/// <param name="inverseSecondCorrection">1 / √(1 − β₂ᵗ).</param>
/// <param name="beta1">β₁.</param>
/// <param name="beta2">β₂.</param>
/// <param name="epsilon">ε.</param>
/// <param name="coupledWeightDecay">λ added to the gradient (Adam), or zero.</param>
/// <param name="decayFactor">1 − γλ applied to θ first (AdamW), or one.</param>
/// <param name="amsGrad">Whether slot 2 keeps the running maximum of v.</param>
internal readonly struct AdamRule<T>(
    T negativeStepSize, T inverseSecondCorrection, T beta1, T beta2, T epsilon, T coupledWeightDecay, T decayFactor, bool amsGrad)
    : IUpdateOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Tested once per register: a flag is one integer test, a float compare three instructions.
    private readonly bool _coupledDecay = coupledWeightDecay != T.Zero;
    private readonly bool _decoupledDecay = decayFactor != T.One;

    public int StateCount => amsGrad ? 3 : 2;

    public void Update<TWidth, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var g = _coupledDecay ? TWidth.MultiplyAdd(TWidth.Broadcast(coupledWeightDecay), parameter, gradient) : gradient;
        var p = _decoupledDecay ? TWidth.Multiply(TWidth.Broadcast(decayFactor), parameter) : parameter;
        state0 = TWidth.FlushSubnormals(TWidth.MultiplyAdd(TWidth.Broadcast(beta1), state0, TWidth.Multiply(TWidth.Broadcast(T.One - beta1), g)));
        state1 = TWidth.FlushSubnormals(TWidth.MultiplyAdd(TWidth.Broadcast(beta2), state1, TWidth.Multiply(TWidth.Broadcast(T.One - beta2), TWidth.Multiply(g, g))));
        var v = state1;
        if (amsGrad)
        {
            state2 = TWidth.Maximum(state2, state1);
            v = state2;
        }

        var denominator = TWidth.MultiplyAdd(TWidth.Sqrt(v), TWidth.Broadcast(inverseSecondCorrection), TWidth.Broadcast(epsilon));
        parameter = TWidth.MultiplyAdd(TWidth.Broadcast(negativeStepSize), TWidth.Divide(state0, denominator), p);
    }
}
