using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// Generic front ends for the few vector operations the runtime offers only per element type.
/// FMA policy: <c>MultiplyAddEstimate</c> fuses where the hardware has FMA (AVX2+FMA, AVX-512, NEON)
/// and falls back to a separate multiply and add elsewhere, never to a slow software FMA. Tests
/// allow for either rounding.
/// </summary>
internal static class VectorMath
{
    /// <summary>a·b + c, fused where the hardware can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>a·b + c, fused where the hardware can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>a·b + c, fused where the hardware can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>The IEEE 754 maximum of each lane pair: NaN if either is NaN, +0 above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Maximum<T>(Vector128<T> a, Vector128<T> b)
    {
        if (!Sse.IsSupported)
        {
            return Vector128.Max(a, b);
        }

        // maxps/maxpd return their second operand when a lane is NaN or both are zeros, so the two operand
        // orders agree everywhere else: their AND makes a ±0 pair +0, and OR-ing the unordered mask makes any
        // NaN lane NaN (all ones). Five instructions, two on the dependency chain; Vector128.Max takes nine.
        var larger = Vector128.MaxNative(a, b) & Vector128.MaxNative(b, a);
        return typeof(T) == typeof(float)
            ? larger | Sse.CompareUnordered(a.AsSingle(), b.AsSingle()).As<float, T>()
            : larger | Sse2.CompareUnordered(a.AsDouble(), b.AsDouble()).As<double, T>();
    }

    /// <summary>The IEEE 754 maximum of each lane pair: NaN if either is NaN, +0 above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Maximum<T>(Vector256<T> a, Vector256<T> b)
    {
        if (!Avx.IsSupported)
        {
            return Vector256.Max(a, b);
        }

        // As for 128 bits; without AVX-512's vfixupimm, Vector256.Max takes nine instructions.
        var larger = Vector256.MaxNative(a, b) & Vector256.MaxNative(b, a);
        return typeof(T) == typeof(float)
            ? larger | Avx.CompareUnordered(a.AsSingle(), b.AsSingle()).As<float, T>()
            : larger | Avx.CompareUnordered(a.AsDouble(), b.AsDouble()).As<double, T>();
    }
}
