using System;
using System.Collections.Generic;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// Writes the C# of one language model. Like the network emitter's output it is meant to be read: each step of
/// the forward and backward pass is one call into SimdDescent.Layers with its shapes in a comment, and the
/// residual stream's additions are explicit.
/// </summary>
internal sealed partial class LanguageModelEmitter : EmitterBase
{
    private readonly LanguageModelModel model;
    private readonly LanguageModelPlan plan;
    private readonly string c;
    private readonly string v;
    private readonly string f;

    private LanguageModelEmitter(LanguageModelModel model)
        : base(model.Element == ElementKind.Double)
    {
        this.model = model;
        plan = new LanguageModelPlan(model);
        c = Text(model.Width);
        v = Text(model.Vocabulary);
        f = Text(model.Hidden);
    }

    public static string Emit(LanguageModelModel model) => new LanguageModelEmitter(model).Write();

    private int HeadSize => model.Width / model.Heads;

    private string Last => "x" + Text(2 * model.Blocks);

    private string Write()
    {
        WriteFileHeader(model.Namespace, "Generated GPT-style language model (" + T + ", max batch " + Text(model.MaxBatch) + "): vocabulary " + v
            + ", context " + Text(model.Context) + ", width " + c + ", " + Text(model.Blocks) + " pre-LayerNorm transformer block(s) of "
            + Text(model.Heads) + " head(s) and a GELU MLP of " + f + ", final LayerNorm, "
            + (model.TiedHead ? "output head tied to the token embedding" : "untied output head") + "; loss: softmax cross-entropy at every position.");
        using (W.Block("partial class " + model.ClassName + " : ILanguageModel<" + T + ">" + AdaptedInterface(model.Lora)))
        {
            WriteLayout();
            if (model.Lora is { } lora)
            {
                WriteAdapterLayout(lora, plan.Adapters, plan.AdapterCandidates, []);
            }

            WriteModelMembers();
            WriteInitialize();
            WriteParameterViews(plan.Tensors);
            if (Frozen)
            {
                WriteAdapterViewsAndMerge(plan.Adapters, []);
            }

            WriteWorkspace();
            W.Line();
            WriteDecoder();
        }

        return W.ToString();
    }

    private void WriteLayout()
    {
        W.Line("// Parameter arena (the gradient arena has the same layout), in nanoGPT's order and names. Offsets in");
        W.Line("// elements; linear weights are [in, out] here and [out, in] in PyTorch (transposed on save and load).");
        foreach (var tensor in plan.Tensors)
        {
            W.Line("//   " + Pad(tensor.Name, 36) + Pad(tensor.ShapeText, 12) + "at " + Text(tensor.Offset));
        }

        if (model.TiedHead)
        {
            W.Line("// lm_head.weight is transformer.wte.weight (tied): not a tensor of its own; files hold a copy under that name.");
        }

        W.Line("private const int ParameterLength = " + Text(plan.ParameterCount) + ";");
        W.Line("private const int ArenaLength = " + Text(plan.ArenaLength) + "; // padded to " + Text(NetworkPlan.Alignment) + " elements");
        W.Line();
        W.Line("private static readonly IReadOnlyList<TensorInfo> TensorLayout = new TensorInfo[]");
        W.Line("{");
        foreach (var tensor in plan.Tensors)
        {
            var embedding = tensor.Property is "Wte" or "Wpe" ? ", TransposedInPyTorch = false" : string.Empty;
            if (tensor.Property == "Wte" && model.TiedHead)
            {
                embedding += ", TiedPyTorchName = \"lm_head.weight\"";
            }

            W.Line("    new(\"" + tensor.Name + "\", " + Text(tensor.Offset) + ", ImmutableArray.Create(" + string.Join(", ", tensor.Shape) + ")) { PyTorchName = \"" + tensor.PyTorchName + "\"" + embedding + " },");
        }

        W.Line("};");
        W.Line();
        W.Line("private readonly " + T + "[] parameters = new " + T + "[ArenaLength];");
        W.Line();
    }

    private void WriteModelMembers()
    {
        if (model.Lora is { } adapted)
        {
            WriteAdapterConstructors(adapted, model.ClassName, model.Seed, plan.Adapters, "this");
        }
        else
        {
            WriteConstructor(model.ClassName, "model", model.Seed, "this");
        }

        Doc("Number of distinct tokens.");
        W.Line("public int Vocabulary => VocabularyValue;");
        W.Line();
        Doc("The longest sequence the model reads.");
        W.Line("public int Context => ContextValue;");
        W.Line();
        Doc("Channels of the residual stream.");
        W.Line("public int Width => " + c + ";");
        W.Line();
        Doc("The largest batch of sequences a workspace accepts.");
        W.Line("public int MaxBatch => MaxBatchValue;");
        W.Line();
        if (Frozen)
        {
            WriteAdapterMembers(model.ClassName);
        }
        else
        {
            WriteArenaMembers("in nanoGPT's order");
        }

        Doc("The workspace behind this model's own Forward, Backward and Predict.");
        W.Line("public Workspace DefaultWorkspace { get; }");
        W.Line();
        Doc("The default workspace's gradients.");
        W.Line("public Span<" + T + "> Gradients => DefaultWorkspace.Gradients;");
        W.Line();
        Doc("Creates another workspace over these parameters, e.g. one per thread.");
        W.Line("public Workspace CreateWorkspace() => new(this);");
        W.Line();
        W.Line("ILanguageModelWorkspace<" + T + "> ILanguageModel<" + T + ">.CreateWorkspace() => CreateWorkspace();");
        W.Line();
        Doc("Creates a key/value-cached decoder over these parameters: one token in, that position's logits out.");
        W.Line("public Decoder CreateDecoder() => new(this);");
        W.Line();
        W.Line("ILanguageModelDecoder<" + T + "> ILanguageModel<" + T + ">.CreateDecoder() => CreateDecoder();");
        W.Line();
        Doc("Runs the default workspace forward and returns the mean loss over every position.");
        W.Line("public " + T + " Forward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int time) => DefaultWorkspace.Forward(tokens, targets, batch, time);");
        W.Line();
        Doc("Fills the default workspace's gradients for the last Forward.");
        W.Line("public void Backward() => DefaultWorkspace.Backward();");
        W.Line();
        Doc("Inference on the default workspace: writes the logits of every position.");
        W.Line("public void Predict(ReadOnlySpan<int> tokens, Span<" + T + "> logits, int batch, int time) => DefaultWorkspace.Predict(tokens, logits, batch, time);");
        W.Line();
        W.Line("private const int VocabularyValue = " + v + ";");
        W.Line("private const int ContextValue = " + Text(model.Context) + ";");
        W.Line("private const int MaxBatchValue = " + Text(model.MaxBatch) + ";");
        W.Line();
    }

    private void WriteInitialize()
    {
        var residual = 0.02 / Math.Sqrt(2 * model.Blocks);
        Doc("Re-initializes every parameter deterministically from <paramref name=\"seed\"/>, as nanoGPT: weights N(0, 0.02²), residual projections N(0, (0.02/√(2·blocks))²), biases 0, LayerNorm scales 1.");
        using (W.Block("public void Initialize(ulong seed)"))
        {
            W.Line("var random = new SplitMix64(seed);");
            foreach (var tensor in plan.Tensors)
            {
                var span = "parameters.AsSpan(" + Text(tensor.Offset) + ", " + Text(tensor.Length) + ")";
                if (tensor.Name.EndsWith(".bias", StringComparison.Ordinal))
                {
                    W.Line(span + ".Clear(); // " + tensor.Name);
                }
                else if (tensor.Name.Contains("ln_"))
                {
                    W.Line(span + ".Fill(" + One() + "); // " + tensor.Name);
                }
                else
                {
                    var std = tensor.Name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? residual : 0.02;
                    W.Line("Initialization.Normal(" + span + ", " + DoubleLiteral(std) + ", ref random); // " + tensor.Name);
                }
            }

            if (Frozen)
            {
                WriteAdapterInitialize(plan.Adapters);
            }
        }

        W.Line();
    }

    private void WriteWorkspace()
    {
        var name = model.ClassName;
        Doc("Per-thread state of a <see cref=\"" + name + "\"/>: activations, backward scratch and a gradient arena for up to "
            + Text(model.MaxBatch) + " sequences of " + Text(model.Context) + " tokens. Workspaces share the model's parameters read-only.");
        using (W.Block("public sealed class Workspace : ILanguageModelWorkspace<" + T + ">"))
        {
            WriteActivationLayout(plan.Buffers, plan.ActivationLength, "rows", "batch × time positions", 26, 14);
            W.Line("private const int Heads = " + Text(model.Heads) + ";");
            W.Line();
            WriteWorkspaceArrays(name, Frozen);
            W.Line("private readonly int[] tokens = new int[MaxBatchValue * ContextValue]; // kept for the embedding's backward pass");
            W.Line("private readonly " + T + "[] attentionScratch = new " + T + "[Math.Max(");
            W.Line("    CausalSelfAttention.ForwardScratchLength(ContextValue, " + Text(HeadSize) + "), CausalSelfAttention.BackwardScratchLength(ContextValue))];");
            W.Line("private int batch;");
            W.Line("private int time;");
            W.Line("private bool hasForward;");
            W.Line();
            if (Frozen)
            {
                using (W.Block("internal Workspace(" + name + " network)"))
                {
                    W.Line("this.network = network;");
                    W.Line("gradients = new " + T + "[network.adapters.Length];");
                }
            }
            else
            {
                W.Line("internal Workspace(" + name + " network) => this.network = network;");
            }

            W.Line();
            Doc("d(mean loss)/dθ from the last Backward, laid out like the parameters.");
            W.Line("public Span<" + T + "> Gradients => gradients.AsSpan(0, " + (Frozen ? "network.adapterLength" : "ParameterLength") + ");");
            W.Line();
            WriteForward();
            WritePredict();
            WriteRunLayers();
            WriteBackward();
            W.Line("private Span<" + T + "> Rows(int offset, int rows, int width) => activations.AsSpan(offset, rows * width);");
            W.Line();
            if (Frozen)
            {
                WriteAdapterGradientViews(plan.Adapters, []);
            }
            else
            {
                WriteGradientViews(plan.Tensors);
            }
        }
    }

    private void WriteForward()
    {
        Doc("Runs the model on <paramref name=\"batch\"/> sequences of <paramref name=\"time\"/> tokens and returns the mean cross-entropy over every position; its gradient is kept for Backward.");
        using (W.Block("public " + T + " Forward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int time)"))
        {
            W.Line("NetworkArguments.CheckSequences(tokens, batch, time, MaxBatchValue, ContextValue);");
            W.Line("NetworkArguments.CheckSequences(targets, batch, time, MaxBatchValue, ContextValue, nameof(targets));");
            W.Line("hasForward = false;");
            W.Line("RunLayers(tokens, batch, time);");
            W.Line("var rows = batch * time;");
            W.Line("// loss: softmax cross-entropy of every position's " + v + " logits, mean over the batch × time rows;");
            W.Line("// d(mean loss)/d(logits) is written in the same pass");
            W.Line("var loss = Losses.SoftmaxCrossEntropy<" + T + ">(Rows(Logits, rows, " + v + "), targets.Slice(0, rows), Rows(DLogits, rows, " + v + "), rows, " + v + ");");
            W.Line("hasForward = true;");
            W.Line("return loss;");
        }

        W.Line();
    }

    private void WritePredict()
    {
        Doc("Inference: writes the logits [batch, time, " + v + "] of every position to <paramref name=\"logits\"/>.");
        using (W.Block("public void Predict(ReadOnlySpan<int> tokens, Span<" + T + "> logits, int batch, int time)"))
        {
            W.Line("NetworkArguments.CheckSequences(tokens, batch, time, MaxBatchValue, ContextValue);");
            W.Line("NetworkArguments.CheckOutputs(logits, batch * time, " + v + ");");
            W.Line("hasForward = false;");
            W.Line("RunLayers(tokens, batch, time);");
            W.Line("Rows(Logits, batch * time, " + v + ").CopyTo(logits);");
        }

        W.Line();
    }

    private void WriteRunLayers()
    {
        using (W.Block("private void RunLayers(ReadOnlySpan<int> tokens, int batch, int time)"))
        {
            W.Line("this.batch = batch;");
            W.Line("this.time = time;");
            W.Line("var rows = batch * time;");
            W.Line("var sequence = this.tokens.AsSpan(0, rows);");
            W.Line("tokens.Slice(0, rows).CopyTo(sequence);");
            Body(string.Empty);
            Body("// embeddings: x0 [rows, " + c + "] = wte[token] + wpe[position]");
            Body("Embedding.Forward<" + T + ">(sequence, network.Wte, network.Wpe, x0, batch, time, " + c + ");");
            for (var i = 0; i < model.Blocks; i++)
            {
                WriteBlockForward(i);
            }

            Body(string.Empty);
            Body("// ln_f: lnFOut = LayerNorm(" + Last + ")");
            Body(LayerNormForward(Last, "LnF", "lnFOut", "lnFMean", "lnFRstd"));
            Body(string.Empty);
            if (model.TiedHead)
            {
                Body("// lm_head (tied): logits [rows, " + v + "] = lnFOut [rows, " + c + "] · wteᵀ");
                Body("TiedHead.Forward<" + T + ">(lnFOut, network.Wte, logits, rows, " + c + ", " + v + ");");
            }
            else
            {
                Body("// lm_head: logits [rows, " + v + "] = lnFOut [rows, " + c + "] · W [" + c + ", " + v + "], no bias");
                Body(DenseForward("lnFOut", "LmHeadWeight", null, "logits", c, v));
            }

            FlushBody(plan.Buffers, "rows");
        }

        W.Line();
    }

    private void WriteBlockForward(int i)
    {
        var n = Text(i);
        var x = "x" + Text(2 * i);
        var mid = "x" + Text((2 * i) + 1);
        var next = "x" + Text((2 * i) + 2);
        var block = "Block" + n;
        Body(string.Empty);
        Body("// block " + n + ", attention: " + mid + " = " + x + " + c_proj(attn(c_attn(ln_1(" + x + "))))");
        Body(LayerNormForward(x, block + "Ln1", "ln1Out" + n, "ln1Mean" + n, "ln1Rstd" + n));
        Body("// qkv" + n + " [rows, " + Text(3 * model.Width) + "] = ln1Out" + n + " · W [" + c + ", " + Text(3 * model.Width) + "] + b");
        Body(DenseForward("ln1Out" + n, block + "AttentionWeight", block + "AttentionBias", "qkv" + n, c, Text(3 * model.Width)));
        AdapterForward(i, LanguageModelModules.Attention, "ln1Out" + n, "qkv" + n);
        Body("// attention" + n + " [rows, " + c + "]: " + Text(model.Heads) + " causal heads of " + Text(HeadSize) + " channels, softmax(q·kᵀ/√" + Text(HeadSize) + ")·v");
        Body("CausalSelfAttention.Forward<" + T + ">(qkv" + n + ", attention" + n + ", logSumExp" + n + ", attentionScratch, batch, time, " + c + ", Heads);");
        Body("// projection = attention" + n + " · W [" + c + ", " + c + "] + b; " + mid + " = " + x + " + projection");
        Body(DenseForward("attention" + n, block + "AttentionProjectionWeight", block + "AttentionProjectionBias", "projection", c, c));
        AdapterForward(i, LanguageModelModules.AttentionProjection, "attention" + n, "projection");
        Body("Blas.Add<" + T + ">(" + x + ", projection, " + mid + ");");
        Body(string.Empty);
        Body("// block " + n + ", MLP: " + next + " = " + mid + " + c_proj(gelu(c_fc(ln_2(" + mid + "))))");
        Body(LayerNormForward(mid, block + "Ln2", "ln2Out" + n, "ln2Mean" + n, "ln2Rstd" + n));
        Body("// mlpIn" + n + " [rows, " + f + "] = ln2Out" + n + " · W [" + c + ", " + f + "] + b; mlpHidden" + n + " = gelu(mlpIn" + n + ")");
        Body(DenseForward("ln2Out" + n, block + "MlpWeight", block + "MlpBias", "mlpIn" + n, c, f));
        AdapterForward(i, LanguageModelModules.Mlp, "ln2Out" + n, "mlpIn" + n);
        Body("ActivationLayer.Forward<" + T + ", GeluOperator<" + T + ">>(mlpIn" + n + ", mlpHidden" + n + ", new GeluOperator<" + T + ">());");
        Body("// projection = mlpHidden" + n + " · W [" + f + ", " + c + "] + b; " + next + " = " + mid + " + projection");
        Body(DenseForward("mlpHidden" + n, block + "MlpProjectionWeight", block + "MlpProjectionBias", "projection", f, c));
        AdapterForward(i, LanguageModelModules.MlpProjection, "mlpHidden" + n, "projection");
        Body("Blas.Add<" + T + ">(" + mid + ", projection, " + next + ");");
    }

    private void WriteBackward()
    {
        Doc("Overwrites Gradients with d(mean loss)/dθ of the last Forward, from the head back to the embeddings.");
        using (W.Block("public void Backward()"))
        {
            W.Line("NetworkArguments.CheckForwardRan(hasForward);");
            if (Frozen)
            {
                WriteAdapterBackwardGuard();
            }

            W.Line("var batch = this.batch;");
            W.Line("var time = this.time;");
            W.Line("var rows = batch * time;");
            Body(string.Empty);
            if (model.TiedHead)
            {
                Body("// lm_head (tied): d(wte) = dLogitsᵀ·lnFOut (overwritten here, the embedding adds to it); dLn = dLogits·wte");
                Body("TiedHead.Backward<" + T + ">(lnFOut, network.Wte, dLogits, " + Gradient("Wte") + ", dLn, rows, " + c + ", " + v + ");");
            }
            else
            {
                Body("// lm_head: dW = lnFOutᵀ·dLogits, dLn = dLogits·Wᵀ; d(wte) starts from 0, the embedding adds to it");
                Body("Dense.Backward<" + T + ">(lnFOut, network.LmHeadWeight, dLogits, " + Gradient("LmHeadWeight") + ", Span<" + T + ">.Empty, dLn, rows, " + c + ", " + v + ");");
                if (!Frozen)
                {
                    Body("WteGradient.Clear();");
                }
            }

            Body(string.Empty);
            Body("// ln_f: dx = d(" + Last + ")");
            Body(LayerNormBackward(Last, "LnF", "lnFMean", "lnFRstd", "dx"));
            for (var i = model.Blocks - 1; i >= 0; i--)
            {
                WriteBlockBackward(i);
            }

            if (!Frozen)
            {
                Body(string.Empty);
                Body("// embeddings: dx = d(x0) is added to the token rows of d(wte) and the position rows of d(wpe)");
                Body("WpeGradient.Clear();");
                Body("Embedding.Backward<" + T + ">(this.tokens.AsSpan(0, rows), dx, WteGradient, WpeGradient, batch, time, " + c + ");");
            }
            FlushBody(plan.Buffers, "rows");
        }

        W.Line();
    }

    private void WriteBlockBackward(int i)
    {
        var n = Text(i);
        var x = "x" + Text(2 * i);
        var mid = "x" + Text((2 * i) + 1);
        var block = "Block" + n;
        Body(string.Empty);
        Body("// block " + n + ", MLP backward: dx = d(x" + Text((2 * i) + 2) + ") flows on unchanged and through the branch");
        Body(DenseBackward("mlpHidden" + n, block + "MlpProjection", "dx", "dMlpHidden", f, c));
        AdapterBackward(i, LanguageModelModules.MlpProjection, "mlpHidden" + n, "dx", "dMlpHidden");
        Body("// dMlpHidden" + n + " ⊙ gelu'(mlpIn" + n + ") in place, then through c_fc");
        Body("Dense.Backward<" + T + ", GeluBackwardOperator<" + T + ">>(ln2Out" + n + ", network." + block + "MlpWeight, mlpIn" + n + ", dMlpHidden, "
            + Gradient(block + "MlpWeight") + ", " + Gradient(block + "MlpBias") + ", dLn, rows, " + c + ", " + f + ", new GeluBackwardOperator<" + T + ">());");
        AdapterBackward(i, LanguageModelModules.Mlp, "ln2Out" + n, "dMlpHidden", "dLn");
        Body(LayerNormBackward(mid, block + "Ln2", "ln2Mean" + n, "ln2Rstd" + n, "dLnIn"));
        Body("Blas.Add<" + T + ">(dx, dLnIn, dx); // dx = d(" + mid + "): the stream's gradient plus the branch's");
        Body(string.Empty);
        Body("// block " + n + ", attention backward");
        Body(DenseBackward("attention" + n, block + "AttentionProjection", "dx", "dAttention", c, c));
        AdapterBackward(i, LanguageModelModules.AttentionProjection, "attention" + n, "dx", "dAttention");
        Body("CausalSelfAttention.Backward<" + T + ">(qkv" + n + ", attention" + n + ", dAttention, logSumExp" + n + ", dQkv, attentionScratch, batch, time, " + c + ", Heads);");
        Body(DenseBackward("ln1Out" + n, block + "Attention", "dQkv", "dLn", c, Text(3 * model.Width)));
        AdapterBackward(i, LanguageModelModules.Attention, "ln1Out" + n, "dQkv", "dLn");
        Body(LayerNormBackward(x, block + "Ln1", "ln1Mean" + n, "ln1Rstd" + n, "dLnIn"));
        Body("Blas.Add<" + T + ">(dx, dLnIn, dx); // dx = d(" + x + ")");
    }

    private void WriteDecoder()
    {
        var name = model.ClassName;
        var rows = new List<BufferPlan>();
        var offset = 0;
        BufferPlan Add(string constant, string local, int width, string purpose)
        {
            var buffer = new BufferPlan(constant, local, offset, 1, width, purpose) { PerBatch = false };
            offset += (width + NetworkPlan.Alignment - 1) / NetworkPlan.Alignment * NetworkPlan.Alignment;
            rows.Add(buffer);
            return buffer;
        }

        for (var i = 0; i < model.Blocks; i++)
        {
            Add("Keys" + Text(i), "keys" + Text(i), model.Width * model.Context, "block " + Text(i) + " keys, [" + c + ", " + Text(model.Context) + "] (transposed)");
            Add("Values" + Text(i), "values" + Text(i), model.Width * model.Context, "block " + Text(i) + " values, [" + Text(model.Context) + ", " + c + "]");
        }

        Add("X", "x", model.Width, "the residual stream");
        Add("LnOut", "lnOut", model.Width, "a LayerNorm's output");
        Add("Mean", "mean", 1, "its mean");
        Add("Rstd", "rstd", 1, "its 1/σ");
        Add("Qkv", "qkv", 3 * model.Width, "fused q, k, v");
        Add("Attention", "attention", model.Width, "attention output");
        Add("Projection", "projection", model.Width, "a branch's output");
        Add("MlpIn", "mlpIn", model.Hidden, "MLP pre-activation");
        Add("MlpHidden", "mlpHidden", model.Hidden, "MLP hidden");
        Add("Logits", "logits", model.Vocabulary, "the logits of the last position");
        if (model.TiedHead)
        {
            Add("HeadTable", "headTable", model.Width * model.Vocabulary, "wte transposed, [" + c + ", " + v + "], taken at position 0");
        }

        if (model.Lora is { } lora)
        {
            Add("LoraHidden", "loraHidden", lora.MaxRank, "an adapter's x·Aᵀ (up to MaxRank)");
        }

        Doc("Key/value-cached generation for a <see cref=\"" + name + "\"/>: each appended token costs one row of work per layer and allocates nothing. Its logits are bitwise those of a full Predict over the same prefix." + (model.TiedHead
            ? " The tied head reads the token embedding transposed, as it was when the sequence's first token was appended (like the cached keys and values, a snapshot of the sequence's start)."
            : string.Empty) + "");
        using (W.Block("public sealed class Decoder : ILanguageModelDecoder<" + T + ">"))
        {
            W.Line("// Cache and row buffers, offsets in elements; every buffer is one position.");
            foreach (var buffer in rows)
            {
                W.Line("private const int " + Pad(buffer.Constant + " = " + Text(buffer.Offset) + ";", 26) + "// " + Pad("[" + Text(buffer.Width) + "]", 10) + buffer.Purpose);
            }

            W.Line("private const int StateLength = " + Text(offset) + ";");
            W.Line("private const int Heads = " + Text(model.Heads) + ";");
            W.Line();
            W.Line("private readonly " + name + " network;");
            W.Line("private readonly " + T + "[] state = new " + T + "[StateLength];");
            W.Line("private readonly " + T + "[] attentionScratch = new " + T + "[CausalSelfAttention.StepScratchLength];");
            W.Line();
            W.Line("internal Decoder(" + name + " network) => this.network = network;");
            W.Line();
            Doc("Tokens appended since the last Reset: the position the next token takes.");
            W.Line("public int Position { get; private set; }");
            W.Line();
            Doc("Forgets every appended token.");
            W.Line("public void Reset() => Position = 0;");
            W.Line();
            Doc("Forgets the tokens from position <paramref name=\"length\"/> on, keeping the cache of the first <paramref name=\"length\"/>.");
            W.Line("/// <exception cref=\"ArgumentOutOfRangeException\"><paramref name=\"length\"/> is negative or more than <see cref=\"Position\"/>.</exception>");
            using (W.Block("public void Truncate(int length)"))
            {
                W.Line("ArgumentOutOfRangeException.ThrowIfNegative(length);");
                W.Line("ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Position);");
                W.Line("Position = length;");
            }

            W.Line();
            Doc("Appends <paramref name=\"token\"/> at <see cref=\"Position\"/> and returns its logits [" + v + "], valid until the next call.");
            W.Line("/// <exception cref=\"ArgumentOutOfRangeException\">The token is outside [0, Vocabulary).</exception>");
            W.Line("/// <exception cref=\"InvalidOperationException\">Context tokens are already cached; Reset first.</exception>");
            using (W.Block("public ReadOnlySpan<" + T + "> Append(int token)"))
            {
                W.Line("NetworkArguments.CheckDecoderStep(token, Position, VocabularyValue, ContextValue);");
                W.Line("var position = Position;");
                W.Line("const int rows = 1;");
                if (model.TiedHead)
                {
                    Body("// the tied head's table, transposed once per sequence so each token's head is a one-row NN product read in place");
                    Body("if (position == 0)");
                    Body("{");
                    Body("    TiedHead.Transpose<" + T + ">(network.Wte, headTable, " + c + ", " + v + ");");
                    Body("}");
                }

                Body(string.Empty);
                Body("// embeddings: x [" + c + "] = wte[token] + wpe[position]");
                Body("Blas.Add<" + T + ">(network.Wte.Slice(token * " + c + ", " + c + "), network.Wpe.Slice(position * " + c + ", " + c + "), x);");
                for (var i = 0; i < model.Blocks; i++)
                {
                    var n = Text(i);
                    var block = "Block" + n;
                    Body(string.Empty);
                    Body("// block " + n + ", attention: x += c_proj(attn(c_attn(ln_1(x)))) over the cached keys and values");
                    Body(LayerNormForward("x", block + "Ln1", "lnOut", "mean", "rstd"));
                    Body(DenseForward("lnOut", block + "AttentionWeight", block + "AttentionBias", "qkv", c, Text(3 * model.Width)));
                    AdapterForward(i, LanguageModelModules.Attention, "lnOut", "qkv", "loraHidden");
                    Body("CausalSelfAttention.Step<" + T + ">(qkv, keys" + n + ", values" + n + ", attention, attentionScratch, position, ContextValue, " + c + ", Heads);");
                    Body(DenseForward("attention", block + "AttentionProjectionWeight", block + "AttentionProjectionBias", "projection", c, c));
                    AdapterForward(i, LanguageModelModules.AttentionProjection, "attention", "projection", "loraHidden");
                    Body("Blas.Add<" + T + ">(x, projection, x);");
                    Body("// block " + n + ", MLP: x += c_proj(gelu(c_fc(ln_2(x))))");
                    Body(LayerNormForward("x", block + "Ln2", "lnOut", "mean", "rstd"));
                    Body(DenseForward("lnOut", block + "MlpWeight", block + "MlpBias", "mlpIn", c, f));
                    AdapterForward(i, LanguageModelModules.Mlp, "lnOut", "mlpIn", "loraHidden");
                    Body("ActivationLayer.Forward<" + T + ", GeluOperator<" + T + ">>(mlpIn, mlpHidden, new GeluOperator<" + T + ">());");
                    Body(DenseForward("mlpHidden", block + "MlpProjectionWeight", block + "MlpProjectionBias", "projection", f, c));
                    AdapterForward(i, LanguageModelModules.MlpProjection, "mlpHidden", "projection", "loraHidden");
                    Body("Blas.Add<" + T + ">(x, projection, x);");
                }

                Body(string.Empty);
                Body("// ln_f and the head");
                Body(LayerNormForward("x", "LnF", "lnOut", "mean", "rstd"));
                Body(model.TiedHead
                    ? "TiedHead.ForwardTransposed<" + T + ">(lnOut, headTable, logits, rows, " + c + ", " + v + ");"
                    : DenseForward("lnOut", "LmHeadWeight", null, "logits", c, v));
                Body("Position = position + 1;");
                Body("return logits;");
                FlushBody(rows, "rows");
            }

            W.Line();
            W.Line("private Span<" + T + "> Rows(int offset, int rows, int width) => state.AsSpan(offset, rows * width);");
        }
    }

    private string LayerNormForward(string x, string tensor, string y, string mean, string rstd) =>
        "LayerNorm.Forward<" + T + ">(" + x + ", network." + tensor + "Weight, network." + tensor + "Bias, " + y + ", " + mean + ", " + rstd + ", rows, " + c + ", " + Literal(model.Epsilon) + ");";

    private string LayerNormBackward(string x, string tensor, string mean, string rstd, string dx) =>
        "LayerNorm.Backward<" + T + ">(" + x + ", dLn, network." + tensor + "Weight, " + mean + ", " + rstd + ", "
        + (Frozen ? "frozenLnWeight, frozenLnBias, " : tensor + "WeightGradient, " + tensor + "BiasGradient, ") + dx + ", lnScratch, rows, " + c + ");";

    private string DenseForward(string x, string weight, string? bias, string y, string inputs, string units) =>
        "Dense.Forward<" + T + ", IdentityOperator<" + T + ">>(" + x + ", network." + weight + ", " + (bias is null ? "ReadOnlySpan<" + T + ">.Empty" : "network." + bias)
        + ", " + y + ", rows, " + inputs + ", " + units + ", new IdentityOperator<" + T + ">());";

    private string DenseBackward(string x, string tensor, string dy, string dx, string inputs, string units) =>
        "Dense.Backward<" + T + ">(" + x + ", network." + tensor + "Weight, " + dy + ", " + Gradient(tensor + "Weight") + ", " + Gradient(tensor + "Bias") + ", " + dx + ", rows, " + inputs + ", " + units + ");";
}
