using System.Runtime.CompilerServices;

namespace SimdDescent.Kernels.Drivers;

/// <summary>Where a loop should start so that its stores do not split across cache lines.</summary>
internal static class Alignment
{
    /// <summary>Elements from <paramref name="destination"/> to the next address that is a multiple of <paramref name="registerBytes"/> (a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe nuint ElementsToNext<T>(ref T destination, nuint registerBytes)
        where T : unmanaged
    {
        // The address is taken without pinning, as a hint only: if the GC moves the array meanwhile,
        // the stores are merely unaligned, never wrong.
        var misalignment = (nuint)Unsafe.AsPointer(ref destination) & (registerBytes - 1);
        return ((registerBytes - misalignment) & (registerBytes - 1)) / (nuint)sizeof(T);
    }
}
