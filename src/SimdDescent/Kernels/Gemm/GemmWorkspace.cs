using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimdDescent.Kernels;

/// <summary>
/// The packing buffers of one thread: allocated on first use, grown only when a larger problem
/// arrives, then reused, so steady-state calls allocate nothing. Buffers are pinned and handed out
/// 64-byte aligned, so packed panels start on a cache line.
/// </summary>
internal sealed class GemmWorkspace<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static GemmWorkspace<T>? t_current;

    private Buffer _a;
    private Buffer _b;
    private Buffer _tile;

    public static GemmWorkspace<T> Current
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get => t_current ??= new GemmWorkspace<T>();
    }

    /// <summary>Room for a packed MC × KC block of A.</summary>
    public ref T A(int length) => ref _a.Get(length);

    /// <summary>Room for a packed KC × NC block of B (or the one edge panel on the direct path).</summary>
    public ref T B(int length) => ref _b.Get(length);

    /// <summary>Room for one edge tile of C and its bias row.</summary>
    public ref T Tile(int length) => ref _tile.Get(length);

    private struct Buffer
    {
        private T[]? _array;
        private int _offset;

        public ref T Get(int length)
        {
            if (_array is null || _array.Length - _offset < length)
            {
                Grow(length);
            }

            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array!), _offset);
        }

        private unsafe void Grow(int length)
        {
            var slack = Alignment / Unsafe.SizeOf<T>();
            _array = GC.AllocateUninitializedArray<T>(length + slack, pinned: true);
            var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            var misalignment = (int)(address & (Alignment - 1));
            _offset = misalignment == 0 ? 0 : (Alignment - misalignment) / Unsafe.SizeOf<T>();
        }
    }
}
