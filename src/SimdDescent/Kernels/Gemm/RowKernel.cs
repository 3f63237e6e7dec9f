using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// The m = 1 case (batch-1 inference, a row vector times a matrix): a 6-row tile would waste five
/// sixths of its work, so this kernel walks the row of C eight registers at a time (eight independent
/// FMA chains), then one register at a time, then element by element. B is read in place, one row
/// per k. Each element is summed over k exactly as the tile of a batch sums it — sequentially, or as
/// even- plus odd-k halves when C fits one register (<see cref="OneRegister"/>) — with the same epilogue,
/// so a row alone is bitwise that row inside a batch; the kernel is chosen once per product (m = 1),
/// never per part of a split.
/// </summary>
internal static class RowKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TActivation, TWidth, TVector, TPanel>(
        int n, int kc, ref T a, nint aStep, ref T b, nint ldb, ref T c, ref T bias, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        var w = TWidth.Count;
        var j = 0;

        // A row that fits one full-width register never fills eight of the narrowed ones.
        for (; TPanel.Count == 2 && j + (8 * w) <= n; j += 8 * w)
        {
            Eight<T, TActivation, TWidth, TVector>(kc, ref a, aStep, ref Unsafe.Add(ref b, j), ldb, ref Unsafe.Add(ref c, j), ref Unsafe.Add(ref bias, j), epilogue);
        }

        for (; j + w <= n; j += w)
        {
            One<T, TActivation, TWidth, TVector, TPanel>(kc, ref a, aStep, ref Unsafe.Add(ref b, j), ldb, ref Unsafe.Add(ref c, j), ref Unsafe.Add(ref bias, j), epilogue);
        }

        for (; j < n; j++)
        {
            One<T, TActivation, ScalarWidth<T>, T, TPanel>(kc, ref a, aStep, ref Unsafe.Add(ref b, j), ldb, ref Unsafe.Add(ref c, j), ref Unsafe.Add(ref bias, j), epilogue);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Eight<T, TActivation, TWidth, TVector>(
        int kc, ref T a, nint aStep, ref T b, nint ldb, ref T c, ref T bias, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var w = (nuint)TWidth.Count;
        TVector s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (var p = 0; p < kc; p++)
        {
            var x = TWidth.Broadcast(a);
            s0 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 0), s0);
            s1 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 1 * w), s1);
            s2 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 2 * w), s2);
            s3 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 3 * w), s3);
            s4 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 4 * w), s4);
            s5 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 5 * w), s5);
            s6 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 6 * w), s6);
            s7 = TWidth.MultiplyAdd(x, TWidth.Load(ref b, 7 * w), s7);
            a = ref Unsafe.Add(ref a, aStep);
            b = ref Unsafe.Add(ref b, ldb);
        }

        epilogue.Store<TWidth, TVector>(s0, ref c, ref bias);
        epilogue.Store<TWidth, TVector>(s1, ref Unsafe.Add(ref c, 1 * w), ref Unsafe.Add(ref bias, 1 * w));
        epilogue.Store<TWidth, TVector>(s2, ref Unsafe.Add(ref c, 2 * w), ref Unsafe.Add(ref bias, 2 * w));
        epilogue.Store<TWidth, TVector>(s3, ref Unsafe.Add(ref c, 3 * w), ref Unsafe.Add(ref bias, 3 * w));
        epilogue.Store<TWidth, TVector>(s4, ref Unsafe.Add(ref c, 4 * w), ref Unsafe.Add(ref bias, 4 * w));
        epilogue.Store<TWidth, TVector>(s5, ref Unsafe.Add(ref c, 5 * w), ref Unsafe.Add(ref bias, 5 * w));
        epilogue.Store<TWidth, TVector>(s6, ref Unsafe.Add(ref c, 6 * w), ref Unsafe.Add(ref bias, 6 * w));
        epilogue.Store<TWidth, TVector>(s7, ref Unsafe.Add(ref c, 7 * w), ref Unsafe.Add(ref bias, 7 * w));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void One<T, TActivation, TWidth, TVector, TPanel>(
        int kc, ref T a, nint aStep, ref T b, nint ldb, ref T c, ref T bias, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TPanel : struct, IPanelRegisters
    {
        TVector sum = default, odd = default;
        var p = 0;
        if (TPanel.SplitsK)
        {
            // The one-register micro-kernel's order: even k into sum, odd k into odd, added at the end.
            for (; p + 1 < kc; p += 2)
            {
                sum = TWidth.MultiplyAdd(TWidth.Broadcast(a), TWidth.Load(ref b, 0), sum);
                odd = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref a, aStep)), TWidth.Load(ref Unsafe.Add(ref b, ldb), 0), odd);
                a = ref Unsafe.Add(ref a, 2 * aStep);
                b = ref Unsafe.Add(ref b, 2 * ldb);
            }
        }

        for (; p < kc; p++)
        {
            sum = TWidth.MultiplyAdd(TWidth.Broadcast(a), TWidth.Load(ref b, 0), sum);
            a = ref Unsafe.Add(ref a, aStep);
            b = ref Unsafe.Add(ref b, ldb);
        }

        if (TPanel.SplitsK)
        {
            sum = TWidth.Add(sum, odd);
        }

        epilogue.Store<TWidth, TVector>(sum, ref c, ref bias);
    }
}
