using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// PyTorch's Adagrad: g ← g + λθ; s ← s + g²; θ ← θ − γₜ g / (√s + ε), where
/// γₜ = γ / (1 + (t − 1)·decay) is computed by the caller. Slot 0 is the running sum s.
/// </summary>
internal readonly struct AdagradRule<T>(T negativeLearningRate, T epsilon, T weightDecay) : IUpdateOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Tested once per register: a flag is one integer test, a float compare three instructions.
    private readonly bool _decays = weightDecay != T.Zero;

    public int StateCount => 1;

    public void Update<TWidth, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var g = _decays ? TWidth.MultiplyAdd(TWidth.Broadcast(weightDecay), parameter, gradient) : gradient;
        state0 = TWidth.MultiplyAdd(g, g, state0);
        var step = TWidth.Divide(g, TWidth.Add(TWidth.Sqrt(state0), TWidth.Broadcast(epsilon)));
        parameter = TWidth.MultiplyAdd(TWidth.Broadcast(negativeLearningRate), step, parameter);
    }
}
