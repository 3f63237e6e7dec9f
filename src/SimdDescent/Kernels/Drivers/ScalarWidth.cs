using System.Diagnostics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The scalar "width" (one element per register) for the generic drivers: the reference path.</summary>
internal readonly struct ScalarWidth<T> : ISimdWidth<T, T>
    where T : unmanaged
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    // A one-lane register never has a partial tail, so the drivers never ask for a mask here.
    public static T LastLanesMask(int lanes) => throw new UnreachableException();

    public static T Select(T mask, T onTrue, T onFalse) => throw new UnreachableException();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<TOp>(in TOp op, T x) where TOp : struct, IUnaryOperator<T> => op.Invoke(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<TOp>(in TOp op, T x, T y) where TOp : struct, IBinaryOperator<T> => op.Invoke(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<TOp>(in TOp op, T x, T y, T z) where TOp : struct, ITernaryOperator<T> => op.Invoke(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Merge<TOp>(in TOp op, T a, T b) where TOp : struct, IReductionOperator<T> => op.Merge(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Accumulate<TOp>(in TOp op, T accumulator, T x) where TOp : struct, IUnaryReductionOperator<T> =>
        op.Accumulate(accumulator, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Accumulate<TOp>(in TOp op, T accumulator, T x, T y) where TOp : struct, IBinaryReductionOperator<T> =>
        op.Accumulate(accumulator, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, T value) where TOp : struct, IReductionOperator<T> => value;
}
