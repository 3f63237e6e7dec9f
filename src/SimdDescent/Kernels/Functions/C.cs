using System.Runtime.CompilerServices;

namespace SimdDescent.Kernels.Functions;

/// <summary>Constants of the math kernels for float or double; each property is a JIT-time constant.</summary>
internal static class C<T>
    where T : unmanaged
{
    private static bool IsFloat
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float);
    }

    public static T Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(0.0);
    }

    public static T Half
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(0.5);
    }

    public static T One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(1.0);
    }

    public static T ThreeHalves
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(1.5);
    }

    public static T Two
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(2.0);
    }

    public static T NaN
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(double.NaN);
    }

    public static T PositiveInfinity
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(double.PositiveInfinity);
    }

    public static T NegativeInfinity
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(double.NegativeInfinity);
    }

    /// <summary>The smallest positive subnormal.</summary>
    public static T Epsilon
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? (T)(object)float.Epsilon : (T)(object)double.Epsilon;
    }

    public static T MaxValue
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? (T)(object)float.MaxValue : (T)(object)double.MaxValue;
    }

    public static T MinNormal
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? (T)(object)1.17549435e-38f : (T)(object)2.2250738585072014e-308;
    }

    /// <summary>Smallest normal number over machine epsilon: below it a sum of squares may have lost digits to underflow.</summary>
    public static T SquareSumLowerLimit
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? From(1e-31) : From(1e-292);
    }

    /// <summary>The largest binary exponent of a finite value (127 or 1023).</summary>
    public static int MaxExponent
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? 127 : 1023;
    }

    /// <summary>2^24 or 2^54: lifts a subnormal into the normal range before its exponent is read.</summary>
    public static T SubnormalScale
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? From(16777216.0) : From(18014398509481984.0);
    }

    public static T SubnormalScaleExponent
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? From(24.0) : From(54.0);
    }

    public static T Sqrt2
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(1.4142135623730951);
    }

    public static T Log2E
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => From(1.4426950408889634);
    }

    /// <summary>ln 2 split so the high part has enough trailing zero bits for n·Ln2High to be exact.</summary>
    public static T Ln2High
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? (T)(object)0.693359375f : (T)(object)6.93147180369123816490e-01;
    }

    public static T Ln2Low
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? (T)(object)(-2.12194440e-4f) : (T)(object)1.90821492927058770002e-10;
    }

    public static T MinusLn2High
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? (T)(object)(-0.693359375f) : (T)(object)(-6.93147180369123816490e-01);
    }

    public static T MinusLn2Low
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? (T)(object)2.12194440e-4f : (T)(object)(-1.90821492927058770002e-10);
    }

    /// <summary>Below this e^x rounds to 0 (float: 2^−150; double: 2^−1075).</summary>
    public static T ExpLowest
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? From(-104.0) : From(-745.2);
    }

    /// <summary>Above this e^x overflows to +∞.</summary>
    public static T ExpHighest
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsFloat ? From(88.8) : From(709.8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T From(double value) => IsFloat ? (T)(object)(float)value : (T)(object)value;
}
