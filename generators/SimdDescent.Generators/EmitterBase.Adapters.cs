using System.Collections.Generic;
using System.Linq;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// What both emitters write for [LoraAdapters]: the adapter arena (the trainable Parameters), laid out at construction
/// for the rank, α and targets a LoraOptions chooses; the frozen base arena behind BaseParameters; PEFT's
/// initialization; and merge/unmerge.
/// </summary>
internal abstract partial class EmitterBase
{
    /// <summary>A chosen adapter's guard: its A offset is −1 when LoraOptions left its target out.</summary>
    protected static string IsChosen(AdapterPlan adapter, string owner = "") => owner + adapter.OffsetField + " >= 0";

    /// <summary>The first rank·width elements of a buffer sized for MaxRank: the [rank, width] matrix the kernels read.</summary>
    protected static string RankRows(string buffer, string width, string owner = "network.") => buffer + "[..(" + owner + "AdapterRank * " + width + ")]";

    /// <summary>The arguments that end every adapter kernel call: sizes, the chosen rank and the scale α/r.</summary>
    protected static string AdapterSizes(AdapterPlan adapter, string owner = "network.") =>
        Text(adapter.Inputs) + ", " + Text(adapter.Outputs) + ", " + owner + "AdapterRank, " + owner + "adapterScale";

    /// <summary>Guards a backward pass: merged adapters would be counted twice.</summary>
    protected void WriteAdapterBackwardGuard()
    {
        W.Line("if (network.AdaptersMerged)");
        W.Line("{");
        W.Line("    throw new InvalidOperationException(\"The adapters are merged into the base weights; call UnmergeAdapters() before training.\");");
        W.Line("}");
        W.Line();
    }

    protected void WriteAdapterLayout(LoraModel lora, IReadOnlyList<AdapterPlan> adapters, IReadOnlyList<string> candidates, IReadOnlyList<(TensorPlan Base, TensorPlan Trained)> trained)
    {
        W.Line("// Adapter arena (the trainable parameters; workspaces' gradient arenas have its layout), laid out at construction: the");
        W.Line("// layers trained whole first, at fixed offsets, then A [rank, inputs] (PEFT's lora_A.weight) and B kept transposed,");
        W.Line("// [rank, units] (files hold PEFT's [units, rank]), of each chosen target. Declared: rank " + Text(lora.Rank) + " (at most " + Text(lora.MaxRank)
            + "), α " + Literal(lora.Alpha) + ", targets " + string.Join(", ", candidates) + ".");
        foreach (var (_, tensor) in trained)
        {
            W.Line("//   " + Pad(tensor.Name, 16) + Pad(tensor.ShapeText, 12) + "at " + Pad(Text(tensor.Offset), 8) + "PEFT " + tensor.PyTorchName);
        }

        W.Line("private const int TrainedLength = " + Text(trained.Sum(t => t.Trained.Length)) + ";");
        W.Line("private const int DeclaredAdapterRank = " + Text(lora.Rank) + ";");
        W.Line("private const int MaxAdapterRank = " + Text(lora.MaxRank) + ";");
        W.Line("private const double DeclaredAdapterAlpha = " + DoubleLiteral(lora.Alpha) + ";");
        W.Line();
        W.Line("private static readonly string[] AdapterCandidates = [" + string.Join(", ", candidates.Select(c => "\"" + c + "\"")) + "];");
        W.Line();
        W.Line("private static readonly TensorInfo[] TrainedLayout =");
        W.Line("[");
        foreach (var (_, tensor) in trained)
        {
            W.Line("    new(\"" + tensor.Name + "\", " + Text(tensor.Offset) + ", ImmutableArray.Create(" + string.Join(", ", tensor.Shape) + ")) { PyTorchName = \"" + tensor.PyTorchName + "\" },");
        }

        W.Line("];");
        W.Line();
        W.Line("private readonly " + T + "[] adapters;");
        W.Line("private readonly int adapterLength;");
        W.Line("private readonly IReadOnlyList<TensorInfo> adapterLayout;");
        W.Line("private readonly string[] adapterTargets;");
        W.Line("private readonly " + T + " adapterScale;");
        foreach (var adapter in adapters)
        {
            W.Line("private readonly int " + adapter.OffsetField + " = -1;");
        }

        W.Line();
    }

    /// <summary>
    /// The constructors of an adapted model: the declared adapters, or those a LoraOptions chooses; either lays the adapter
    /// arena out, then initializes and creates the default workspace.
    /// </summary>
    protected void WriteAdapterConstructors(LoraModel lora, string className, ulong seed, IReadOnlyList<AdapterPlan> adapters, string workspaceArguments)
    {
        Doc("Creates the model with the declared adapters, parameters initialized from the declared seed (" + Text(seed) + ").");
        W.Line("public " + className + "()");
        W.Line("    : this(new LoraOptions())");
        W.Line("{");
        W.Line("}");
        W.Line();
        Doc("Creates the model with the adapters <paramref name=\"options\"/> chooses (rank up to " + Text(lora.MaxRank) + ", α, a subset of the declared targets), parameters initialized from the declared seed (" + Text(seed) + ").");
        W.Line("/// <exception cref=\"ArgumentOutOfRangeException\">The rank is outside [1, " + Text(lora.MaxRank) + "] or α is not finite.</exception>");
        W.Line("/// <exception cref=\"ArgumentException\">A target is not a declared one.</exception>");
        using (W.Block("public " + className + "(LoraOptions options)"))
        {
            W.Line("ArgumentNullException.ThrowIfNull(options);");
            W.Line("var (rank, alpha, chosen) = options.Resolve(AdapterCandidates, DeclaredAdapterRank, MaxAdapterRank, DeclaredAdapterAlpha);");
            W.Line("AdapterRank = rank;");
            W.Line("AdapterAlpha = alpha;");
            W.Line("adapterScale = LoraAdapter.Scale<" + T + ">(alpha, rank);");
            W.Line("var layout = new List<TensorInfo>(TrainedLayout);");
            W.Line("var offset = TrainedLength;");
            foreach (var adapter in adapters)
            {
                W.Line("if (chosen[" + Text(adapter.Candidate) + "])");
                W.Line("{");
                W.Line("    " + adapter.OffsetField + " = offset;");
                W.Line("    layout.Add(new(\"" + adapter.A.Name + "\", offset, ImmutableArray.Create(rank, " + Text(adapter.Inputs) + ")) { PyTorchName = \"" + adapter.A.PyTorchName + "\", TransposedInPyTorch = false });");
                W.Line("    offset += rank * " + Text(adapter.Inputs) + ";");
                W.Line("    layout.Add(new(\"" + adapter.B.Name + "\", offset, ImmutableArray.Create(rank, " + Text(adapter.Outputs) + ")) { PyTorchName = \"" + adapter.B.PyTorchName + "\" });");
                W.Line("    offset += rank * " + Text(adapter.Outputs) + ";");
                W.Line("}");
            }

            W.Line();
            W.Line("adapterLength = offset;");
            W.Line("adapters = new " + T + "[(offset + " + Text(NetworkPlan.Alignment - 1) + ") / " + Text(NetworkPlan.Alignment) + " * " + Text(NetworkPlan.Alignment) + "];");
            W.Line("adapterLayout = layout;");
            W.Line("adapterTargets = [.. AdapterCandidates.Where((_, i) => chosen[i])];");
            W.Line("Initialize(" + Text(seed) + "UL);");
            W.Line("DefaultWorkspace = new Workspace(" + workspaceArguments + ");");
        }

        W.Line();
    }

    /// <summary>The interface a class with adapters implements besides its own.</summary>
    protected string AdaptedInterface(LoraModel? lora) => lora is null ? string.Empty : ", IAdaptedModel<" + T + ">";

    protected void WriteAdapterMembers(string className, bool statistics = false)
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
        Doc("Number of trainable parameters: the adapters' and the layers' trained whole (the base is frozen).");
        W.Line("public int ParameterCount => adapterLength;");
        W.Line();
        Doc("The trainable tensors under PEFT's names: the layers trained whole (base_model.model.&lt;module&gt;.weight), then the adapters (….lora_A.weight and lora_B.weight).");
        W.Line("public IReadOnlyList<TensorInfo> Tensors => adapterLayout;");
        W.Line();
        Doc("The adapters; workspaces read them, the optimizer writes them.");
        W.Line("public Span<" + T + "> Parameters => adapters.AsSpan(0, adapterLength);");
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
        Doc("The targets that carry an adapter, in arena order.");
        W.Line("public IReadOnlyList<string> AdapterTargets => adapterTargets;");
        W.Line();
        Doc("The adapters' rank r.");
        W.Line("public int AdapterRank { get; }");
        W.Line();
        Doc("The adapters' α: their output is scaled by α/r.");
        W.Line("public double AdapterAlpha { get; }");
        W.Line();
        Doc("Whether the adapters are folded into the base weights (prediction then costs what the base costs; training needs them unmerged).");
        W.Line("public bool AdaptersMerged { get; private set; }");
        W.Line();
    }

    protected void WriteAdapterInitialize(IReadOnlyList<AdapterPlan> adapters)
    {
        W.Line("// adapters: A Kaiming-uniform (U(±1/√inputs)), B zero — PEFT's defaults, so training starts from the base model");
        W.Line("AdaptersMerged = false;");
        foreach (var adapter in adapters)
        {
            W.Line("if (" + IsChosen(adapter) + ")");
            W.Line("{");
            W.Line("    LoraAdapter.Initialize<" + T + ">(adapters.AsSpan(" + adapter.OffsetField + ", AdapterRank * " + Text(adapter.Inputs) + "), adapters.AsSpan("
                + adapter.OffsetField + " + (AdapterRank * " + Text(adapter.Inputs) + "), AdapterRank * " + Text(adapter.Outputs) + "), " + Text(adapter.Inputs) + ", " + Text(adapter.Outputs) + ", AdapterRank, ref random);");
            W.Line("}");
        }
    }

    /// <summary>Views of the adapter arena's tensors, and merge/unmerge; merging also copies the layers trained whole into the base arena.</summary>
    protected void WriteAdapterViewsAndMerge(IReadOnlyList<AdapterPlan> adapters, IReadOnlyList<(TensorPlan Base, TensorPlan Trained)> trained)
    {
        foreach (var (_, tensor) in trained)
        {
            W.Line("private ReadOnlySpan<" + T + "> " + tensor.Property + " => new(adapters, " + Text(tensor.Offset) + ", " + Text(tensor.Length) + "); // " + tensor.ShapeText);
        }

        foreach (var adapter in adapters)
        {
            var (a, b) = AdapterSpans(adapter, string.Empty);
            W.Line("private ReadOnlySpan<" + T + "> " + adapter.A.Property + " => new(adapters, " + a + "); // [rank, " + Text(adapter.Inputs) + "]");
            W.Line("private ReadOnlySpan<" + T + "> " + adapter.B.Property + " => new(adapters, " + b + "); // [rank, " + Text(adapter.Outputs) + "]");
        }

        W.Line();
        WriteFold(adapters, trained, "MergeAdapters", "Merge", "Folds every adapter into its base weight, W += (α/r)·Aᵀ·Bᵀ, and copies the layers trained whole into the base arena, so prediction costs what the base model costs.", true);
        WriteFold(adapters, [], "UnmergeAdapters", "Unmerge", "Takes the adapters back out of the base weights (to rounding), so training can continue; the layers trained whole keep their copy in the base arena.", false);
    }

    /// <summary>A view per trainable tensor's gradient, inside a workspace, at the offsets its network chose.</summary>
    protected void WriteAdapterGradientViews(IReadOnlyList<AdapterPlan> adapters, IReadOnlyList<(TensorPlan Base, TensorPlan Trained)> trained)
    {
        foreach (var (_, tensor) in trained)
        {
            W.Line("private Span<" + T + "> " + tensor.Property + "Gradient => gradients.AsSpan(" + Text(tensor.Offset) + ", " + Text(tensor.Length) + ");");
        }

        foreach (var adapter in adapters)
        {
            var (a, b) = AdapterSpans(adapter, "network.");
            W.Line("private Span<" + T + "> " + adapter.A.Property + "Gradient => gradients.AsSpan(" + a + ");");
            W.Line("private Span<" + T + "> " + adapter.B.Property + "Gradient => gradients.AsSpan(" + b + ");");
        }
    }

    /// <summary>Offset and length of A and of Bᵀ in an adapter-arena-shaped array, for the chosen rank.</summary>
    private static (string A, string B) AdapterSpans(AdapterPlan adapter, string owner)
    {
        var aLength = owner + "AdapterRank * " + Text(adapter.Inputs);
        return (owner + adapter.OffsetField + ", " + aLength, owner + adapter.OffsetField + " + (" + aLength + "), " + owner + "AdapterRank * " + Text(adapter.Outputs));
    }

    private void WriteFold(
        IReadOnlyList<AdapterPlan> adapters, IReadOnlyList<(TensorPlan Base, TensorPlan Trained)> trained, string method, string kernel, string summary, bool merged)
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
                W.Line("if (" + IsChosen(adapter) + ")");
                W.Line("{");
                W.Line("    LoraAdapter." + kernel + "<" + T + ">(parameters.AsSpan(" + Text(weight.Offset) + ", " + Text(weight.Length) + "), " + adapter.A.Property + ", "
                    + adapter.B.Property + ", " + AdapterSizes(adapter, string.Empty) + ");");
                W.Line("}");
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
