namespace SimdDescent.Kernels.Operators;

/// <summary>
/// An optimizer's update equations for a register of parameters, written once for every width: reads
/// the gradient, updates the parameter and up to three state registers in place. The hyperparameters
/// of the current step are the struct's fields. Unlike an element-wise operator, an update is not
/// idempotent, so the driver never applies it twice to an element (no overlapping tail register).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IUpdateOperator<T>
    where T : unmanaged
{
    /// <summary>How many state arenas the update reads and writes (0 to 3), in slot order.</summary>
    int StateCount { get; }

    /// <summary>Updates one register of parameters and its state registers; state slots beyond <see cref="StateCount"/> are ignored.</summary>
    /// <typeparam name="TWidth">The width, supplied by the driver.</typeparam>
    /// <typeparam name="TVector">The register type of <typeparamref name="TWidth"/>.</typeparam>
    void Update<TWidth, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct;
}
