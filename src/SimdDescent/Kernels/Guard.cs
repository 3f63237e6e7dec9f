using System.Runtime.CompilerServices;

namespace SimdDescent.Kernels;

/// <summary>Argument checks shared by the public kernels; each message names what was expected.</summary>
internal static class Guard
{
    public static void SameLength<T, TOther>(ReadOnlySpan<T> x, ReadOnlySpan<TOther> y,
        [CallerArgumentExpression(nameof(y))] string? yName = null,
        [CallerArgumentExpression(nameof(x))] string? xName = null)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Expected {yName} to have the length of {xName} ({x.Length}), but it has {y.Length}.", yName);
        }
    }

    public static void Destination<T>(int required, Span<T> destination,
        [CallerArgumentExpression(nameof(destination))] string? name = null)
    {
        if (destination.Length < required)
        {
            throw new ArgumentException($"Destination too short: expected at least {required} elements, got {destination.Length}.", name);
        }
    }

    /// <summary>The destination may be the input itself but must not partially overlap it.</summary>
    public static void NoPartialOverlap<T>(ReadOnlySpan<T> input, Span<T> destination,
        [CallerArgumentExpression(nameof(input))] string? inputName = null,
        [CallerArgumentExpression(nameof(destination))] string? name = null)
    {
        if (input.Overlaps(destination, out var offset) && offset != 0)
        {
            throw new ArgumentException($"{name} overlaps {inputName} at an offset of {offset} elements; it may be the same memory, not a shifted view of it.", name);
        }
    }

    public static void NonNegative(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} ≥ 0.");
        }
    }

    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} > 0.");
        }
    }

    /// <summary>A span holding a batch of rows: exactly <paramref name="rows"/> × <paramref name="width"/> elements.</summary>
    public static void Matrix<T>(ReadOnlySpan<T> span, int rows, int width,
        [CallerArgumentExpression(nameof(span))] string? name = null)
    {
        NonNegative(rows, nameof(rows));
        Positive(width, nameof(width));
        var expected = (long)rows * width;
        if (span.Length != expected)
        {
            throw new ArgumentException($"Expected {name} to hold rows × width = {rows} × {width} = {expected} elements, but it has {span.Length}.", name);
        }
    }

    public static void NotEmpty<T>(ReadOnlySpan<T> span, [CallerArgumentExpression(nameof(span))] string? name = null)
    {
        if (span.IsEmpty)
        {
            throw new ArgumentException($"Expected {name} to hold at least one element.", name);
        }
    }
}
