using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The 128-bit width for the generic drivers.</summary>
internal readonly struct Width128<T> : ISimdWidth<T, Vector128<T>>
    where T : unmanaged
{
    public static int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LastLanesMask(int lanes) =>
        Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(Scalar<T>.FromInt32(Count - lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select(Vector128<T> mask, Vector128<T> onTrue, Vector128<T> onFalse) =>
        Vector128.ConditionalSelect(mask, onTrue, onFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Apply<TOp>(in TOp op, Vector128<T> x) where TOp : struct, IUnaryOperator<T> => op.Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Apply<TOp>(in TOp op, Vector128<T> x, Vector128<T> y) where TOp : struct, IBinaryOperator<T> => op.Invoke(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Apply<TOp>(in TOp op, Vector128<T> x, Vector128<T> y, Vector128<T> z) where TOp : struct, ITernaryOperator<T> =>
        op.Invoke(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Merge<TOp>(in TOp op, Vector128<T> a, Vector128<T> b) where TOp : struct, IReductionOperator<T> => op.Merge(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Accumulate<TOp>(in TOp op, Vector128<T> accumulator, Vector128<T> x) where TOp : struct, IUnaryReductionOperator<T> =>
        op.Accumulate(accumulator, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Accumulate<TOp>(in TOp op, Vector128<T> accumulator, Vector128<T> x, Vector128<T> y)
        where TOp : struct, IBinaryReductionOperator<T> => op.Accumulate(accumulator, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector128<T> value) where TOp : struct, IReductionOperator<T> =>
        Scalar<T>.MergeLanes(op, value);
}
