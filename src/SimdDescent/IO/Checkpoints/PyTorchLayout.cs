using System.Numerics;
using SimdDescent.Networks;

namespace SimdDescent.IO.Checkpoints;

/// <summary>
/// How a parameter tensor appears in the state_dict of the equivalent PyTorch <c>nn.Sequential</c>: under its
/// <see cref="TensorInfo.PyTorchName"/>, and a linear weight (stored here <c>[in, out]</c>) transposed to
/// <c>nn.Linear</c>'s <c>[out, in]</c> (<see cref="TensorInfo.TransposedInPyTorch"/>).
/// </summary>
internal static class PyTorchLayout
{
    public static string Name(TensorInfo tensor) => tensor.PyTorchName ?? tensor.Name;

    /// <summary>Whether PyTorch keeps the tensor as an integer count: BatchNorm's <c>num_batches_tracked</c> buffer.</summary>
    public static bool IsCount(TensorInfo tensor) => Name(tensor).EndsWith("num_batches_tracked", StringComparison.Ordinal);

    public static int[] Shape(TensorInfo tensor) => IsTransposed(tensor) ? [tensor.Shape[1], tensor.Shape[0]] : [.. tensor.Shape];

    /// <summary>Copies the tensor out of the arena in PyTorch's layout.</summary>
    public static void Export<T>(ReadOnlySpan<T> arena, TensorInfo tensor, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var source = arena.Slice(tensor.Offset, tensor.Length);
        if (IsTransposed(tensor))
        {
            Transpose(source, destination, tensor.Shape[0], tensor.Shape[1]);
        }
        else
        {
            source.CopyTo(destination);
        }
    }

    /// <summary>Copies a tensor in PyTorch's layout into its place in the arena.</summary>
    public static void Import<T>(ReadOnlySpan<T> source, TensorInfo tensor, Span<T> arena)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var destination = arena.Slice(tensor.Offset, tensor.Length);
        if (IsTransposed(tensor))
        {
            Transpose(source, destination, tensor.Shape[1], tensor.Shape[0]);
        }
        else
        {
            source.CopyTo(destination);
        }
    }

    private static bool IsTransposed(TensorInfo tensor) => tensor.Shape.Length == 2 && tensor.TransposedInPyTorch;

    private static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                destination[(c * rows) + r] = source[(r * columns) + c];
            }
        }
    }
}
