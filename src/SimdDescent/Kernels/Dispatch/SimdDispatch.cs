using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SimdDescent.Kernels;

/// <summary>
/// Chooses the vector width every kernel runs at. By default that is the widest width the hardware
/// accelerates; the environment variable <c>SIMDDESCENT_VECTOR_PATH</c> (<c>512</c>, <c>256</c>,
/// <c>128</c> or <c>scalar</c>, read once at start-up) or <see cref="Force"/> (per thread, for
/// tests and diagnostics) select another one. A width wider than the hardware's still runs, in
/// software, which is how the 512-bit code is tested on machines without AVX-512.
/// </summary>
public static class SimdDispatch
{
    /// <summary>The environment variable that overrides <see cref="Default"/> for the whole process.</summary>
    public const string EnvironmentVariable = "SIMDDESCENT_VECTOR_PATH";

    [ThreadStatic]
    private static VectorPath? t_forced;

    // Checked before the thread-static so the common, never-forced case costs one static load.
    private static volatile bool s_anyForced;

    /// <summary>The widest width the hardware accelerates.</summary>
    public static VectorPath Hardware { get; } =
        Vector512.IsHardwareAccelerated ? VectorPath.Vector512 :
        Vector256.IsHardwareAccelerated ? VectorPath.Vector256 :
        Vector128.IsHardwareAccelerated ? VectorPath.Vector128 :
        VectorPath.Scalar;

    /// <summary>The process-wide width: <see cref="Hardware"/> unless <see cref="EnvironmentVariable"/> says otherwise.</summary>
    public static VectorPath Default { get; } = ReadEnvironment();

    /// <summary>The width kernels on the calling thread run at now.</summary>
    public static VectorPath Current
    {
        // Inlined into every kernel's dispatch: one flag test unless a test has ever forced a width; the
        // thread-static lookup (which keeps a method from being inlined) stays out of line.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_anyForced ? ForcedOrDefault() : Default;
    }

    /// <summary>
    /// <see cref="Current"/>, narrowed until one register of <typeparamref name="T"/> fits in
    /// <paramref name="length"/> elements: a short span (10 classes, say) runs in full, overlapping
    /// registers of a narrower width instead of element by element. The choice depends on the length
    /// only, so results stay reproducible.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static VectorPath CurrentFor<T>(int length)
        where T : unmanaged
        => Narrowed<T>(Current, length);

    /// <summary>
    /// True once some thread has forced a width (see <see cref="Force"/>). The kernel drivers test this
    /// and then run an out-of-line copy of their dispatch that reads <see cref="Current"/>: inlined,
    /// <see cref="Current"/>'s out-of-line call keeps the caller's arguments live across a call, and the
    /// caller saves registers for them on every call, forced or not.
    /// </summary>
    internal static bool AnyForced
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_anyForced;
    }

    /// <summary><see cref="Default"/> narrowed as <see cref="CurrentFor"/> narrows, for callers that checked <see cref="AnyForced"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static VectorPath DefaultFor<T>(int length)
        where T : unmanaged
        => Narrowed<T>(Default, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VectorPath Narrowed<T>(VectorPath path, int length)
        where T : unmanaged
    {
        while (path != VectorPath.Scalar && length * Unsafe.SizeOf<T>() * 8 < (int)path)
        {
            path = path == VectorPath.Vector128 ? VectorPath.Scalar : (VectorPath)((int)path / 2);
        }

        return path;
    }

    /// <summary>
    /// Forces <paramref name="path"/> on the calling thread until the returned scope is disposed.
    /// Meant for tests and diagnostics: every width gives correct results, only speed differs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="path"/> is not a defined width.</exception>
    public static ForcedPathScope Force(VectorPath path)
    {
        if (!Enum.IsDefined(path))
        {
            throw new ArgumentOutOfRangeException(nameof(path), path, "Expected Scalar, Vector128, Vector256 or Vector512.");
        }

        var previous = t_forced;
        s_anyForced = true;
        t_forced = path;
        return new ForcedPathScope(previous);
    }

    internal static void Restore(VectorPath? previous) => t_forced = previous;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static VectorPath ForcedOrDefault() => t_forced ?? Default;

    /// <summary>Parses a width name as the environment variable accepts it.</summary>
    public static bool TryParse(string? text, out VectorPath path)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "512" or "vector512": path = VectorPath.Vector512; return true;
            case "256" or "vector256": path = VectorPath.Vector256; return true;
            case "128" or "vector128": path = VectorPath.Vector128; return true;
            case "0" or "scalar": path = VectorPath.Scalar; return true;
            default: path = default; return false;
        }
    }

    private static VectorPath ReadEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Hardware;
        }

        return TryParse(text, out var path)
            ? path
            : throw new InvalidOperationException(
                $"{EnvironmentVariable}='{text}' is not a vector width; expected 512, 256, 128 or scalar.");
    }
}

/// <summary>Restores the previously forced width when disposed; returned by <see cref="SimdDispatch.Force"/>.</summary>
public readonly struct ForcedPathScope : IDisposable
{
    private readonly VectorPath? _previous;

    internal ForcedPathScope(VectorPath? previous) => _previous = previous;

    /// <summary>Restores the width that was in force before.</summary>
    public void Dispose() => SimdDispatch.Restore(_previous);
}
