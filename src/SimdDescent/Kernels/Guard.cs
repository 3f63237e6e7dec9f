using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimdDescent.Kernels;

/// <summary>
/// Argument checks shared by the public kernels; each message names what was expected. The checks are
/// inlined and the messages are built in separate throw helpers, so a call with good arguments pays a
/// few compares and no calls — at n = 16 that is a visible part of a kernel's time.
/// </summary>
internal static class Guard
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SameLength<T, TOther>(ReadOnlySpan<T> x, ReadOnlySpan<TOther> y,
        [CallerArgumentExpression(nameof(y))] string? yName = null,
        [CallerArgumentExpression(nameof(x))] string? xName = null)
    {
        if (x.Length != y.Length)
        {
            ThrowLengthMismatch(x.Length, y.Length, yName, xName);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Destination<T>(int required, Span<T> destination,
        [CallerArgumentExpression(nameof(destination))] string? name = null)
    {
        if (destination.Length < required)
        {
            ThrowDestinationTooShort(required, destination.Length, name);
        }
    }

    /// <summary>The destination may be the input itself but must not partially overlap it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoPartialOverlap<T>(ReadOnlySpan<T> input, Span<T> destination,
        [CallerArgumentExpression(nameof(input))] string? inputName = null,
        [CallerArgumentExpression(nameof(destination))] string? name = null)
    {
        // Same start: in place, allowed. Otherwise any shared element is a shifted view.
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(destination)) && input.Overlaps(destination))
        {
            ThrowPartialOverlap(input, destination, inputName, name);
        }
    }

    /// <summary>
    /// What <see cref="Destination"/> and <see cref="NoPartialOverlap"/> check, as one test that throws
    /// nothing. Hot kernels test this and only on failure call a method that runs the throwing checks:
    /// a throw block that loads the parameter names calls a runtime helper per name (cold blocks load
    /// string literals lazily), which made every caller save five registers on entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CanWrite<T>(ReadOnlySpan<T> input, Span<T> destination)
        => destination.Length >= input.Length
           && (Unsafe.AreSame(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(destination)) || !input.Overlaps(destination));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NonNegative(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 0)
        {
            ThrowOutOfRange(value, "≥ 0", name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            ThrowOutOfRange(value, "> 0", name);
        }
    }

    /// <summary>A span holding a batch of rows: exactly <paramref name="rows"/> × <paramref name="width"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Matrix<T>(ReadOnlySpan<T> span, int rows, int width,
        [CallerArgumentExpression(nameof(span))] string? name = null)
    {
        NonNegative(rows, nameof(rows));
        Positive(width, nameof(width));
        if (span.Length != (long)rows * width)
        {
            ThrowMatrixSize(rows, width, span.Length, name);
        }
    }

    /// <summary>A tensor of a known shape: exactly <paramref name="expected"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length<T>(ReadOnlySpan<T> span, long expected, [CallerArgumentExpression(nameof(span))] string? name = null)
    {
        if (span.Length != expected)
        {
            ThrowLength(expected, span.Length, name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NotEmpty<T>(ReadOnlySpan<T> span, [CallerArgumentExpression(nameof(span))] string? name = null)
    {
        if (span.IsEmpty)
        {
            ThrowEmpty(name);
        }
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int expected, int actual, string? name, string? referenceName) =>
        throw new ArgumentException($"Expected {name} to have the length of {referenceName} ({expected}), but it has {actual}.", name);

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(int required, int actual, string? name) =>
        throw new ArgumentException($"Destination too short: expected at least {required} elements, got {actual}.", name);

    [DoesNotReturn]
    private static void ThrowPartialOverlap<T>(ReadOnlySpan<T> input, Span<T> destination, string? inputName, string? name)
    {
        input.Overlaps(destination, out var offset);
        throw new ArgumentException($"{name} overlaps {inputName} at an offset of {offset} elements; it may be the same memory, not a shifted view of it.", name);
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange(int value, string bound, string? name) =>
        throw new ArgumentOutOfRangeException(name, value, $"Expected {name} {bound}.");

    [DoesNotReturn]
    private static void ThrowMatrixSize(int rows, int width, int actual, string? name) =>
        throw new ArgumentException($"Expected {name} to hold rows × width = {rows} × {width} = {(long)rows * width} elements, but it has {actual}.", name);

    [DoesNotReturn]
    private static void ThrowLength(long expected, int actual, string? name) =>
        throw new ArgumentException($"Expected {name} to hold {expected} elements for its shape, but it has {actual}.", name);

    [DoesNotReturn]
    private static void ThrowEmpty(string? name) =>
        throw new ArgumentException($"Expected {name} to hold at least one element.", name);
}
