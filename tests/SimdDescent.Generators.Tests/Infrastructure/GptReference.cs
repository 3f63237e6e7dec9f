using SimdDescent.Networks;

namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>
/// GPT-2's forward pass written out scalar by scalar from the formulas, in double, reading the parameters by
/// their nanoGPT names: the independent reference the generated language models are compared with.
/// </summary>
internal sealed class GptReference(ILanguageModel<double> model, int heads, double epsilon = 1e-5)
{
    private readonly double[] parameters = model.Parameters.ToArray();
    private readonly Dictionary<string, TensorInfo> tensors = model.Tensors.ToDictionary(t => t.Name);
    private readonly int c = model.Width;
    private readonly int v = model.Vocabulary;

    /// <summary>Mean over every position of −log softmax(logits)[target].</summary>
    public double Loss(int[] tokens, int[] targets, int batch, int time)
    {
        var logits = Logits(tokens, batch, time);
        var total = 0.0;
        for (var r = 0; r < batch * time; r++)
        {
            var row = logits[r];
            var max = row.Max();
            var logSum = max + Math.Log(row.Sum(z => Math.Exp(z - max)));
            total += logSum - row[targets[r]];
        }

        return total / (batch * time);
    }

    /// <summary>The logits of every position, [batch·time][vocabulary].</summary>
    public double[][] Logits(int[] tokens, int batch, int time)
    {
        var rows = batch * time;
        var x = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            x[r] = new double[c];
            for (var j = 0; j < c; j++)
            {
                x[r][j] = Get("transformer.wte.weight", tokens[r], j) + Get("transformer.wpe.weight", r % time, j);
            }
        }

        var blocks = tensors.Keys.Count(n => n.EndsWith(".ln_1.weight", StringComparison.Ordinal));
        for (var i = 0; i < blocks; i++)
        {
            var p = "transformer.h." + i + ".";
            var qkv = Linear(LayerNorm(x, p + "ln_1"), p + "attn.c_attn");
            Add(x, Linear(Attention(qkv, batch, time), p + "attn.c_proj"));
            var hidden = Linear(LayerNorm(x, p + "ln_2"), p + "mlp.c_fc").Select(row => row.Select(Gelu).ToArray()).ToArray();
            Add(x, Linear(hidden, p + "mlp.c_proj"));
        }

        var final = LayerNorm(x, "transformer.ln_f");
        if (tensors.ContainsKey("lm_head.weight"))
        {
            return Linear(final, "lm_head");
        }

        // Tied: logits[k] = Σ_j x[j]·wte[k, j].
        return final.Select(row => Enumerable.Range(0, v).Select(k => Enumerable.Range(0, c).Sum(j => row[j] * Get("transformer.wte.weight", k, j))).ToArray()).ToArray();
    }

    /// <summary>Causal softmax(q·kᵀ/√d)·v per head, with q, k, v side by side in each row of qkv.</summary>
    private double[][] Attention(double[][] qkv, int batch, int time)
    {
        var d = c / heads;
        var y = qkv.Select(_ => new double[c]).ToArray();
        for (var b = 0; b < batch; b++)
        {
            for (var h = 0; h < heads; h++)
            {
                for (var t = 0; t < time; t++)
                {
                    var q = qkv[(b * time) + t];
                    var scores = new double[t + 1];
                    for (var s = 0; s <= t; s++)
                    {
                        var k = qkv[(b * time) + s];
                        scores[s] = Enumerable.Range(0, d).Sum(e => q[(h * d) + e] * k[c + (h * d) + e]) / Math.Sqrt(d);
                    }

                    var max = scores.Max();
                    var weights = scores.Select(z => Math.Exp(z - max)).ToArray();
                    var sum = weights.Sum();
                    for (var s = 0; s <= t; s++)
                    {
                        var value = qkv[(b * time) + s];
                        for (var e = 0; e < d; e++)
                        {
                            y[(b * time) + t][(h * d) + e] += weights[s] / sum * value[(2 * c) + (h * d) + e];
                        }
                    }
                }
            }
        }

        return y;
    }

    private double[][] LayerNorm(double[][] x, string name) => x.Select(row =>
    {
        var mean = row.Average();
        var variance = row.Select(z => (z - mean) * (z - mean)).Average();
        return row.Select((z, j) => ((z - mean) / Math.Sqrt(variance + epsilon) * Get(name + ".weight", j)) + Get(name + ".bias", j)).ToArray();
    }).ToArray();

    /// <summary>x·W + b with W stored [in, out] in the arena (nn.Linear's weight transposed).</summary>
    private double[][] Linear(double[][] x, string name)
    {
        var weight = tensors[name + ".weight"];
        int inputs = weight.Shape[0], outputs = weight.Shape[1];
        var hasBias = tensors.ContainsKey(name + ".bias");
        return x.Select(row => Enumerable.Range(0, outputs).Select(o =>
            Enumerable.Range(0, inputs).Sum(i => row[i] * Get(name + ".weight", i, o)) + (hasBias ? Get(name + ".bias", o) : 0)).ToArray()).ToArray();
    }

    private static double Gelu(double z) => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + (0.044715 * z * z * z))));

    private static void Add(double[][] x, double[][] y)
    {
        for (var r = 0; r < x.Length; r++)
        {
            for (var j = 0; j < x[r].Length; j++)
            {
                x[r][j] += y[r][j];
            }
        }
    }

    private double Get(string name, int index) => parameters[tensors[name].Offset + index];

    private double Get(string name, int row, int column) => parameters[tensors[name].Offset + (row * tensors[name].Shape[1]) + column];
}
