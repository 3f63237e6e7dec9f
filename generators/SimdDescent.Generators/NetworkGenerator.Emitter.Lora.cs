using System.Linq;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// What a network declared with [LoraAdapters] adds: the adapter arena (the trainable Parameters), the frozen
    /// base arena behind BaseParameters, the adapter calls beside each targeted Dense layer, and merge/unmerge.
    /// </summary>
    internal sealed partial class Emitter
    {
        private bool HasAdapters => model.Lora is not null;

        private LoraModel Lora => model.Lora!;

        /// <summary>The constant that holds the trainable length: the adapters' when there are adapters.</summary>
        private string TrainableLength => HasAdapters ? "network.adapterLength" : "ParameterLength";

        private void WriteAdapterLayout() => WriteAdapterLayout(Lora, plan.Adapters, plan.AdapterCandidates, plan.Trained);

        private void WriteAdapterMembers() => WriteAdapterMembers(model.ClassName, plan.StatisticsLength > 0);

        private void WriteAdapterInitialize()
        {
            WriteAdapterInitialize(plan.Adapters);
            if (plan.Trained.Count > 0)
            {
                W.Line("// layers trained whole: their copies start from the base arena's fresh initialization");
            }

            foreach (var (baseTensor, trained) in plan.Trained)
            {
                W.Line("parameters.AsSpan(" + Text(baseTensor.Offset) + ", " + Text(baseTensor.Length) + ").CopyTo(adapters.AsSpan(" + Text(trained.Offset) + ", " + Text(trained.Length) + "));");
            }
        }

        private void WriteAdapterViewsAndMerge() => WriteAdapterViewsAndMerge(plan.Adapters, plan.Trained);

        /// <summary>
        /// Image layers sit below every Dense layer, so in an adapted network they are frozen and below every adapter: the
        /// backward stops at the lowest adapted or trained layer and they get no backward pass at all.
        /// </summary>
        private bool StopsBackwardEarly => HasAdapters && model.Layers.Any(l => l.Spatial is not null);

        private bool IsTrained(LayerPlan layer) => HasAdapters && Lora.IsTrainable(layer.Index);

        /// <summary>A targeted layer's forward: the base product into the pre-activation, the adapter added, then the activation.</summary>
        private void WriteAdaptedDenseForward(LayerPlan layer, AdapterPlan adapter, string x, string bias)
        {
            var l = layer.Layer;
            var y = layer.Output.Local;
            var z = l.Activation == ActivationKind.None ? y : layer.ExtraBuffer("Z").Local;
            var shape = "[batch, " + Text(l.Outputs) + "]";
            Body("// layer " + Text(layer.Index) + ": " + Describe(l) + ", with an adapter when chosen. "
                + z + " " + shape + " = " + x + "·W" + (layer.Bias is null ? "" : " + b") + " + (α/r)·" + x + "·Aᵀ·Bᵀ"
                + (l.Activation == ActivationKind.None ? "" : "; " + y + " = " + Lower(l.Activation) + "(" + z + ")"));
            Body(DenseForward(layer, x, bias, z, ActivationKind.None));
            Body("if (!network.AdaptersMerged && " + IsChosen(adapter, "network.") + ")");
            Body("{");
            var input = x;
            if (adapter.DroppedInput is { } dropped)
            {
                input = dropped.Local;
                Body("    Dropout.Forward<" + T + ">(" + x + ", " + input + ", " + adapter.Mask!.Local + ", " + Literal(Lora.Dropout) + ", " + Text(Lora.Seed) + "UL, stream, step, training);");
            }

            Body("    LoraAdapter.Forward<" + T + ">(" + input + ", network." + adapter.A.Property + ", network." + adapter.B.Property + ", " + RankRows(adapter.Hidden.Local, "batch") + ", "
                + z + ", batch, " + AdapterSizes(adapter) + ");");
            Body("}");
            if (l.Activation != ActivationKind.None)
            {
                Body("ActivationLayer.Forward<" + T + ", " + OperatorType(l.Activation) + ">(" + z + ", " + y + ", " + Activations.Forward(l.Activation, T) + ");");
            }
        }

        /// <summary>A targeted layer's adapter backward, after the frozen base layer has turned dY into dZ and written dX = dZ·Wᵀ.</summary>
        private void WriteAdapterBackward(AdapterPlan adapter, string x, string dz, string dxArgument)
        {
            var i = Text(adapter.Layer);
            var input = adapter.DroppedInput?.Local ?? x;
            // An inference forward (dropout off) leaves no mask: the input passed through unchanged.
            var mask = adapter.Mask is { } m ? "training ? " + m.Local + " : ReadOnlySpan<" + T + ">.Empty" : "ReadOnlySpan<" + T + ">.Empty";
            var scratch = adapter.InputScratch?.Local ?? "Span<" + T + ">.Empty";
            Body("// layer " + i + " adapter backward: dB = (α/r)·dZᵀ·(x·Aᵀ), dA = ((α/r)·dZ·B)ᵀ·x" + (adapter.DroppedInput is null ? "" : " (x after dropout)")
                + ", and its share of dX added");
            Body("if (" + IsChosen(adapter, "network.") + ")");
            Body("{");
            Body("    LoraAdapter.Backward<" + T + ">(" + input + ", network." + adapter.A.Property + ", network." + adapter.B.Property + ", " + RankRows(adapter.Hidden.Local, "batch") + ", " + dz + ", "
                + adapter.A.Property + "Gradient, " + adapter.B.Property + "Gradient, " + RankRows(adapter.HiddenGradient.Local, "batch") + ", " + dxArgument + ", " + mask + ", " + scratch
                + ", batch, " + AdapterSizes(adapter) + ");");
            Body("}");
        }

        private bool HasAdapterDropout => model.Lora is { Dropout: > 0 } && plan.Adapters.Any();
    }
}
