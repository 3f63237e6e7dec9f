using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels;

namespace SimdDescent.IO;

/// <summary>
/// Converts unsigned bytes (pixels, labels) into wider numbers, 16 at a time with 128-bit vectors unless
/// <see cref="SimdDispatch"/> asks for the scalar path. Decompression dominates the cost of reading, so a
/// wider vector would gain nothing measurable.
/// </summary>
internal static class ByteWidening
{
    /// <summary>destination[i] = source[i] for every i; <paramref name="destination"/> must be at least as long.</summary>
    public static void Widen<T>(ReadOnlySpan<byte> source, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        var i = 0;
        if (SimdDispatch.Current != VectorPath.Scalar && (typeof(T) == typeof(float) || typeof(T) == typeof(int)))
        {
            destination = destination[..source.Length];
            ref var from = ref MemoryMarshal.GetReference(source);
            ref var to = ref MemoryMarshal.GetReference(destination);
            for (; i <= source.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                // byte → ushort → uint in two widening steps: 16 bytes become four vectors of four.
                var (low, high) = Vector128.Widen(Vector128.LoadUnsafe(ref from, (nuint)i));
                var (first, second) = Vector128.Widen(low);
                var (third, fourth) = Vector128.Widen(high);
                Store(first, ref to, i);
                Store(second, ref to, i + 4);
                Store(third, ref to, i + 8);
                Store(fourth, ref to, i + 12);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = T.CreateTruncating(source[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector128<uint> values, ref T destination, int offset)
    {
        // Values are at most 255, so the signed reinterpretation and conversion are exact.
        if (typeof(T) == typeof(float))
        {
            Vector128.ConvertToSingle(values.AsInt32()).StoreUnsafe(ref Unsafe.As<T, float>(ref destination), (nuint)offset);
        }
        else
        {
            values.AsInt32().StoreUnsafe(ref Unsafe.As<T, int>(ref destination), (nuint)offset);
        }
    }
}
