using System.Globalization;
using System.Numerics;
using SimdDescent.Networks;

namespace SimdDescent.IO.Onnx;

/// <summary>
/// Exports a generated GPT language model to ONNX (opset 17): input <see cref="InputName"/> int64 [batch, time]
/// (time at most the model's context), output <see cref="OutputName"/> [batch, time, vocabulary] — the logits
/// <c>Predict</c> writes — with every weight as an initializer under its nanoGPT name
/// (<c>transformer.wte.weight</c>, <c>transformer.h.0.attn.c_attn.weight</c>, ...; linear weights stay [in, out]).
/// Embeddings are <c>Gather</c> plus the first <c>time</c> rows of wpe, LayerNorm a <c>LayerNormalization</c>,
/// the linear maps <c>MatMul</c> + <c>Add</c>, attention softmax(q·kᵀ/√headSize + causal mask)·v over
/// [batch, heads, time, headSize], GELU (tanh form) composed as in <see cref="OnnxExporter"/>, and a tied head a
/// <c>MatMul</c> with the transposed token embedding. Models with LoRA adapters are not exported.
/// </summary>
public static class LanguageModelOnnxExporter
{
    /// <summary>The name of the graph's input: the token ids.</summary>
    public const string InputName = "tokens";

    /// <summary>The name of the graph's output.</summary>
    public const string OutputName = OnnxExporter.OutputName;

    /// <summary>
    /// Saves the ONNX model of <paramref name="model"/> to <paramref name="path"/> (replaced atomically);
    /// <paramref name="heads"/> and <paramref name="epsilon"/> are those of its <c>[TransformerBlocks]</c>.
    /// </summary>
    public static void Save<T>(ILanguageModel<T> model, int heads, string path, double epsilon = 1e-5)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var bytes = Export(model, heads, epsilon);
        AtomicFile.Write(path, bytes, static (stream, bytes) => stream.Write(bytes));
    }

    /// <summary>The serialized ONNX ModelProto of <paramref name="model"/> with <paramref name="heads"/> attention heads per block.</summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="heads"/> does not divide the width, <paramref name="epsilon"/> is not positive, or the model's
    /// tensors are not those of a GPT (a tensor missing, of the wrong shape or outside the parameters, or an adapter's).
    /// </exception>
    public static byte[] Export<T>(ILanguageModel<T> model, int heads, double epsilon = 1e-5)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        if (heads <= 0 || model.Width % heads != 0)
        {
            throw new ArgumentException($"Expected a head count that divides the width {model.Width}, got {heads}.", nameof(heads));
        }

        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentException($"Expected a positive finite LayerNorm epsilon, got {epsilon}.", nameof(epsilon));
        }

        var weights = new LanguageModelOnnxWeights<T>(model);
        int c = model.Width, v = model.Vocabulary, context = model.Context;
        var graph = weights.Graph;

        // x0 [batch, time, c] = wte[tokens] + wpe[0..time)
        var time = graph.Node("Slice", [graph.Node("Shape", [InputName]), graph.Int64s("one", 1), graph.Int64s("two", 2)]);
        var zero = graph.Int64s("zero", 0);
        var positions = graph.Node("Slice", [weights.Get("transformer.wpe.weight", context, c), zero, time, zero]);
        var x = graph.Node("Add", [graph.Node("Gather", [weights.Get("transformer.wte.weight", v, c), InputName]), positions]);

        // The causal mask [time, time]: 0 on and below the diagonal, −∞ above, cut from a [context, context] constant.
        var mask = new T[context * context];
        for (var row = 0; row < context; row++)
        {
            mask.AsSpan((row * context) + row + 1, context - row - 1).Fill(T.NegativeInfinity);
        }

        var rows = graph.Node("Slice", [graph.Initializer("causal_mask", mask, [context, context]), zero, time, zero]);
        var causal = graph.Node("Slice", [rows, zero, time, graph.Int64s("one", 1)]);
        for (var block = 0; weights.Has(Block(block) + "ln_1.weight"); block++)
        {
            x = graph.Node("Add", [x, Attention(weights, Block(block), LayerNorm(weights, x, Block(block) + "ln_1", c, epsilon), causal, c, heads)]);
            var f = weights.Width(Block(block) + "mlp.c_fc.bias");
            var hidden = Linear(weights, LayerNorm(weights, x, Block(block) + "ln_2", c, epsilon), Block(block) + "mlp.c_fc", c, f);
            var mlp = Linear(weights, OnnxExporter.Activation(graph, hidden, Activation.Gelu), Block(block) + "mlp.c_proj", f, c);
            x = graph.Node("Add", [x, mlp]);
        }

        var final = LayerNorm(weights, x, "transformer.ln_f", c, epsilon);
        var head = weights.Has("lm_head.weight")
            ? weights.Get("lm_head.weight", c, v)
            : graph.Transpose(weights.Get("transformer.wte.weight", v, c), 1, 0);
        graph.Node("MatMul", [final, head], output: OutputName);
        weights.CheckAllUsed();
        return graph.ToModel(
            "SimdDescent",
            OnnxGraph<T>.Value(InputName, OnnxSchema.DataType.Int64, ["batch", "time"], []),
            OnnxGraph<T>.Value(OutputName, OnnxGraph<T>.ElementType, ["batch", "time"], [v]),
            OnnxExporter.Opset);
    }

    private static string Block(int index) => "transformer.h." + index.ToString(CultureInfo.InvariantCulture) + ".";

    private static string LayerNorm<T>(LanguageModelOnnxWeights<T> weights, string x, string name, int c, double epsilon)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        weights.Graph.Node("LayerNormalization", [x, weights.Get(name + ".weight", c), weights.Get(name + ".bias", c)], ("epsilon", (float)epsilon));

    private static string Linear<T>(LanguageModelOnnxWeights<T> weights, string x, string name, int inputs, int outputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        weights.Graph.Node("Add", [weights.Graph.Node("MatMul", [x, weights.Get(name + ".weight", inputs, outputs)]), weights.Get(name + ".bias", outputs)]);

    /// <summary>c_proj(softmax(q·kᵀ/√headSize + mask)·v) with q, k, v the thirds of c_attn(x), split into heads of c/heads channels.</summary>
    private static string Attention<T>(LanguageModelOnnxWeights<T> weights, string block, string x, string causal, int c, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var graph = weights.Graph;
        var headSize = c / heads;
        var qkv = Linear(weights, x, block + "attn.c_attn", c, 3 * c);
        var split = graph.Int64s("split_heads", 0, 0, heads, headSize);
        var channels = graph.Int64s("axis2", 2);

        // [batch, time, c] third → [batch, time, heads, headSize]; "0" in a Reshape keeps that dimension.
        string Third(int index) => graph.Node("Reshape", [
            graph.Node("Slice", [qkv, graph.Int64s("third" + index, index * c), graph.Int64s("third" + (index + 1), (index + 1) * c), channels]),
            split]);

        var q = graph.Transpose(Third(0), 0, 2, 1, 3);
        var kTransposed = graph.Transpose(Third(1), 0, 2, 3, 1);
        var value = graph.Transpose(Third(2), 0, 2, 1, 3);
        var scores = graph.Node("Mul", [graph.Node("MatMul", [q, kTransposed]), graph.Scalar("attention_scale", 1 / Math.Sqrt(headSize))]);
        var probabilities = graph.Node("Softmax", [graph.Node("Add", [scores, causal])]);
        var merged = graph.Node("Reshape", [graph.Transpose(graph.Node("MatMul", [probabilities, value]), 0, 2, 1, 3), graph.Int64s("merge_heads", 0, 0, c)]);
        return Linear(weights, merged, block + "attn.c_proj", c, c);
    }
}
