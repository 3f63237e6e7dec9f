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
        private string TrainableLength => HasAdapters ? "AdapterLength" : "ParameterLength";

        private string ScaleLiteral => Literal(Lora.Scale);

        private void WriteAdapterLayout()
        {
            W.Line("// Adapter arena (the trainable parameters; workspaces' gradient arenas have its layout). A is [rank, inputs],");
            W.Line("// B is [units, rank], as PEFT stores lora_A.weight and lora_B.weight. Scale α/r = " + Literal(Lora.Alpha) + "/" + Text(Lora.Rank) + ".");
            foreach (var tensor in plan.AdapterTensors)
            {
                W.Line("//   " + Pad(tensor.Name, 16) + Pad(tensor.ShapeText, 12) + "at " + Pad(Text(tensor.Offset), 8) + "PEFT " + tensor.PyTorchName);
            }

            W.Line("private const int AdapterLength = " + Text(plan.AdapterCount) + ";");
            W.Line("private const int AdapterArenaLength = " + Text(plan.AdapterArenaLength) + ";");
            W.Line();
            W.Line("private static readonly IReadOnlyList<TensorInfo> AdapterLayout = new TensorInfo[]");
            W.Line("{");
            foreach (var tensor in plan.AdapterTensors)
            {
                W.Line("    new(\"" + tensor.Name + "\", " + Text(tensor.Offset) + ", ImmutableArray.Create(" + string.Join(", ", tensor.Shape)
                    + ")) { PyTorchName = \"" + tensor.PyTorchName + "\", TransposedInPyTorch = false },");
            }

            W.Line("};");
            W.Line();
            W.Line("private readonly " + T + "[] adapters = new " + T + "[AdapterArenaLength];");
            W.Line();
        }

        private void WriteAdapterMembers()
        {
            Doc("Number of trainable parameters: the adapters' (the base is frozen).");
            W.Line("public int ParameterCount => AdapterLength;");
            W.Line();
            Doc("The adapter tensors, under PEFT's names (base_model.model.&lt;module&gt;.lora_A.weight and lora_B.weight).");
            W.Line("public IReadOnlyList<TensorInfo> Tensors => AdapterLayout;");
            W.Line();
            Doc("The adapters; workspaces read them, the optimizer writes them.");
            W.Line("public Span<" + T + "> Parameters => adapters.AsSpan(0, AdapterLength);");
            W.Line();
            Doc("Number of frozen base parameters.");
            W.Line("public int BaseParameterCount => ParameterLength;");
            W.Line();
            Doc("The frozen base tensors, in layer order, with their nn.Sequential names.");
            W.Line("public IReadOnlyList<TensorInfo> BaseTensors => TensorLayout;");
            W.Line();
            Doc("The frozen base weights: load pretrained weights here; no backward pass writes a gradient for them.");
            W.Line("public Span<" + T + "> BaseParameters => parameters.AsSpan(0, ParameterLength);");
            W.Line();
            Doc("The adapters' rank r.");
            W.Line("public int AdapterRank => " + Text(Lora.Rank) + ";");
            W.Line();
            Doc("The adapters' α: their output is scaled by α/r.");
            W.Line("public double AdapterAlpha => " + DoubleLiteral(Lora.Alpha) + ";");
            W.Line();
            Doc("Whether the adapters are folded into the base weights (prediction then costs what the base costs; training needs them unmerged).");
            W.Line("public bool AdaptersMerged { get; private set; }");
            W.Line();
        }

        private void WriteAdapterInitialize()
        {
            W.Line("// adapters: A Kaiming-uniform (U(±1/√inputs)), B zero — PEFT's defaults, so training starts from the base model");
            W.Line("AdaptersMerged = false;");
            foreach (var adapter in plan.Adapters)
            {
                var l = adapter.Layer.Layer;
                W.Line("LoraAdapter.Initialize<" + T + ">(adapters.AsSpan(" + Text(adapter.A.Offset) + ", " + Text(adapter.A.Length) + "), adapters.AsSpan("
                    + Text(adapter.B.Offset) + ", " + Text(adapter.B.Length) + "), " + Text(l.Inputs) + ", " + Text(l.Outputs) + ", " + Text(Lora.Rank) + ", ref random);");
            }
        }

        private void WriteAdapterViewsAndMerge()
        {
            foreach (var tensor in plan.AdapterTensors)
            {
                W.Line("private ReadOnlySpan<" + T + "> " + tensor.Property + " => new(adapters, " + Text(tensor.Offset) + ", " + Text(tensor.Length) + "); // " + tensor.ShapeText);
            }

            W.Line();
            WriteFold("MergeAdapters", "Merge", "Folds every adapter into its base weight, W += (α/r)·Aᵀ·Bᵀ, so prediction costs what the base model costs.", true);
            WriteFold("UnmergeAdapters", "Unmerge", "Takes the adapters back out of the base weights (to rounding), so training can continue.", false);
        }

        private void WriteFold(string method, string kernel, string summary, bool merged)
        {
            Doc(summary);
            using (W.Block("public void " + method + "()"))
            {
                W.Line("if (" + (merged ? "" : "!") + "AdaptersMerged)");
                W.Line("{");
                W.Line("    throw new InvalidOperationException(\"The adapters are " + (merged ? "already merged" : "not merged") + ".\");");
                W.Line("}");
                W.Line();
                foreach (var adapter in plan.Adapters)
                {
                    var l = adapter.Layer.Layer;
                    var weight = adapter.Layer.Weight;
                    W.Line("LoraAdapter." + kernel + "<" + T + ">(parameters.AsSpan(" + Text(weight.Offset) + ", " + Text(weight.Length) + "), " + adapter.A.Property + ", "
                        + adapter.B.Property + ", " + Text(l.Inputs) + ", " + Text(l.Outputs) + ", " + Text(Lora.Rank) + ", " + ScaleLiteral + ");");
                }

                W.Line("AdaptersMerged = " + (merged ? "true" : "false") + ";");
            }

            W.Line();
        }

        /// <summary>A targeted layer's forward: the base product into the pre-activation, the adapter added, then the activation.</summary>
        private void WriteAdaptedDenseForward(LayerPlan layer, AdapterPlan adapter, string x, string bias)
        {
            var l = layer.Layer;
            var y = layer.Output.Local;
            var z = l.Activation == ActivationKind.None ? y : layer.ExtraBuffer("Z").Local;
            var shape = "[batch, " + Text(l.Outputs) + "]";
            Body("// layer " + Text(layer.Index) + ": " + Describe(l) + ", with a rank-" + Text(Lora.Rank) + " adapter. "
                + z + " " + shape + " = " + x + "·W" + (layer.Bias is null ? "" : " + b") + " + (α/r)·" + x + "·Aᵀ·Bᵀ"
                + (l.Activation == ActivationKind.None ? "" : "; " + y + " = " + Lower(l.Activation) + "(" + z + ")"));
            Body(DenseForward(layer, x, bias, z, ActivationKind.None));
            Body("if (!network.AdaptersMerged)");
            Body("{");
            var input = x;
            if (adapter.DroppedInput is { } dropped)
            {
                input = dropped.Local;
                Body("    Dropout.Forward<" + T + ">(" + x + ", " + input + ", " + adapter.Mask!.Local + ", " + Literal(Lora.Dropout) + ", " + Text(Lora.Seed) + "UL, stream, step, training);");
            }

            Body("    LoraAdapter.Forward<" + T + ">(" + input + ", network." + adapter.A.Property + ", network." + adapter.B.Property + ", " + adapter.Hidden.Local + ", "
                + z + ", batch, " + Text(l.Inputs) + ", " + Text(l.Outputs) + ", " + Text(Lora.Rank) + ", " + ScaleLiteral + ");");
            Body("}");
            if (l.Activation != ActivationKind.None)
            {
                Body("ActivationLayer.Forward<" + T + ", " + OperatorType(l.Activation) + ">(" + z + ", " + y + ", " + Activations.Forward(l.Activation, T) + ");");
            }
        }

        /// <summary>A targeted layer's adapter backward, after the frozen base layer has turned dY into dZ and written dX = dZ·Wᵀ.</summary>
        private void WriteAdapterBackward(AdapterPlan adapter, string x, string dz, string dxArgument)
        {
            var l = adapter.Layer.Layer;
            var i = Text(adapter.Layer.Index);
            var input = adapter.DroppedInput?.Local ?? x;
            // An inference forward (dropout off) leaves no mask: the input passed through unchanged.
            var mask = adapter.Mask is { } m ? "training ? " + m.Local + " : ReadOnlySpan<" + T + ">.Empty" : "ReadOnlySpan<" + T + ">.Empty";
            var scratch = adapter.InputScratch?.Local ?? "Span<" + T + ">.Empty";
            Body("// layer " + i + " adapter backward: dB = (α/r)·dZᵀ·(x·Aᵀ), dA = ((α/r)·dZ·B)ᵀ·x" + (adapter.DroppedInput is null ? "" : " (x after dropout)")
                + ", and its share of dX added");
            Body("LoraAdapter.Backward<" + T + ">(" + input + ", network." + adapter.A.Property + ", network." + adapter.B.Property + ", " + adapter.Hidden.Local + ", " + dz + ", "
                + adapter.A.Property + "Gradient, " + adapter.B.Property + "Gradient, " + adapter.HiddenGradient.Local + ", " + dxArgument + ", " + mask + ", " + scratch
                + ", batch, " + Text(l.Inputs) + ", " + Text(l.Outputs) + ", " + Text(Lora.Rank) + ", " + ScaleLiteral + ");");
        }

        private void WriteAdapterBackwardGuard()
        {
            W.Line("if (network.AdaptersMerged)");
            W.Line("{");
            W.Line("    throw new InvalidOperationException(\"The adapters are merged into the base weights; call UnmergeAdapters() before training.\");");
            W.Line("}");
            W.Line();
        }

        private bool HasAdapterDropout => model.Lora is { Dropout: > 0 } && plan.Adapters.Any();
    }
}
