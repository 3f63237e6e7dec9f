using System.Diagnostics;
using System.Numerics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// BLAS level-1 operations over spans of float or double. Element-wise results are written to a
/// destination at least as long as the inputs, which may be one of the inputs (in place) but must not
/// partially overlap one. Multiply-adds are fused where the hardware has FMA.
/// </summary>
public static class Blas
{
    /// <summary>Σ x[i]·y[i].</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        if (x.Length != y.Length)
        {
            ThrowInvalidDot(x, y);
        }

        return ReductionDriver.Reduce(new DotOperator<T>(), x, y);
    }

    /// <summary>y[i] += a·x[i].</summary>
    /// <exception cref="ArgumentException">The lengths differ or the spans partially overlap.</exception>
    public static void Axpy<T>(T a, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        if (x.Length != y.Length || !Guard.CanWrite(x, y))
        {
            ThrowInvalidAxpy(x, y);
        }

        ElementwiseDriver.Map(new AxpyOperator<T>(a), x, y, y);
    }

    /// <summary>destination[i] = a·x[i].</summary>
    public static void Scale<T>(T a, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Map(new ScaleOperator<T>(a), x, destination);

    /// <summary>x[i] = a·x[i], in place.</summary>
    public static void Scale<T>(T a, Span<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Map(new ScaleOperator<T>(a), x, x);

    /// <summary>destination[i] = x[i] + y[i].</summary>
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Map(new AddOperator<T>(), x, y, destination);

    /// <summary>destination[i] = x[i] − y[i].</summary>
    public static void Subtract<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Map(new SubtractOperator<T>(), x, y, destination);

    /// <summary>destination[i] = x[i]·y[i].</summary>
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Map(new MultiplyOperator<T>(), x, y, destination);

    /// <summary>destination[i] = x[i]·y[i] + z[i].</summary>
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Map(new MultiplyAddOperator<T>(), x, y, z, destination);

    /// <summary>destination[i] = x[i] limited to [<paramref name="min"/>, <paramref name="max"/>]; NaN stays NaN.</summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> &gt; <paramref name="max"/> or either is NaN.</exception>
    public static void Clamp<T>(ReadOnlySpan<T> x, T min, T max, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!(min <= max))
        {
            throw new ArgumentException($"Expected min ≤ max, got min = {min}, max = {max}.", nameof(min));
        }

        Map(new ClampOperator<T>(min, max), x, destination);
    }

    /// <summary>Applies any unary operator element-wise: the extension point for custom element-wise kernels.</summary>
    public static void Map<T, TOperator>(TOperator op, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOperator : struct, IUnaryOperator<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        if (!Guard.CanWrite(x, destination))
        {
            ThrowInvalidMap(x, destination);
        }

        ElementwiseDriver.Map(op, x, destination);
    }

    /// <summary>Applies any binary operator element-wise.</summary>
    public static void Map<T, TOperator>(TOperator op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOperator : struct, IBinaryOperator<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        if (x.Length != y.Length || !Guard.CanWrite(x, destination) || !Guard.CanWrite(y, destination))
        {
            ThrowInvalidMap(x, y, destination);
        }

        ElementwiseDriver.Map(op, x, y, destination);
    }

    /// <summary>Applies any ternary operator element-wise.</summary>
    public static void Map<T, TOperator>(TOperator op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOperator : struct, ITernaryOperator<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        if (x.Length != y.Length || x.Length != z.Length
            || !Guard.CanWrite(x, destination) || !Guard.CanWrite(y, destination) || !Guard.CanWrite(z, destination))
        {
            ThrowInvalidMap(x, y, z, destination);
        }

        ElementwiseDriver.Map(op, x, y, z, destination);
    }

    /// <summary>
    /// Applies an optimizer's update operator to every parameter, in place, with the matching gradients and
    /// the first <see cref="IUpdateOperator{T}.StateCount"/> state arenas (the others may be empty). Every
    /// element sees the same arithmetic whatever its position, so a range updated on its own matches the
    /// same range of a whole-arena update bitwise.
    /// </summary>
    /// <exception cref="ArgumentException">The operator keeps more than three states, or a used arena's length differs from the parameters'.</exception>
    public static void Update<T, TOperator>(TOperator op, Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOperator : struct, IUpdateOperator<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        var states = op.StateCount;
        var n = parameters.Length;
        if ((uint)states > 3 || gradients.Length != n
            || (states > 0 && state0.Length != n) || (states > 1 && state1.Length != n) || (states > 2 && state2.Length != n))
        {
            ThrowInvalidUpdate(states, parameters, gradients, state0, state1, state2);
        }

        UpdateDriver.Run(op, parameters, gradients, state0, state1, state2);
    }

    private static void ThrowInvalidDot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
    {
        Guard.SameLength(x, y);
        throw new UnreachableException();
    }

    private static void ThrowInvalidAxpy<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        Guard.SameLength(x, (ReadOnlySpan<T>)y);
        Guard.NoPartialOverlap(x, y);
        throw new UnreachableException();
    }

    private static void ThrowInvalidUpdate<T>(int states, Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2)
    {
        if ((uint)states > 3)
        {
            throw new ArgumentException($"Expected an update operator with 0 to 3 states, got {states}.", "op");
        }

        Guard.SameLength<T, T>(parameters, gradients, nameof(gradients), nameof(parameters));
        if (states > 0)
        {
            Guard.SameLength<T, T>(parameters, state0, nameof(state0), nameof(parameters));
        }

        if (states > 1)
        {
            Guard.SameLength<T, T>(parameters, state1, nameof(state1), nameof(parameters));
        }

        Guard.SameLength<T, T>(parameters, state2, nameof(state2), nameof(parameters));
        throw new UnreachableException();
    }

    private static void ThrowInvalidMap<T>(ReadOnlySpan<T> x, Span<T> destination)
    {
        Guard.Destination(x.Length, destination);
        Guard.NoPartialOverlap(x, destination);
        throw new UnreachableException();
    }

    private static void ThrowInvalidMap<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
    {
        Guard.SameLength(x, y);
        Guard.Destination(x.Length, destination);
        Guard.NoPartialOverlap(x, destination);
        Guard.NoPartialOverlap(y, destination);
        throw new UnreachableException();
    }

    private static void ThrowInvalidMap<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination)
    {
        Guard.SameLength(x, y);
        Guard.SameLength(x, z);
        Guard.Destination(x.Length, destination);
        Guard.NoPartialOverlap(x, destination);
        Guard.NoPartialOverlap(y, destination);
        Guard.NoPartialOverlap(z, destination);
        throw new UnreachableException();
    }
}
