using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// The one loop every element-wise optimizer update runs: parameter, gradient and state arenas walked
/// together at the width <see cref="SimdDispatch.Current"/> chooses. Unlike the kernel drivers the
/// head and tail are done element by element, because an update is not idempotent: an overlapping
/// register would update some elements twice.
/// </summary>
internal static class UpdateDriver
{
    /// <summary>Applies <paramref name="op"/> to every element; unused state spans may be empty.</summary>
    public static void Run<T, TOp>(in TOp op, Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2)
        where T : unmanaged
        where TOp : struct, IUpdateOperator<T>
    {
        switch (op.StateCount)
        {
            case 0: Run<T, TOp, NoState>(op, parameters, gradients, state0, state1, state2); break;
            case 1: Run<T, TOp, OneState>(op, parameters, gradients, state0, state1, state2); break;
            case 2: Run<T, TOp, TwoStates>(op, parameters, gradients, state0, state1, state2); break;
            default: Run<T, TOp, ThreeStates>(op, parameters, gradients, state0, state1, state2); break;
        }
    }

    private static void Run<T, TOp, TStates>(in TOp op, Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2)
        where T : unmanaged
        where TOp : struct, IUpdateOperator<T>
        where TStates : struct, IStateCount
    {
        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradients);
        ref var s0 = ref MemoryMarshal.GetReference(state0);
        ref var s1 = ref MemoryMarshal.GetReference(state1);
        ref var s2 = ref MemoryMarshal.GetReference(state2);
        var n = (nuint)parameters.Length;

        // The first few elements, up to the first register-aligned parameter address, go element by
        // element like the tail, so no parameter store in the loop splits across two cache lines (about
        // a fifth faster over a 400 KB arena). Lane arithmetic is the same IEEE operations (fused where
        // the hardware fuses) in both loops, so which loop an element falls in does not change it.
        var path = SimdDispatch.Current;
        var peel = path == VectorPath.Scalar ? 0 : Math.Min(n, Alignment.ElementsToNext(ref p, (nuint)path / 8));
        Scalar<T, TOp, TStates>(op, ref p, ref g, ref s0, ref s1, ref s2, 0, peel);
        var done = peel + path switch
        {
            VectorPath.Vector512 => Run<T, TOp, Width512<T>, Vector512<T>, TStates>(
                op, ref Unsafe.Add(ref p, peel), ref Unsafe.Add(ref g, peel), ref State<T, TStates>(ref s0, 0, peel), ref State<T, TStates>(ref s1, 1, peel), ref State<T, TStates>(ref s2, 2, peel), n - peel),
            VectorPath.Vector256 => Run<T, TOp, Width256<T>, Vector256<T>, TStates>(
                op, ref Unsafe.Add(ref p, peel), ref Unsafe.Add(ref g, peel), ref State<T, TStates>(ref s0, 0, peel), ref State<T, TStates>(ref s1, 1, peel), ref State<T, TStates>(ref s2, 2, peel), n - peel),
            VectorPath.Vector128 => Run<T, TOp, Width128<T>, Vector128<T>, TStates>(
                op, ref Unsafe.Add(ref p, peel), ref Unsafe.Add(ref g, peel), ref State<T, TStates>(ref s0, 0, peel), ref State<T, TStates>(ref s1, 1, peel), ref State<T, TStates>(ref s2, 2, peel), n - peel),
            _ => 0,
        };
        Scalar<T, TOp, TStates>(op, ref p, ref g, ref s0, ref s1, ref s2, done, n - done);
    }

    /// <summary>Runs elements [first, first + count) one at a time.</summary>
    private static void Scalar<T, TOp, TStates>(in TOp op, ref T p, ref T g, ref T s0, ref T s1, ref T s2, nuint first, nuint count)
        where T : unmanaged
        where TOp : struct, IUpdateOperator<T>
        where TStates : struct, IStateCount =>
        Run<T, TOp, ScalarWidth<T>, T, TStates>(
            op, ref Unsafe.Add(ref p, first), ref Unsafe.Add(ref g, first),
            ref State<T, TStates>(ref s0, 0, first), ref State<T, TStates>(ref s1, 1, first), ref State<T, TStates>(ref s2, 2, first), count);

    /// <summary>State <paramref name="index"/> from element <paramref name="first"/>; a state the op does not keep is an empty span, never offset.</summary>
    private static ref T State<T, TStates>(ref T state, int index, nuint first)
        where T : unmanaged
        where TStates : struct, IStateCount =>
        ref Unsafe.Add(ref state, TStates.Count > index ? first : 0);

    /// <summary>Updates whole registers only and returns how many elements that covered.</summary>
    /// <remarks>
    /// The op arrives by value: a copy the loop's stores cannot alias, so its coefficients stay in
    /// registers instead of being reloaded for every register of parameters.
    /// </remarks>
    private static nuint Run<T, TOp, TWidth, TVector, TStates>(TOp op, ref T p, ref T g, ref T s0, ref T s1, ref T s2, nuint n)
        where T : unmanaged
        where TOp : struct, IUpdateOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        where TStates : struct, IStateCount
    {
        var count = (nuint)TWidth.Count;
        var states = TStates.Count;
        nuint i = 0;
        for (; i + count <= n; i += count)
        {
            var parameter = TWidth.Load(ref p, i);
            var a = states > 0 ? TWidth.Load(ref s0, i) : default;
            var b = states > 1 ? TWidth.Load(ref s1, i) : default;
            var c = states > 2 ? TWidth.Load(ref s2, i) : default;
            op.Update<TWidth, TVector>(ref parameter, TWidth.Load(ref g, i), ref a, ref b, ref c);
            TWidth.Store(parameter, ref p, i);
            if (states > 0)
            {
                TWidth.Store(a, ref s0, i);
            }

            if (states > 1)
            {
                TWidth.Store(b, ref s1, i);
            }

            if (states > 2)
            {
                TWidth.Store(c, ref s2, i);
            }
        }

        return i;
    }
}
