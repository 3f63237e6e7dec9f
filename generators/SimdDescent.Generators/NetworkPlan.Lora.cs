using System.Collections.Generic;
using System.Linq;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// The adapter arena of a network declared with [LoraAdapters]: A [rank, inputs] and Bᵀ [rank, units] per
/// targeted Dense layer (PEFT's names; files hold B as PEFT's [units, rank]), with their own workspace buffers. The base arena is frozen,
/// so a LayerNorm's parameter gradients go to scratch rows nobody reads.
/// </summary>
internal sealed partial class NetworkPlan
{
    public List<AdapterPlan> Adapters { get; } = [];

    /// <summary>The tensors of the layers trained whole (PEFT's modules_to_save): each base tensor and its trained copy in the adapter arena.</summary>
    public List<(TensorPlan Base, TensorPlan Trained)> Trained { get; } = [];

    public List<BufferPlan> AdapterBuffers { get; } = [];

    public Dictionary<int, (BufferPlan Weight, BufferPlan Bias)> FrozenNormGradients { get; } = [];

    /// <summary>The declared targets' module names, what LoraOptions.Targets chooses among.</summary>
    public List<string> AdapterCandidates { get; } = [];

    /// <summary>Elements of the layers trained whole, at the start of the adapter arena.</summary>
    public int TrainedLength { get; private set; }

    public AdapterPlan? AdapterOf(int layer) => Adapters.Find(a => a.Layer == layer);

    /// <summary>The tensor a layer's forward and backward read: the trained copy for a layer trained whole, else the base tensor.</summary>
    public TensorPlan Read(TensorPlan tensor) => Trained.Find(t => t.Base == tensor).Trained ?? tensor;

    /// <summary>The lowest layer the backward of an adapted network must reach: the lowest adapted or trained one.</summary>
    public int LowestTrainedLayer => Model.Lora is { } lora ? lora.Targets.Concat(lora.Trainable).DefaultIfEmpty(0).Min() : 0;

    // A targeted layer's activation runs after the adapter has added its share to the pre-activation.
    private static bool AdapterNeedsPreActivation(NetworkModel model, int layer) =>
        model.Lora is { } lora && lora.IsTarget(layer) && model.Layers[layer].Activation != ActivationKind.None;

    private void AddAdapters(NetworkModel model)
    {
        if (model.Lora is not { } lora)
        {
            return;
        }

        // The layers trained whole come first, at fixed offsets; the adapters follow, laid out at construction.
        var offset = 0;
        foreach (var layer in Layers.Where(l => lora.IsTrainable(l.Index)))
        {
            foreach (var tensor in layer.Tensors)
            {
                var trained = tensor with { Property = "Trained" + tensor.Property, PyTorchName = "base_model.model." + tensor.PyTorchName, Offset = offset };
                offset += trained.Length;
                Trained.Add((tensor, trained));
            }
        }

        TrainedLength = offset;
        foreach (var layer in Layers)
        {
            var i = Text(layer.Index);
            if (layer.Layer.Kind == LayerKind.LayerNorm)
            {
                FrozenNormGradients[layer.Index] = (
                    Adapter("FrozenNormWeight" + i, "frozenNormWeight" + i, 1, layer.Layer.Outputs, "layer " + i + " frozen weight's unused gradient", perBatch: false),
                    Adapter("FrozenNormBias" + i, "frozenNormBias" + i, 1, layer.Layer.Outputs, "layer " + i + " frozen bias's unused gradient", perBatch: false));
            }

            if (!lora.IsTarget(layer.Index))
            {
                continue;
            }

            var l = layer.Layer;
            var weightName = layer.Weight.PyTorchName;
            var module = "base_model.model." + weightName.Substring(0, weightName.Length - ".weight".Length);
            var a = new TensorPlan(layer.Index, "layer" + i + ".lora_A", "Layer" + i + "LoraA", module + ".lora_A.weight", -1, [lora.Rank, l.Inputs]);
            var b = new TensorPlan(layer.Index, "layer" + i + ".lora_B", "Layer" + i + "LoraB", module + ".lora_B.weight", -1, [lora.Rank, l.Outputs]);
            var hidden = Adapter("LoraH" + i, "loraH" + i, model.MaxBatch, lora.MaxRank, "layer " + i + " adapter (x·Aᵀ)ᵀ, [rank, batch] (up to MaxRank)");
            var hiddenGradient = Adapter("LoraDH" + i, "loraDH" + i, model.MaxBatch, lora.MaxRank, "d(loss)/d(layer " + i + " adapter (x·Aᵀ)ᵀ), [rank, batch] (up to MaxRank)");
            BufferPlan? input = null, mask = null, scratch = null;
            if (lora.Dropout > 0)
            {
                input = Adapter("LoraX" + i, "loraX" + i, model.MaxBatch, l.Inputs, "layer " + i + " adapter input after dropout");
                mask = Adapter("LoraMask" + i, "loraMask" + i, model.MaxBatch, l.Inputs, "layer " + i + " adapter dropout mask");
                scratch = Adapter("LoraDX" + i, "loraDX" + i, model.MaxBatch, l.Inputs, "layer " + i + " adapter input gradient before the mask");
            }

            AdapterCandidates.Add(module.Substring("base_model.model.".Length));
            Adapters.Add(new AdapterPlan(layer.Index, layer.Weight, l.Inputs, l.Outputs, a, b, hidden, hiddenGradient, input, mask, scratch) { Candidate = Adapters.Count });
        }
    }

    private BufferPlan Adapter(string constant, string local, int rows, int width, string purpose, bool perBatch = true)
    {
        var buffer = AddBuffer(constant, local, rows, width, purpose) with { PerBatch = perBatch };
        AdapterBuffers.Add(buffer);
        return buffer;
    }
}
