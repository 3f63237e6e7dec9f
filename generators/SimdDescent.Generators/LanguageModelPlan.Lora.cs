using System.Collections.Generic;
using System.Linq;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// The adapter arena of a language model declared with [LoraAdapters]: A [rank, in] and Bᵀ [rank, out] per targeted
/// linear map of every block, under PEFT's names (files hold B as PEFT's [out, rank]); a saved x·Aᵀ per adapter, and the rows where the frozen
/// LayerNorms' unused gradients go.
/// </summary>
internal sealed partial class LanguageModelPlan
{
    public List<AdapterPlan> Adapters { get; } = [];

    /// <summary>The declared targets' module names, what LoraOptions.Targets chooses among.</summary>
    public List<string> AdapterCandidates { get; } = [];

    public AdapterPlan? AdapterOf(int block, int module) => Adapters.Find(a => a.Layer == (block * LanguageModelModules.Names.Length) + module);

    private void AddAdapters(LanguageModelModel model)
    {
        if (model.Lora is not { } lora)
        {
            return;
        }

        int c = model.Width, f = model.Hidden;
        AddRow("FrozenLnWeight", "frozenLnWeight", c, "a frozen LayerNorm weight's unused gradient");
        AddRow("FrozenLnBias", "frozenLnBias", c, "a frozen LayerNorm bias's unused gradient");
        AddBuffer("LoraDHidden", "loraDHidden", lora.MaxRank, "d(loss)/d(an adapter's (x·Aᵀ)ᵀ), [rank, rows] (up to MaxRank)");
        var hiddenGradient = Buffer("loraDHidden");
        AdapterCandidates.AddRange(lora.Targets.Select(t => LanguageModelModules.Names[t]));
        for (var i = 0; i < model.Blocks; i++)
        {
            foreach (var module in lora.Targets)
            {
                var (weight, inputs, outputs) = module switch
                {
                    LanguageModelModules.Attention => ("AttentionWeight", c, 3 * c),
                    LanguageModelModules.AttentionProjection => ("AttentionProjectionWeight", c, c),
                    LanguageModelModules.Mlp => ("MlpWeight", c, f),
                    _ => ("MlpProjectionWeight", f, c),
                };
                var n = Text(i);
                var name = "transformer.h." + n + "." + LanguageModelModules.Names[module];
                var property = "Block" + n + weight.Replace("Weight", "Lora");
                var a = new TensorPlan(i, name + ".lora_A", property + "A", "base_model.model." + name + ".lora_A.weight", -1, [lora.Rank, inputs]);
                var b = new TensorPlan(i, name + ".lora_B", property + "B", "base_model.model." + name + ".lora_B.weight", -1, [lora.Rank, outputs]);
                var local = "lora" + n + weight.Replace("Weight", string.Empty);
                AddBuffer("Lora" + n + weight.Replace("Weight", string.Empty), local, lora.MaxRank, "block " + n + " " + LanguageModelModules.Names[module] + " adapter (x·Aᵀ)ᵀ, [rank, rows] (up to MaxRank)");
                Adapters.Add(new AdapterPlan((i * LanguageModelModules.Names.Length) + module, Tensor("Block" + n + weight), inputs, outputs, a, b, Buffer(local), hiddenGradient)
                {
                    Candidate = lora.Targets.TakeWhile(t => t != module).Count(),
                });
            }
        }
    }
}
