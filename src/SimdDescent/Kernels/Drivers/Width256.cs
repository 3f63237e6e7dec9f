using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The 256-bit width for the generic drivers.</summary>
internal readonly struct Width256<T> : ISimdWidth<T, Vector256<T>>
    where T : unmanaged
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LastLanesMask(int lanes) =>
        Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(Scalar<T>.FromInt32(Count - lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> onTrue, Vector256<T> onFalse) =>
        Vector256.ConditionalSelect(mask, onTrue, onFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Apply<TOp>(in TOp op, Vector256<T> x) where TOp : struct, IUnaryOperator<T> => op.Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Apply<TOp>(in TOp op, Vector256<T> x, Vector256<T> y) where TOp : struct, IBinaryOperator<T> => op.Invoke(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Apply<TOp>(in TOp op, Vector256<T> x, Vector256<T> y, Vector256<T> z) where TOp : struct, ITernaryOperator<T> =>
        op.Invoke(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Merge<TOp>(in TOp op, Vector256<T> a, Vector256<T> b) where TOp : struct, IReductionOperator<T> => op.Merge(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Accumulate<TOp>(in TOp op, Vector256<T> accumulator, Vector256<T> x) where TOp : struct, IUnaryReductionOperator<T> =>
        op.Accumulate(accumulator, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Accumulate<TOp>(in TOp op, Vector256<T> accumulator, Vector256<T> x, Vector256<T> y)
        where TOp : struct, IBinaryReductionOperator<T> => op.Accumulate(accumulator, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector256<T> value) where TOp : struct, IReductionOperator<T> =>
        Width128<T>.MergeLanes(op, op.Merge(value.GetLower(), value.GetUpper()));
}
