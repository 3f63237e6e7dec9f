using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Kernels;

/// <summary>
/// The row passes of 2-D pooling over one plane [height, width]: the rows of every window row band are
/// folded (max, sum) into one row by registers of the width, and the strided windows are then reduced along
/// that row element by element, so the vector work is the contiguous one. Backward, the gradient of an
/// output row is spread along one row and added to each of the band's rows by registers.
/// </summary>
internal static class WindowRows
{
    /// <summary>y[oy, ox] = fold over the kernel × kernel window of (oy, ox) in <paramref name="plane"/>, then <paramref name="finish"/>.</summary>
    public static void Forward<T, TFold, TFinish>(
        ReadOnlySpan<T> plane, Span<T> y, int height, int width, int kernel, int stride, TFold fold, TFinish finish)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TFold : struct, IBinaryOperator<T>
        where TFinish : struct, IUnaryOperator<T>
    {
        var row = ThreadScratch<T>.Get(width);
        switch (SimdDispatch.CurrentFor<T>(width))
        {
            case VectorPath.Vector512:
                Forward<T, TFold, TFinish, Width512<T>, Vector512<T>>(plane, y, row, height, width, kernel, stride, fold, finish);
                break;
            case VectorPath.Vector256:
                Forward<T, TFold, TFinish, Width256<T>, Vector256<T>>(plane, y, row, height, width, kernel, stride, fold, finish);
                break;
            case VectorPath.Vector128:
                Forward<T, TFold, TFinish, Width128<T>, Vector128<T>>(plane, y, row, height, width, kernel, stride, fold, finish);
                break;
            default:
                Forward<T, TFold, TFinish, ScalarWidth<T>, T>(plane, y, row, height, width, kernel, stride, fold, finish);
                break;
        }
    }

    /// <summary>dx[oy·s + i, ox·s + j] += share(dy[oy, ox]) for every window position; dx is not cleared.</summary>
    public static void Spread<T, TShare>(ReadOnlySpan<T> dy, Span<T> dx, int height, int width, int kernel, int stride, TShare share)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TShare : struct, IUnaryOperator<T>
    {
        var row = ThreadScratch<T>.Get(width);
        switch (SimdDispatch.CurrentFor<T>(width))
        {
            case VectorPath.Vector512:
                Spread<T, TShare, Width512<T>, Vector512<T>>(dy, dx, row, height, width, kernel, stride, share);
                break;
            case VectorPath.Vector256:
                Spread<T, TShare, Width256<T>, Vector256<T>>(dy, dx, row, height, width, kernel, stride, share);
                break;
            case VectorPath.Vector128:
                Spread<T, TShare, Width128<T>, Vector128<T>>(dy, dx, row, height, width, kernel, stride, share);
                break;
            default:
                Spread<T, TShare, ScalarWidth<T>, T>(dy, dx, row, height, width, kernel, stride, share);
                break;
        }
    }

    private static void Forward<T, TFold, TFinish, TWidth, TVector>(
        ReadOnlySpan<T> plane, Span<T> y, Span<T> row, int height, int width, int kernel, int stride, TFold fold, TFinish finish)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TFold : struct, IBinaryOperator<T>
        where TFinish : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        int outputHeight = ((height - kernel) / stride) + 1, outputWidth = ((width - kernel) / stride) + 1;
        ref var band = ref MemoryMarshal.GetReference(plane);
        ref var folded = ref MemoryMarshal.GetReference(row);
        ref var output = ref MemoryMarshal.GetReference(y);
        for (var oy = 0; oy < outputHeight; oy++)
        {
            FoldRows<T, TFold, TWidth, TVector>(ref Unsafe.Add(ref band, oy * stride * width), width, kernel, ref folded, fold);
            ref var outputRow = ref Unsafe.Add(ref output, oy * outputWidth);
            if (kernel == 2)
            {
                FoldAlong<T, TFold, TFinish, TWidth, TVector, SideTwo>(ref folded, ref outputRow, outputWidth, kernel, stride, fold, finish);
            }
            else
            {
                FoldAlong<T, TFold, TFinish, TWidth, TVector, AnySide>(ref folded, ref outputRow, outputWidth, kernel, stride, fold, finish);
            }
        }
    }

    /// <summary>output[ox] = finish(fold of folded[ox·s + j] over j &lt; kernel): the windows along the folded row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FoldAlong<T, TFold, TFinish, TWidth, TVector, TSide>(
        ref T folded, ref T output, int outputWidth, int kernel, int stride, TFold fold, TFinish finish)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TFold : struct, IBinaryOperator<T>
        where TFinish : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TSide : struct, IWindowSide
    {
        for (var ox = 0; ox < outputWidth; ox++)
        {
            ref var window = ref Unsafe.Add(ref folded, ox * stride);
            var value = window;
            for (var j = 1; j < TSide.Of(kernel); j++)
            {
                value = Lane<T, TFold, TWidth, TVector>(fold, value, Unsafe.Add(ref window, j));
            }

            Unsafe.Add(ref output, ox) = finish.Invoke<ScalarWidth<T>, T>(value);
        }
    }

    /// <summary>
    /// fold(x, y) on one element. Where registers are available it runs in the lowest lane of one, free of branches:
    /// a comparison's branch on pooled activations mispredicts about every other window.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Lane<T, TFold, TWidth, TVector>(TFold fold, T x, T y)
        where T : unmanaged
        where TFold : struct, IBinaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct =>
        TWidth.Count == 1
            ? fold.Invoke<ScalarWidth<T>, T>(x, y)
            : fold.Invoke<Width128<T>, Vector128<T>>(Vector128.CreateScalarUnsafe(x), Vector128.CreateScalarUnsafe(y)).ToScalar();

    /// <summary>folded[x] = fold(…fold(rows[0][x], rows[1][x])…, rows[count − 1][x]) for x &lt; width, rows <paramref name="width"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FoldRows<T, TFold, TWidth, TVector>(ref T rows, int width, int count, ref T folded, TFold fold)
        where T : unmanaged
        where TFold : struct, IBinaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var w = TWidth.Count;
        for (var x = 0; x < width; x += w)
        {
            // The last register overlaps the one before it when the width is no multiple of the register.
            var at = (nuint)Math.Min(x, width - w);
            var value = TWidth.Load(ref rows, at);
            for (var i = 1; i < count; i++)
            {
                value = fold.Invoke<TWidth, TVector>(value, TWidth.Load(ref Unsafe.Add(ref rows, i * width), at));
            }

            TWidth.Store(value, ref folded, at);
        }
    }

    private static void Spread<T, TShare, TWidth, TVector>(
        ReadOnlySpan<T> dy, Span<T> dx, Span<T> row, int height, int width, int kernel, int stride, TShare share)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TShare : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        int outputHeight = ((height - kernel) / stride) + 1, outputWidth = ((width - kernel) / stride) + 1;
        ref var gradient = ref MemoryMarshal.GetReference(dx);
        ref var spread = ref MemoryMarshal.GetReference(row);
        ref var upstream = ref MemoryMarshal.GetReference(dy);
        var w = TWidth.Count;
        for (var oy = 0; oy < outputHeight; oy++)
        {
            row[..width].Clear();
            for (var ox = 0; ox < outputWidth; ox++)
            {
                var value = share.Invoke<ScalarWidth<T>, T>(Unsafe.Add(ref upstream, (oy * outputWidth) + ox));
                ref var window = ref Unsafe.Add(ref spread, ox * stride);
                for (var j = 0; j < kernel; j++)
                {
                    Unsafe.Add(ref window, j) += value;
                }
            }

            for (var i = 0; i < kernel; i++)
            {
                ref var target = ref Unsafe.Add(ref gradient, ((oy * stride) + i) * width);
                var x = 0;
                for (; x + w <= width; x += w)
                {
                    TWidth.Store(TWidth.Add(TWidth.Load(ref target, (nuint)x), TWidth.Load(ref spread, (nuint)x)), ref target, (nuint)x);
                }

                // No overlapping last register here: the additions are not idempotent.
                for (; x < width; x++)
                {
                    Unsafe.Add(ref target, x) += Unsafe.Add(ref spread, x);
                }
            }
        }
    }
}
