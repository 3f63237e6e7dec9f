namespace SimdDescent.Kernels.Parallel;

/// <summary>
/// A scratch buffer owned by the running thread, for the ranges of a split loop that do not run on the
/// caller (which passes its own): allocated at a thread's first use at a given length, then reused.
/// </summary>
internal static class ThreadScratch<T>
{
    [ThreadStatic]
    private static T[]? t_buffer;

    public static Span<T> Get(int length)
    {
        if (t_buffer is null || t_buffer.Length < length)
        {
            t_buffer = new T[length];
        }

        return t_buffer.AsSpan(0, length);
    }
}
