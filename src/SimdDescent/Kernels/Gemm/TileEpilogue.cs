using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// What happens to one register of sums on its way into C, for one K block: scale by alpha, add
/// beta·C (or the C written by the previous K block), add the bias, apply the activation. Applied
/// while the sums are still in registers; the flags are per call, so their branches predict perfectly.
/// </summary>
internal readonly struct TileEpilogue<T, TActivation>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TActivation : struct, IUnaryOperator<T>
{
    private readonly T _alpha;
    private readonly T _beta;
    private readonly bool _scale;
    private readonly bool _accumulate;
    private readonly bool _betaIsOne;
    private readonly bool _addBias;
    private readonly bool _activate;
    private readonly TActivation _activation;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TileEpilogue(T alpha, T beta, bool accumulate, bool addBias, bool activate, TActivation activation)
    {
        _alpha = alpha;
        _beta = beta;
        _scale = alpha != T.One;
        _accumulate = accumulate;
        _betaIsOne = beta == T.One;
        _addBias = addBias;
        _activate = activate;
        _activation = activation;
    }

    /// <summary>Whether the stored value depends on C's old contents.</summary>
    public bool ReadsC => _accumulate;

    /// <summary>
    /// C = alpha·sums + beta·C for the first K block (C not read when beta = 0), then C = alpha·sums + C,
    /// so every element of C sees the same operations however the work is split.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TileEpilogue<T, TActivation> ForMultiply(T alpha, T beta, bool firstBlock) =>
        firstBlock
            ? new(alpha, beta, beta != T.Zero, addBias: false, activate: false, default)
            : new(alpha, T.One, accumulate: true, addBias: false, activate: false, default);

    /// <summary>C = sums + bias for the first K block, then C = sums + C; the activation on the last block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TileEpilogue<T, TActivation> ForBiasActivation(bool hasBias, bool firstBlock, bool lastBlock, TActivation activation) =>
        firstBlock
            ? new(T.One, T.Zero, accumulate: false, hasBias, lastBlock, activation)
            : new(T.One, T.One, accumulate: true, addBias: false, lastBlock, activation);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TWidth, TVector>(TVector sums, ref T c, ref T bias)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct =>
        TWidth.Store(Apply<TWidth, TVector>(sums, ref c, ref bias), ref c, 0);

    /// <summary>The register <see cref="Store{TWidth, TVector}"/> would write, computed without writing it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Apply<TWidth, TVector>(TVector sums, ref T c, ref T bias)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var value = sums;
        if (_scale)
        {
            value = TWidth.Multiply(value, TWidth.Broadcast(_alpha));
        }

        if (_accumulate)
        {
            var old = TWidth.Load(ref c, 0);
            value = _betaIsOne
                ? TWidth.Add(value, old)
                : TWidth.MultiplyAdd(TWidth.Broadcast(_beta), old, value);
        }

        if (_addBias)
        {
            value = TWidth.Add(value, TWidth.Load(ref bias, 0));
        }

        if (_activate)
        {
            value = _activation.Invoke<TWidth, TVector>(value);
        }

        return value;
    }
}
