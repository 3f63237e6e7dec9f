using System;
using System.Collections.Generic;
using System.Globalization;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// The memory layout of one language model: parameter tensors in nanoGPT's order under its names, and the
/// buffers of a workspace, each sized for MaxBatch × Context rows (or one row) and padded to
/// <see cref="NetworkPlan.Alignment"/> elements.
/// </summary>
internal sealed partial class LanguageModelPlan
{
    private readonly Dictionary<string, TensorPlan> tensorsByProperty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BufferPlan> buffersByLocal = new(StringComparer.Ordinal);
    private int parameterOffset;
    private int bufferOffset;

    public LanguageModelPlan(LanguageModelModel model)
    {
        Model = model;
        int c = model.Width, f = model.Hidden;
        AddTensor("Wte", "transformer.wte.weight", model.Vocabulary, c);
        AddTensor("Wpe", "transformer.wpe.weight", model.Context, c);
        for (var i = 0; i < model.Blocks; i++)
        {
            var prefix = "transformer.h." + Text(i) + ".";
            var block = "Block" + Text(i);
            AddTensor(block + "Ln1Weight", prefix + "ln_1.weight", c);
            AddTensor(block + "Ln1Bias", prefix + "ln_1.bias", c);
            AddTensor(block + "AttentionWeight", prefix + "attn.c_attn.weight", c, 3 * c);
            AddTensor(block + "AttentionBias", prefix + "attn.c_attn.bias", 3 * c);
            AddTensor(block + "AttentionProjectionWeight", prefix + "attn.c_proj.weight", c, c);
            AddTensor(block + "AttentionProjectionBias", prefix + "attn.c_proj.bias", c);
            AddTensor(block + "Ln2Weight", prefix + "ln_2.weight", c);
            AddTensor(block + "Ln2Bias", prefix + "ln_2.bias", c);
            AddTensor(block + "MlpWeight", prefix + "mlp.c_fc.weight", c, f);
            AddTensor(block + "MlpBias", prefix + "mlp.c_fc.bias", f);
            AddTensor(block + "MlpProjectionWeight", prefix + "mlp.c_proj.weight", f, c);
            AddTensor(block + "MlpProjectionBias", prefix + "mlp.c_proj.bias", c);
        }

        AddTensor("LnFWeight", "transformer.ln_f.weight", c);
        AddTensor("LnFBias", "transformer.ln_f.bias", c);
        if (!model.TiedHead)
        {
            AddTensor("LmHeadWeight", "lm_head.weight", c, model.Vocabulary);
        }

        ParameterCount = parameterOffset;
        ArenaLength = Pad(parameterOffset);

        for (var k = 0; k <= 2 * model.Blocks; k++)
        {
            AddBuffer("Residual" + Text(k), "x" + Text(k), c, "residual stream " + (k == 0 ? "after the embeddings" : "after block " + Text((k - 1) / 2) + (k % 2 == 1 ? "'s attention" : "'s MLP")));
        }

        for (var i = 0; i < model.Blocks; i++)
        {
            var n = Text(i);
            AddBuffer("Ln1Out" + n, "ln1Out" + n, c, "block " + n + " ln_1 output");
            AddBuffer("Ln1Mean" + n, "ln1Mean" + n, 1, "block " + n + " ln_1 row means");
            AddBuffer("Ln1Rstd" + n, "ln1Rstd" + n, 1, "block " + n + " ln_1 row 1/σ");
            AddBuffer("Qkv" + n, "qkv" + n, 3 * c, "block " + n + " fused q, k, v");
            AddBuffer("Attention" + n, "attention" + n, c, "block " + n + " attention output (heads side by side)");
            AddBuffer("LogSumExp" + n, "logSumExp" + n, model.Heads, "block " + n + " softmax log-denominators [batch, heads, time]");
            AddBuffer("Ln2Out" + n, "ln2Out" + n, c, "block " + n + " ln_2 output");
            AddBuffer("Ln2Mean" + n, "ln2Mean" + n, 1, "block " + n + " ln_2 row means");
            AddBuffer("Ln2Rstd" + n, "ln2Rstd" + n, 1, "block " + n + " ln_2 row 1/σ");
            AddBuffer("MlpIn" + n, "mlpIn" + n, f, "block " + n + " MLP pre-activation (GELU's derivative needs it)");
            AddBuffer("MlpHidden" + n, "mlpHidden" + n, f, "block " + n + " MLP hidden = gelu(pre-activation)");
        }

        AddBuffer("LnFOut", "lnFOut", c, "ln_f output");
        AddBuffer("LnFMean", "lnFMean", 1, "ln_f row means");
        AddBuffer("LnFRstd", "lnFRstd", 1, "ln_f row 1/σ");
        AddBuffer("Logits", "logits", model.Vocabulary, "logits");
        AddBuffer("DLogits", "dLogits", model.Vocabulary, "d(loss)/d(logits), written by the loss");
        AddBuffer("Projection", "projection", c, "a branch's output before it joins the stream (forward scratch)");
        AddBuffer("DResidual", "dx", c, "d(loss)/d(residual stream), accumulated block by block");
        AddBuffer("DLn", "dLn", c, "d(loss)/d(a LayerNorm's output)");
        AddBuffer("DLnIn", "dLnIn", c, "d(loss)/d(a LayerNorm's input): the branch's share of dx");
        AddBuffer("DAttention", "dAttention", c, "d(loss)/d(attention output)");
        AddBuffer("DQkv", "dQkv", 3 * c, "d(loss)/d(q, k, v)");
        AddBuffer("DMlpHidden", "dMlpHidden", f, "d(loss)/d(MLP hidden), then of its pre-activation");
        AddRow("LnScratch", "lnScratch", c, "LayerNorm backward scratch row");
        AddAdapters(model);
        ActivationLength = bufferOffset;
    }

    public LanguageModelModel Model { get; }

    public int ParameterCount { get; }

    public int ArenaLength { get; }

    public int ActivationLength { get; }

    /// <summary>In arena order.</summary>
    public List<TensorPlan> Tensors { get; } = [];

    /// <summary>In arena order.</summary>
    public List<BufferPlan> Buffers { get; } = [];

    public int Rows => Model.MaxBatch * Model.Context;

    public TensorPlan Tensor(string property) => tensorsByProperty[property];

    public BufferPlan Buffer(string local) => buffersByLocal[local];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Pad(int length) => (length + NetworkPlan.Alignment - 1) / NetworkPlan.Alignment * NetworkPlan.Alignment;

    private void AddTensor(string property, string name, params int[] shape)
    {
        var tensor = new TensorPlan(0, name, property, name, parameterOffset, shape);
        tensorsByProperty.Add(property, tensor);
        Tensors.Add(tensor);
        parameterOffset += tensor.Length;
    }

    private void AddBuffer(string constant, string local, int width, string purpose)
    {
        Add(new BufferPlan(constant, local, bufferOffset, Rows, width, purpose));
        bufferOffset += Pad(Rows * width);
    }

    private void AddRow(string constant, string local, int width, string purpose)
    {
        Add(new BufferPlan(constant, local, bufferOffset, 1, width, purpose) { PerBatch = false });
        bufferOffset += Pad(width);
    }

    private void Add(BufferPlan buffer)
    {
        buffersByLocal.Add(buffer.Local, buffer);
        Buffers.Add(buffer);
    }
}
