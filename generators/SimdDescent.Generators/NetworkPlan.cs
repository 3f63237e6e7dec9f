using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>A tensor in the parameter arena: names, offset and shape, fixed at generation time.</summary>
internal sealed record TensorPlan(int Layer, string Name, string Property, string PyTorchName, int Offset, int[] Shape)
{
    public int Length => Shape.Aggregate(1, (product, dimension) => product * dimension);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>A slice of a workspace's activation arena: a constant name, a local name and its rows × width.</summary>
internal sealed record BufferPlan(string Constant, string Local, int Offset, int Rows, int Width, string Purpose)
{
    /// <summary>Rows scale with the batch unless the buffer is a single scratch row.</summary>
    public bool PerBatch { get; init; } = true;
}

/// <summary>
/// The memory layout of one network, computed from its model: parameter tensors (contiguous, in layer
/// order) and per-workspace buffers (each padded to <see cref="Alignment"/> elements).
/// </summary>
internal sealed partial class NetworkPlan
{
    /// <summary>Buffers start on 16-element boundaries (64 bytes of float), and the arenas are padded to it.</summary>
    public const int Alignment = 16;

    private int bufferOffset;

    public NetworkPlan(NetworkModel model)
    {
        Model = model;
        Inputs = AddBuffer("X", "x", model.MaxBatch, model.Inputs, "inputs, kept for the backward pass");
        InputGradients = AddBuffer("DX", "dx", model.MaxBatch, model.Inputs, "d(loss)/d(inputs)");

        var offset = 0;
        var sequentialIndex = 0;
        var statisticsLength = 0;
        var statistics = Statistics;
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            var tensors = new List<TensorPlan>();
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    tensors.Add(Tensor(i, "weight", sequentialIndex, ref offset, layer.Inputs, layer.Outputs));
                    if (layer.HasBias)
                    {
                        tensors.Add(Tensor(i, "bias", sequentialIndex, ref offset, layer.Outputs));
                    }

                    // nn.Sequential gives a fused activation its own module index, right after the Linear.
                    sequentialIndex += layer.Activation == ActivationKind.None ? 1 : 2;
                    break;
                case LayerKind.LayerNorm:
                    tensors.Add(Tensor(i, "weight", sequentialIndex, ref offset, layer.Outputs));
                    tensors.Add(Tensor(i, "bias", sequentialIndex, ref offset, layer.Outputs));
                    sequentialIndex++;
                    break;
                case LayerKind.Conv2D:
                    var conv = layer.Spatial!;
                    tensors.Add(Tensor(i, "weight", sequentialIndex, ref offset, conv.OutputChannels, conv.Channels, conv.Kernel, conv.Kernel));
                    if (layer.HasBias)
                    {
                        tensors.Add(Tensor(i, "bias", sequentialIndex, ref offset, conv.OutputChannels));
                    }

                    sequentialIndex += layer.Activation == ActivationKind.None ? 1 : 2;
                    break;
                case LayerKind.BatchNorm2D:
                    tensors.Add(Tensor(i, "weight", sequentialIndex, ref offset, layer.Spatial!.Channels));
                    tensors.Add(Tensor(i, "bias", sequentialIndex, ref offset, layer.Spatial.Channels));
                    statistics.Add(new StatisticsPlan(i, Text(sequentialIndex), statisticsLength, layer.Spatial.Channels));
                    statisticsLength += (2 * layer.Spatial.Channels) + 1;
                    sequentialIndex++;
                    break;
                case LayerKind.GlobalAvgPool:
                    // nn.AdaptiveAvgPool2d(1) then nn.Flatten().
                    sequentialIndex += 2;
                    break;
                default:
                    sequentialIndex++;
                    break;
            }

            var output = AddBuffer("H" + Text(i), "h" + Text(i), model.MaxBatch, layer.Outputs, "layer " + Text(i) + " output");
            var outputGradient = AddBuffer("DH" + Text(i), "dh" + Text(i), model.MaxBatch, layer.Outputs, "d(loss)/d(layer " + Text(i) + " output)");
            var extra = new List<BufferPlan>();
            if (layer.Kind == LayerKind.Dense && (Activations.SavesInput(layer.Activation) || AdapterNeedsPreActivation(model, i)))
            {
                extra.Add(AddBuffer("Z" + Text(i), "z" + Text(i), model.MaxBatch, layer.Outputs, "layer " + Text(i) + " pre-activation"));
            }
            else if (layer.Kind == LayerKind.LayerNorm)
            {
                extra.Add(AddBuffer("Mean" + Text(i), "mean" + Text(i), model.MaxBatch, 1, "layer " + Text(i) + " row means"));
                extra.Add(AddBuffer("Rstd" + Text(i), "rstd" + Text(i), model.MaxBatch, 1, "layer " + Text(i) + " row 1/σ"));
                extra.Add(AddBuffer("Scratch" + Text(i), "scratch" + Text(i), 1, layer.Outputs, "layer " + Text(i) + " backward scratch row") with { PerBatch = false });
            }
            else if (layer.Kind == LayerKind.Dropout)
            {
                extra.Add(AddBuffer("Mask" + Text(i), "mask" + Text(i), model.MaxBatch, layer.Outputs, "layer " + Text(i) + " dropout mask"));
            }
            else
            {
                AddSpatialBuffers(i, layer, extra);
            }

            Layers.Add(new LayerPlan(i, layer, tensors, output, outputGradient, extra));
        }

        ParameterCount = offset;
        ArenaLength = Pad(offset);
        StatisticsLength = statisticsLength;
        AddAdapters(model);
        ActivationLength = bufferOffset;
    }

    public NetworkModel Model { get; }

    public List<LayerPlan> Layers { get; } = [];

    public BufferPlan Inputs { get; }

    public BufferPlan InputGradients { get; }

    public int ParameterCount { get; }

    public int ArenaLength { get; }

    public int ActivationLength { get; }

    /// <summary>Elements of the running-statistics arena (batch normalization), not trained and not in the parameter arena.</summary>
    public int StatisticsLength { get; }

    public List<StatisticsPlan> Statistics { get; } = [];

    public IEnumerable<TensorPlan> Tensors
    {
        get
        {
            foreach (var layer in Layers)
            {
                foreach (var tensor in layer.Tensors)
                {
                    yield return tensor;
                }
            }
        }
    }

    public IEnumerable<BufferPlan> Buffers
    {
        get
        {
            yield return Inputs;
            yield return InputGradients;
            foreach (var layer in Layers)
            {
                yield return layer.Output;
                yield return layer.OutputGradient;
                foreach (var buffer in layer.Extra)
                {
                    yield return buffer;
                }
            }

            foreach (var buffer in AdapterBuffers)
            {
                yield return buffer;
            }
        }
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Pad(int length) => (length + Alignment - 1) / Alignment * Alignment;

    private static TensorPlan Tensor(int layer, string kind, int sequentialIndex, ref int offset, params int[] shape)
    {
        var property = "Layer" + Text(layer) + (kind == "weight" ? "Weight" : "Bias");
        var tensor = new TensorPlan(layer, "layer" + Text(layer) + "." + kind, property, Text(sequentialIndex) + "." + kind, offset, shape);
        offset += tensor.Length;
        return tensor;
    }

    private void AddSpatialBuffers(int i, LayerModel layer, List<BufferPlan> extra)
    {
        var spatial = layer.Spatial;
        if (layer.Kind == LayerKind.Conv2D && spatial is not null)
        {
            extra.Add(AddBuffer("Columns" + Text(i), "columns" + Text(i), 1, spatial.OutputPlaneSize * spatial.PatchLength, "layer " + Text(i) + " one image's patches (im2col)") with { PerBatch = false });
            if (Activations.SavesInput(layer.Activation))
            {
                extra.Add(AddBuffer("Z" + Text(i), "z" + Text(i), Model.MaxBatch, layer.Outputs, "layer " + Text(i) + " pre-activation"));
            }
        }
        else if (layer.Kind == LayerKind.BatchNorm2D && spatial is not null)
        {
            extra.Add(AddBuffer("Mean" + Text(i), "mean" + Text(i), 1, spatial.Channels, "layer " + Text(i) + " channel means") with { PerBatch = false });
            extra.Add(AddBuffer("Rstd" + Text(i), "rstd" + Text(i), 1, spatial.Channels, "layer " + Text(i) + " channel 1/σ") with { PerBatch = false });
        }
    }

    private BufferPlan AddBuffer(string constant, string local, int rows, int width, string purpose)
    {
        var buffer = new BufferPlan(constant, local, bufferOffset, rows, width, purpose);
        bufferOffset += Pad(rows * width);
        return buffer;
    }
}

/// <summary>
/// A batch normalization's running statistics in the statistics arena: running_mean [channels] at
/// <paramref name="Offset"/>, running_var [channels] after it, then num_batches_tracked (one element).
/// </summary>
internal sealed record StatisticsPlan(int Layer, string SequentialIndex, int Offset, int Channels)
{
    public int VarianceOffset => Offset + Channels;

    public int CountOffset => Offset + (2 * Channels);
}

/// <summary>One layer with its tensors and buffers.</summary>
internal sealed record LayerPlan(int Index, LayerModel Layer, List<TensorPlan> Tensors, BufferPlan Output, BufferPlan OutputGradient, List<BufferPlan> Extra)
{
    public TensorPlan Weight => Tensors[0];

    public TensorPlan? Bias => Tensors.Count > 1 ? Tensors[1] : null;

    public BufferPlan ExtraBuffer(string prefix) => Extra.Find(b => b.Constant.StartsWith(prefix, System.StringComparison.Ordinal))!;
}
