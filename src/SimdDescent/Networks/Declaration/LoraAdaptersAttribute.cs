namespace SimdDescent.Networks;

/// <summary>
/// Fine-tunes a <see cref="NetworkAttribute"/> network or a <see cref="LanguageModelAttribute"/> model with low-rank
/// adapters (LoRA): each targeted Dense layer (or a transformer block's linear map)
/// computes y = f(x·W + b + (α/r)·x·Aᵀ·Bᵀ) with A [rank, inputs] Kaiming-uniform and B [units, rank] zero at
/// the start (PEFT's defaults). The base weights are frozen: they sit in an arena of their own
/// (<c>BaseParameters</c>, <c>BaseTensors</c>) and get no gradient work (a language model's embeddings and
/// LayerNorms included), while <see cref="IModel{T}.Parameters"/>,
/// <see cref="IModel{T}.Tensors"/> and the workspaces' gradients cover the adapters alone, under PEFT's names
/// (<c>base_model.model.0.lora_A.weight</c>), so optimizers and checkpoints work on the adapters unchanged. The declared
/// targets, rank and α are defaults: a constructor taking <see cref="LoraOptions"/> chooses a subset of the targets, a rank
/// up to <see cref="MaxRank"/> and α, and lays the adapter arena out for them.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 784, MaxBatch = 64)]
/// [Dense(128, Activation.Relu)]
/// [Dense(10)]
/// [SoftmaxCrossEntropy]
/// [LoraAdapters(Rank = 8, Alpha = 16, Targets = [0])]
/// public partial class FashionMlpLora;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LoraAdaptersAttribute : Attribute
{
    /// <summary>The default rank r of every adapter; must be positive (PEFT's default is 8). <see cref="LoraOptions.Rank"/> chooses another at construction.</summary>
    public int Rank { get; set; } = 8;

    /// <summary>The largest rank <see cref="LoraOptions.Rank"/> may choose (the workspaces' buffers hold it); at least <see cref="Rank"/>, which it defaults to.</summary>
    public int MaxRank { get; set; }

    /// <summary>The default scaling numerator α: adapters add (α/r)·B·A (PEFT's default α is 8). <see cref="LoraOptions.Alpha"/> chooses another at construction.</summary>
    public double Alpha { get; set; } = 8;

    /// <summary>Dropout probability in [0, 1) on each adapter's input (PEFT's <c>lora_dropout</c>, default 0).</summary>
    public double Dropout { get; set; }

    /// <summary>Seed of the adapters' dropout masks.</summary>
    public ulong Seed { get; set; }

    /// <summary>
    /// <see cref="NetworkAttribute"/> networks: indices of the targeted layers in declaration order (each must be a
    /// Dense layer); empty or unset: every Dense layer.
    /// </summary>
    public int[] Targets { get; set; } = [];

    /// <summary>
    /// <see cref="NetworkAttribute"/> networks: indices of Dense layers trained whole beside the adapters, as PEFT's
    /// <c>modules_to_save</c> (typically a new classification head). Their weight and bias live in the adapter arena,
    /// under PEFT's names (<c>base_model.model.11.weight</c>), start from the layer's own initializer and are copied into
    /// the base arena by <see cref="IAdaptedModel{T}.MergeAdapters"/>. A trainable layer takes no adapter.
    /// </summary>
    public int[] Trainable { get; set; } = [];

    /// <summary>
    /// <see cref="LanguageModelAttribute"/> models: the targeted linear maps of every block, by nanoGPT module name as
    /// PEFT's <c>target_modules</c> takes them — <c>c_attn</c>, <c>attn.c_proj</c>, <c>c_fc</c>, <c>mlp.c_proj</c>, or
    /// <c>c_proj</c> for both projections; empty or unset: all four.
    /// </summary>
    public string[] Modules { get; set; } = [];
}
