namespace SimdDescent.Kernels.Parallel;

/// <summary>
/// A scratch buffer owned by the running thread: allocated at a thread's first use at a given length, then
/// reused. One buffer serves every user on a thread, so a user holds it only while it runs and calls nothing
/// that takes it too (the ranges of a split loop that do not run on the caller, im2col's padded image,
/// pooling's folded row).
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
