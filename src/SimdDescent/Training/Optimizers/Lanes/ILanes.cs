namespace SimdDescent.Training.Optimizers.Lanes;

/// <summary>
/// The arithmetic an update rule needs, at one register width. An optimizer's update is written once,
/// as a generic method over this shape, and runs at every width (<see cref="ScalarLanes{T}"/>,
/// <see cref="Lanes128{T}"/>, <see cref="Lanes256{T}"/>, <see cref="Lanes512{T}"/>); each member is a
/// one-liner the JIT inlines, so the specialized loop is what it would be if written by hand. Loads
/// and stores are the kernel drivers' <see cref="Kernels.Drivers.ISimdWidth{T, TVector}"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TVector">The register type: <typeparamref name="T"/> itself for the scalar width.</typeparam>
internal interface ILanes<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    static abstract TVector Broadcast(T value);

    static abstract TVector Add(TVector x, TVector y);

    static abstract TVector Subtract(TVector x, TVector y);

    static abstract TVector Multiply(TVector x, TVector y);

    static abstract TVector Divide(TVector x, TVector y);

    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Sqrt(TVector x);

    /// <summary>The larger of each pair; NaN if either is NaN.</summary>
    static abstract TVector Max(TVector x, TVector y);

    /// <summary>
    /// x with subnormal lanes replaced by +0. Optimizer state that decays geometrically (momentum and
    /// moment buffers of parameters whose gradient stays zero, e.g. dead ReLU units) sinks into the
    /// subnormal range, where arithmetic on this machine's cores runs several times slower (an Adam step
    /// over 101,770 parameters: 25 → 104 µs); flushed, it stays zero at full speed.
    /// </summary>
    static abstract TVector FlushSubnormals(TVector x);
}
