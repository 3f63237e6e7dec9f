using System.Numerics;
using SimdDescent.Networks;

namespace SimdDescent.IO.Onnx;

/// <summary>
/// A language model's tensors by name for <see cref="LanguageModelOnnxExporter"/>: each one checked for its
/// expected shape and its place in the parameters before it becomes an initializer of <see cref="Graph"/>.
/// </summary>
internal sealed class LanguageModelOnnxWeights<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ILanguageModel<T> model;
    private readonly Dictionary<string, TensorInfo> tensors = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public LanguageModelOnnxWeights(ILanguageModel<T> model)
    {
        this.model = model;
        foreach (var tensor in model.Tensors)
        {
            if (!tensors.TryAdd(tensor.Name, tensor))
            {
                throw new ArgumentException($"The model lists the tensor {tensor.Name} twice.", nameof(model));
            }
        }
    }

    /// <summary>The graph the initializers go to.</summary>
    public OnnxGraph<T> Graph { get; } = new();

    /// <summary>Whether the model has a tensor called <paramref name="name"/>.</summary>
    public bool Has(string name) => tensors.ContainsKey(name);

    /// <summary>The first dimension of tensor <paramref name="name"/> (a bias's width).</summary>
    public int Width(string name) => Find(name).Shape[0];

    /// <summary>Adds tensor <paramref name="name"/> as an initializer after checking it has <paramref name="shape"/>, and returns its name.</summary>
    public string Get(string name, params ReadOnlySpan<int> shape)
    {
        var tensor = Find(name);
        if (!tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new ArgumentException($"Expected {name} of shape [{string.Join(", ", shape.ToArray())}], got [{string.Join(", ", tensor.Shape)}].", "model");
        }

        ReadOnlySpan<T> parameters = model.Parameters;
        if (tensor.Offset < 0 || tensor.Offset > parameters.Length - tensor.Length)
        {
            throw new ArgumentException($"{name} ({tensor.Length} elements at {tensor.Offset}) lies outside the {parameters.Length} parameters.", "model");
        }

        used.Add(name);
        return Graph.Initializer(name, parameters.Slice(tensor.Offset, tensor.Length), shape);
    }

    /// <summary>Throws when the graph left a tensor out: the model computes something the export would not (an adapter, say).</summary>
    public void CheckAllUsed()
    {
        foreach (var name in tensors.Keys)
        {
            if (!used.Contains(name))
            {
                throw new ArgumentException($"ONNX export covers the GPT's own tensors; {name} is not one of them.", "model");
            }
        }
    }

    private TensorInfo Find(string name) => tensors.TryGetValue(name, out var tensor)
        ? tensor
        : throw new ArgumentException($"Expected a GPT tensor named {name}; the model lists none.", "model");
}
