using System.Collections.Generic;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// What both emitters write for [LoraAdapters]: the adapter arena (the trainable Parameters), the frozen base
/// arena behind BaseParameters, PEFT's initialization, and merge/unmerge.
/// </summary>
internal abstract partial class EmitterBase
{
    protected string AdapterScale(LoraModel lora) => Literal(lora.Scale);

    /// <summary>Guards a backward pass: merged adapters would be counted twice.</summary>
    protected void WriteAdapterBackwardGuard()
    {
        W.Line("if (network.AdaptersMerged)");
        W.Line("{");
        W.Line("    throw new InvalidOperationException(\"The adapters are merged into the base weights; call UnmergeAdapters() before training.\");");
        W.Line("}");
        W.Line();
    }

    /// <summary>A and B of each adapter, in arena order.</summary>
    protected static IEnumerable<TensorPlan> AdapterTensors(IReadOnlyList<AdapterPlan> adapters)
    {
        foreach (var adapter in adapters)
        {
            yield return adapter.A;
            yield return adapter.B;
        }
    }

    protected void WriteAdapterLayout(LoraModel lora, IEnumerable<TensorPlan> tensors, int count, int arenaLength)
    {
        W.Line("// Adapter arena (the trainable parameters; workspaces' gradient arenas have its layout). A is [rank, inputs] as PEFT");
        W.Line("// stores lora_A.weight; B is kept transposed, [rank, units] (files hold PEFT's [units, rank]). Scale α/r = " + Literal(lora.Alpha) + "/" + Text(lora.Rank) + ".");
        foreach (var tensor in tensors)
        {
            W.Line("//   " + Pad(tensor.Name, 16) + Pad(tensor.ShapeText, 12) + "at " + Pad(Text(tensor.Offset), 8) + "PEFT " + tensor.PyTorchName);
        }

        W.Line("private const int AdapterLength = " + Text(count) + ";");
        W.Line("private const int AdapterArenaLength = " + Text(arenaLength) + ";");
        W.Line();
        W.Line("private static readonly IReadOnlyList<TensorInfo> AdapterLayout = new TensorInfo[]");
        W.Line("{");
        foreach (var tensor in tensors)
        {
            W.Line("    new(\"" + tensor.Name + "\", " + Text(tensor.Offset) + ", ImmutableArray.Create(" + string.Join(", ", tensor.Shape)
                + ")) { PyTorchName = \"" + tensor.PyTorchName + "\"" + (tensor.Name.EndsWith("lora_A", System.StringComparison.Ordinal) ? ", TransposedInPyTorch = false" : string.Empty) + " },");
        }

        W.Line("};");
        W.Line();
        W.Line("private readonly " + T + "[] adapters = new " + T + "[AdapterArenaLength];");
        W.Line();
    }

    /// <summary>The interface a class with adapters implements besides its own.</summary>
    protected string AdaptedInterface(LoraModel? lora) => lora is null ? string.Empty : ", IAdaptedModel<" + T + ">";

    protected void WriteAdapterMembers(LoraModel lora, string className, bool statistics = false)
    {
        Doc("The frozen base weights as a model of their own, under their usual names: load pretrained weights into it, save it once merged.");
        W.Line("public IModel<" + T + "> Base => frozenBase ??= new FrozenBase(this);");
        W.Line();
        W.Line("private FrozenBase? frozenBase;");
        W.Line();
        Doc("The base arena seen as a model; initializing it re-initializes the whole model.");
        using (W.Block("private sealed class FrozenBase(" + className + " model) : IModel<" + T + ">" + (statistics ? ", IModelStatistics<" + T + ">" : string.Empty)))
        {
            if (statistics)
            {
                W.Line("public IReadOnlyList<TensorInfo> StatisticTensors => model.StatisticTensors;");
                W.Line();
                W.Line("public Span<" + T + "> Statistics => model.Statistics;");
                W.Line();
            }

            W.Line("public int ParameterCount => ParameterLength;");
            W.Line();
            W.Line("public IReadOnlyList<TensorInfo> Tensors => TensorLayout;");
            W.Line();
            W.Line("public Span<" + T + "> Parameters => model.BaseParameters;");
            W.Line();
            W.Line("public void Initialize(ulong seed) => model.Initialize(seed);");
        }

        W.Line();
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
        Doc("The frozen base tensors, in arena order, with their PyTorch names.");
        W.Line("public IReadOnlyList<TensorInfo> BaseTensors => TensorLayout;");
        W.Line();
        Doc("The frozen base weights: load pretrained weights here; no backward pass writes a gradient for them.");
        W.Line("public Span<" + T + "> BaseParameters => parameters.AsSpan(0, ParameterLength);");
        W.Line();
        Doc("The adapters' rank r.");
        W.Line("public int AdapterRank => " + Text(lora.Rank) + ";");
        W.Line();
        Doc("The adapters' α: their output is scaled by α/r.");
        W.Line("public double AdapterAlpha => " + DoubleLiteral(lora.Alpha) + ";");
        W.Line();
        Doc("Whether the adapters are folded into the base weights (prediction then costs what the base costs; training needs them unmerged).");
        W.Line("public bool AdaptersMerged { get; private set; }");
        W.Line();
    }

    protected void WriteAdapterInitialize(LoraModel lora, IReadOnlyList<AdapterPlan> adapters)
    {
        W.Line("// adapters: A Kaiming-uniform (U(±1/√inputs)), B zero — PEFT's defaults, so training starts from the base model");
        W.Line("AdaptersMerged = false;");
        foreach (var adapter in adapters)
        {
            W.Line("LoraAdapter.Initialize<" + T + ">(adapters.AsSpan(" + Text(adapter.A.Offset) + ", " + Text(adapter.A.Length) + "), adapters.AsSpan("
                + Text(adapter.B.Offset) + ", " + Text(adapter.B.Length) + "), " + Text(adapter.Inputs) + ", " + Text(adapter.Outputs) + ", " + Text(lora.Rank) + ", ref random);");
        }
    }

    protected void WriteAdapterViewsAndMerge(LoraModel lora, IReadOnlyList<AdapterPlan> adapters)
        => WriteAdapterViewsAndMerge(lora, adapters, AdapterTensors(adapters), []);

    /// <summary>Views of the adapter arena's tensors, and merge/unmerge; merging also copies the layers trained whole into the base arena.</summary>
    protected void WriteAdapterViewsAndMerge(
        LoraModel lora, IReadOnlyList<AdapterPlan> adapters, IEnumerable<TensorPlan> tensors, IReadOnlyList<(TensorPlan Base, TensorPlan Trained)> trained)
    {
        foreach (var tensor in tensors)
        {
            W.Line("private ReadOnlySpan<" + T + "> " + tensor.Property + " => new(adapters, " + Text(tensor.Offset) + ", " + Text(tensor.Length) + "); // " + tensor.ShapeText);
        }

        W.Line();
        WriteFold(lora, adapters, trained, "MergeAdapters", "Merge", "Folds every adapter into its base weight, W += (α/r)·Aᵀ·Bᵀ, and copies the layers trained whole into the base arena, so prediction costs what the base model costs.", true);
        WriteFold(lora, adapters, [], "UnmergeAdapters", "Unmerge", "Takes the adapters back out of the base weights (to rounding), so training can continue; the layers trained whole keep their copy in the base arena.", false);
    }

    private void WriteFold(
        LoraModel lora, IReadOnlyList<AdapterPlan> adapters, IReadOnlyList<(TensorPlan Base, TensorPlan Trained)> trained, string method, string kernel, string summary, bool merged)
    {
        Doc(summary);
        using (W.Block("public void " + method + "()"))
        {
            W.Line("if (" + (merged ? "" : "!") + "AdaptersMerged)");
            W.Line("{");
            W.Line("    throw new InvalidOperationException(\"The adapters are " + (merged ? "already merged" : "not merged") + ".\");");
            W.Line("}");
            W.Line();
            foreach (var adapter in adapters)
            {
                var weight = adapter.Weight;
                W.Line("LoraAdapter." + kernel + "<" + T + ">(parameters.AsSpan(" + Text(weight.Offset) + ", " + Text(weight.Length) + "), " + adapter.A.Property + ", "
                    + adapter.B.Property + ", " + Text(adapter.Inputs) + ", " + Text(adapter.Outputs) + ", " + Text(lora.Rank) + ", " + AdapterScale(lora) + ");");
            }

            foreach (var (baseTensor, copy) in trained)
            {
                W.Line(copy.Property + ".CopyTo(parameters.AsSpan(" + Text(baseTensor.Offset) + ", " + Text(baseTensor.Length) + "));");
            }

            W.Line("AdaptersMerged = " + (merged ? "true" : "false") + ";");
        }

        W.Line();
    }
}
