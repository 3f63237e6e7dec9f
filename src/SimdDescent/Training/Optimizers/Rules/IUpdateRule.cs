using SimdDescent.Training.Optimizers.Lanes;

namespace SimdDescent.Training.Optimizers.Rules;

/// <summary>
/// One optimizer's update equations for a register of parameters: reads the gradient, updates the
/// parameter and up to three state registers in place. Written once, generic over the width; the
/// hyperparameters of the current step are the struct's fields.
/// </summary>
internal interface IUpdateRule<T>
    where T : unmanaged
{
    /// <summary>How many state arenas the rule reads and writes (0 to 3), in slot order.</summary>
    int StateCount { get; }

    void Update<TLanes, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TLanes : struct, ILanes<T, TVector>
        where TVector : struct;
}
