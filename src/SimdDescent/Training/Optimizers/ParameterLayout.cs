using System.Numerics;
using SimdDescent.Networks;

namespace SimdDescent.Training.Optimizers;

/// <summary>
/// How an optimizer sees the parameter arena: its length, and which runs of it belong to which
/// <see cref="ParameterGroup"/>. Neighbouring tensors of one group merge into one run, so without
/// groups the whole arena is updated in a single pass.
/// </summary>
public sealed class ParameterLayout
{
    private ParameterLayout(int parameterCount, ParameterGroup?[] groups, ParameterSegment[] segments)
    {
        ParameterCount = parameterCount;
        Groups = groups;
        Segments = segments;
    }

    /// <summary>Elements in the arena.</summary>
    public int ParameterCount { get; }

    /// <summary>Group definitions by index; index 0 is the default group (null: the optimizer's settings).</summary>
    internal IReadOnlyList<ParameterGroup?> Groups { get; }

    internal ParameterSegment[] Segments { get; }

    /// <summary>One group over an arena of <paramref name="parameterCount"/> elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parameterCount"/> is not positive.</exception>
    public static ParameterLayout Single(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        return new ParameterLayout(parameterCount, [null], [new ParameterSegment(0, parameterCount, 0)]);
    }

    /// <summary>The layout of <paramref name="network"/>'s parameters with the given groups.</summary>
    public static ParameterLayout For<T>(IModel<T> network, params ParameterGroup[] groups)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return FromTensors(network.Tensors, network.ParameterCount, groups);
    }

    /// <summary>
    /// A layout from named tensors. Elements outside every tensor (padding) belong to the default group.
    /// </summary>
    /// <exception cref="ArgumentException">A group names an unknown tensor, a tensor is in two groups, or a tensor lies outside the arena.</exception>
    public static ParameterLayout FromTensors(IReadOnlyList<TensorInfo> tensors, int parameterCount, params ParameterGroup[] groups)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        var groupOf = AssignGroups(tensors, groups);
        var ordered = tensors.OrderBy(t => t.Offset).ToArray();
        var segments = new List<ParameterSegment>();
        var position = 0;
        foreach (var tensor in ordered)
        {
            if (tensor.Offset < position || tensor.Offset + tensor.Length > parameterCount)
            {
                throw new ArgumentException(
                    $"Expected tensors to lie inside the arena of {parameterCount} elements without overlapping, but '{tensor.Name}' covers [{tensor.Offset}, {tensor.Offset + tensor.Length}).",
                    nameof(tensors));
            }

            Append(segments, position, tensor.Offset - position, 0);
            Append(segments, tensor.Offset, tensor.Length, groupOf[tensor.Name]);
            position = tensor.Offset + tensor.Length;
        }

        Append(segments, position, parameterCount - position, 0);
        return new ParameterLayout(parameterCount, [null, .. groups], [.. segments]);
    }

    private static Dictionary<string, int> AssignGroups(IReadOnlyList<TensorInfo> tensors, ParameterGroup[] groups)
    {
        var groupOf = tensors.ToDictionary(t => t.Name, _ => 0, StringComparer.Ordinal);
        for (var g = 0; g < groups.Length; g++)
        {
            foreach (var name in groups[g].TensorNames)
            {
                if (!groupOf.TryGetValue(name, out var previous))
                {
                    throw new ArgumentException(
                        $"Parameter group {g} names tensor '{name}', which the network does not have; expected one of: {string.Join(", ", tensors.Select(t => t.Name))}.",
                        nameof(groups));
                }

                if (previous != 0)
                {
                    throw new ArgumentException($"Tensor '{name}' is in parameter groups {previous - 1} and {g}; expected each tensor in at most one group.", nameof(groups));
                }

                groupOf[name] = g + 1;
            }
        }

        return groupOf;
    }

    private static void Append(List<ParameterSegment> segments, int offset, int length, int group)
    {
        if (length == 0)
        {
            return;
        }

        if (segments.Count > 0 && segments[^1] is var last && last.Group == group && last.Offset + last.Length == offset)
        {
            segments[^1] = last with { Length = last.Length + length };
            return;
        }

        segments.Add(new ParameterSegment(offset, length, group));
    }
}
