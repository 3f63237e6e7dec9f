using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SimdDescent.Kernels;

/// <summary>Software prefetch for memory the code will read soon at an address the hardware cannot predict.</summary>
internal static class Prefetch
{
    private const int CacheLineBytes = 64;

    /// <summary>
    /// Starts loading every cache line of <paramref name="span"/> into L2 (not L1: the data is read after other
    /// work that needs L1); a hint only (x86; other machines skip it).
    /// </summary>
    public static unsafe void Range<T>(ReadOnlySpan<T> span)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        // The address is taken without pinning: a prefetch never faults, and if the GC moves the array
        // meanwhile the hint merely goes to waste.
        var start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));
        var bytes = (nint)span.Length * sizeof(T);
        for (nint offset = 0; offset < bytes; offset += CacheLineBytes)
        {
            Sse.Prefetch1(start + offset);
        }
    }
}
