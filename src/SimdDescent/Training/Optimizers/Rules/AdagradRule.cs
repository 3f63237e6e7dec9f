using System.Numerics;
using SimdDescent.Training.Optimizers.Lanes;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// PyTorch's Adagrad: g ← g + λθ; s ← s + g²; θ ← θ − γₜ g / (√s + ε), where
/// γₜ = γ / (1 + (t − 1)·decay) is computed by the caller. Slot 0 is the running sum s.
/// </summary>
internal readonly struct AdagradRule<T>(T negativeLearningRate, T epsilon, T weightDecay) : IUpdateRule<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Tested once per register: a flag is one integer test, a float compare three instructions.
    private readonly bool _decays = weightDecay != T.Zero;

    public int StateCount => 1;

    public void Update<TLanes, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TLanes : struct, ILanes<T, TVector>
        where TVector : struct
    {
        var g = _decays ? TLanes.MultiplyAdd(TLanes.Broadcast(weightDecay), parameter, gradient) : gradient;
        state0 = TLanes.MultiplyAdd(g, g, state0);
        var step = TLanes.Divide(g, TLanes.Add(TLanes.Sqrt(state0), TLanes.Broadcast(epsilon)));
        parameter = TLanes.MultiplyAdd(TLanes.Broadcast(negativeLearningRate), step, parameter);
    }
}
