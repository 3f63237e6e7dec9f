using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Layers;

/// <summary>
/// im2col and col2im of <see cref="Conv2D"/> for one image through a zero-padded copy of it [in, h + 2p, w + 2p], so that every
/// run of a patch row — kernel offset (c, i, j), output row oy — reads or writes the padded image without bounds
/// tests: columns[(c, i, j), (oy, ox)] = padded[c, oy·s + i, ox·s + j]. With stride 1 a run is a contiguous copy
/// (gather) or addition (scatter) by registers; with larger strides it is a strided loop.
/// </summary>
internal static class Conv2DPatches
{
    /// <summary>columns [channels·kh·kw, outH·outW] = the patches of <paramref name="image"/> [channels, h, w].</summary>
    public static void Gather<T>(in Conv2DShape shape, ReadOnlySpan<T> image, Span<T> columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var padded = Padded<T>(shape);
        padded.Clear();
        for (var row = 0; row < shape.InputChannels * shape.Height; row++)
        {
            image.Slice(row * shape.Width, shape.Width).CopyTo(padded[Interior(shape, row)..]);
        }

        Walk<T, CopyRun>(shape, padded, columns);
    }

    /// <summary>dx [channels, h, w] = the sum over every column entry of the pixel it was gathered from (col2im); overwrites dx.</summary>
    public static void Scatter<T>(in Conv2DShape shape, Span<T> columns, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var padded = Padded<T>(shape);
        padded.Clear();
        Walk<T, AddRun>(shape, padded, columns);
        for (var row = 0; row < shape.InputChannels * shape.Height; row++)
        {
            padded.Slice(Interior(shape, row), shape.Width).CopyTo(dx.Slice(row * shape.Width, shape.Width));
        }
    }

    private static int PaddedHeight(in Conv2DShape shape) => shape.Height + (2 * shape.Padding);

    private static int PaddedWidth(in Conv2DShape shape) => shape.Width + (2 * shape.Padding);

    /// <summary>Where input row <paramref name="row"/> (channel-major: c·h + y) starts inside the padded image.</summary>
    private static int Interior(in Conv2DShape shape, int row)
    {
        var (c, y) = Math.DivRem(row, shape.Height);
        return ((c * PaddedHeight(shape)) + y + shape.Padding) * PaddedWidth(shape) + shape.Padding;
    }

    /// <summary>The per-thread padded image (<see cref="ThreadScratch{T}"/>: allocated on a thread's first call at a size, reused after).</summary>
    private static Span<T> Padded<T>(in Conv2DShape shape) =>
        ThreadScratch<T>.Get(shape.InputChannels * PaddedHeight(shape) * PaddedWidth(shape));

    private static void Walk<T, TRun>(in Conv2DShape shape, Span<T> padded, Span<T> columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TRun : struct, IRun
    {
        switch (SimdDispatch.CurrentFor<T>(shape.OutputWidth))
        {
            case VectorPath.Vector512:
                Walk<T, TRun, Width512<T>, Vector512<T>>(shape, padded, columns);
                break;
            case VectorPath.Vector256:
                Walk<T, TRun, Width256<T>, Vector256<T>>(shape, padded, columns);
                break;
            case VectorPath.Vector128:
                Walk<T, TRun, Width128<T>, Vector128<T>>(shape, padded, columns);
                break;
            default:
                Walk<T, TRun, ScalarWidth<T>, T>(shape, padded, columns);
                break;
        }
    }

    private static void Walk<T, TRun, TWidth, TVector>(in Conv2DShape shape, Span<T> padded, Span<T> columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TRun : struct, IRun
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        int stride = shape.Stride, outputHeight = shape.OutputHeight, outputWidth = shape.OutputWidth;
        int paddedHeight = PaddedHeight(shape), paddedWidth = PaddedWidth(shape);
        ref var image = ref MemoryMarshal.GetReference(padded);
        ref var run = ref MemoryMarshal.GetReference(columns);
        for (var c = 0; c < shape.InputChannels; c++)
        {
            for (var i = 0; i < shape.KernelHeight; i++)
            {
                for (var j = 0; j < shape.KernelWidth; j++)
                {
                    for (var oy = 0; oy < outputHeight; oy++)
                    {
                        ref var pixel = ref Unsafe.Add(ref image, (((c * paddedHeight) + (oy * stride) + i) * paddedWidth) + j);
                        if (stride == 1)
                        {
                            TRun.Contiguous<T, TWidth, TVector>(ref pixel, ref run, outputWidth);
                        }
                        else
                        {
                            TRun.Strided(ref pixel, ref run, outputWidth, stride);
                        }

                        run = ref Unsafe.Add(ref run, outputWidth);
                    }
                }
            }
        }
    }

    /// <summary>What is done with one run: between the padded image's pixels (stride apart) and a column run.</summary>
    private interface IRun
    {
        static abstract void Contiguous<T, TWidth, TVector>(ref T pixel, ref T run, int length)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct;

        static abstract void Strided<T>(ref T pixel, ref T run, int length, int stride)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    }

    /// <summary>run = pixels: registers, the last overlapping the one before it (a copy may repeat elements).</summary>
    private readonly struct CopyRun : IRun
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Contiguous<T, TWidth, TVector>(ref T pixel, ref T run, int length)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
        {
            var w = TWidth.Count;
            for (var x = 0; x < length; x += w)
            {
                var at = (nuint)Math.Min(x, length - w);
                TWidth.Store(TWidth.Load(ref pixel, at), ref run, at);
            }
        }

        public static void Strided<T>(ref T pixel, ref T run, int length, int stride)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (var x = 0; x < length; x++)
            {
                Unsafe.Add(ref run, x) = Unsafe.Add(ref pixel, x * stride);
            }
        }
    }

    /// <summary>
    /// pixels += run: registers, then element by element. An overlapping last register would load lanes the register
    /// before it has just stored at another offset, which the store buffer cannot forward (a stall of about 20 cycles a run).
    /// </summary>
    private readonly struct AddRun : IRun
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Contiguous<T, TWidth, TVector>(ref T pixel, ref T run, int length)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
        {
            var w = TWidth.Count;
            var x = 0;
            for (; x + w <= length; x += w)
            {
                TWidth.Store(TWidth.Add(TWidth.Load(ref pixel, (nuint)x), TWidth.Load(ref run, (nuint)x)), ref pixel, (nuint)x);
            }

            for (; x < length; x++)
            {
                Unsafe.Add(ref pixel, x) += Unsafe.Add(ref run, x);
            }
        }

        public static void Strided<T>(ref T pixel, ref T run, int length, int stride)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (var x = 0; x < length; x++)
            {
                Unsafe.Add(ref pixel, x * stride) += Unsafe.Add(ref run, x);
            }
        }
    }
}
