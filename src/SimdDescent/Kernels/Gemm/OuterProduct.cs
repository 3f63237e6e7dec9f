using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Products with k = 1: C = op(A)·B is an outer product (a dense layer's weight gradient at batch 1),
/// one multiplication per element of C. The packed nest would spend more on its tiles' set-up than on
/// that multiplication, so each row of C is written straight from aᵢ times B's one row, register by
/// register, through the same epilogue (alpha, beta, bias, activation) as every other path.
/// </summary>
internal static class OuterProduct
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TActivation, TWidth, TVector>(scoped in GemmOperands<T> g, in TileEpilogue<T, TActivation> epilogue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var n = g.N;
        var count = TWidth.Count;
        var last = n - count;
        for (var i = 0; i < g.M; i++)
        {
            var a = Unsafe.Add(ref g.A, g.TransposeA ? i : i * g.Lda);
            ref var c = ref Unsafe.Add(ref g.C, i * g.Ldc);
            if (n < count)
            {
                for (var j = 0; j < n; j++)
                {
                    epilogue.Store<ScalarWidth<T>, T>(a * Unsafe.Add(ref g.B, j), ref Unsafe.Add(ref c, j), ref Unsafe.Add(ref g.Bias, j));
                }

                continue;
            }

            // The last register overlaps the previous one where n is not a multiple of the width; it is
            // computed first, so an epilogue that reads C (beta ≠ 0) sees the old values there.
            var broadcast = TWidth.Broadcast(a);
            var tail = epilogue.Apply<TWidth, TVector>(
                TWidth.Multiply(broadcast, TWidth.Load(ref g.B, (nuint)last)), ref Unsafe.Add(ref c, last), ref Unsafe.Add(ref g.Bias, last));
            for (var j = 0; j < last; j += count)
            {
                epilogue.Store<TWidth, TVector>(
                    TWidth.Multiply(broadcast, TWidth.Load(ref g.B, (nuint)j)), ref Unsafe.Add(ref c, j), ref Unsafe.Add(ref g.Bias, j));
            }

            TWidth.Store(tail, ref c, (nuint)last);
        }
    }
}
