using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The 512-bit width for the generic drivers.</summary>
internal readonly struct Width512<T> : ISimdWidth<T, Vector512<T>>
    where T : unmanaged
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LastLanesMask(int lanes) =>
        Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(Scalar<T>.FromInt32(Count - lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> mask, Vector512<T> onTrue, Vector512<T> onFalse) =>
        Vector512.ConditionalSelect(mask, onTrue, onFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Apply<TOp>(in TOp op, Vector512<T> x) where TOp : struct, IUnaryOperator<T> => op.Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Apply<TOp>(in TOp op, Vector512<T> x, Vector512<T> y) where TOp : struct, IBinaryOperator<T> => op.Invoke(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Apply<TOp>(in TOp op, Vector512<T> x, Vector512<T> y, Vector512<T> z) where TOp : struct, ITernaryOperator<T> =>
        op.Invoke(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Merge<TOp>(in TOp op, Vector512<T> a, Vector512<T> b) where TOp : struct, IReductionOperator<T> => op.Merge(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Accumulate<TOp>(in TOp op, Vector512<T> accumulator, Vector512<T> x) where TOp : struct, IUnaryReductionOperator<T> =>
        op.Accumulate(accumulator, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Accumulate<TOp>(in TOp op, Vector512<T> accumulator, Vector512<T> x, Vector512<T> y)
        where TOp : struct, IBinaryReductionOperator<T> => op.Accumulate(accumulator, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector512<T> value) where TOp : struct, IReductionOperator<T> =>
        Width256<T>.MergeLanes(op, op.Merge(value.GetLower(), value.GetUpper()));
}
