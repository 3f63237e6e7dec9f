using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// The adapter calls of a language model declared with [LoraAdapters]: each beside its frozen linear map, in the
/// forward pass, the backward pass and the decoder; the base gets no gradient work at all.
/// </summary>
internal sealed partial class LanguageModelEmitter
{
    private bool Frozen => model.Lora is not null;

    /// <summary>A base tensor's gradient view, or an empty span when the base is frozen (no gradient GEMM then).</summary>
    private string Gradient(string tensor) => Frozen ? "Span<" + T + ">.Empty" : tensor + "Gradient";

    /// <summary>y += (α/r)·x·Aᵀ·Bᵀ after a targeted map's base product, unless the adapters are merged into it.</summary>
    private void AdapterForward(int block, int module, string x, string y, string? hidden = null)
    {
        if (plan.AdapterOf(block, module) is not { } adapter)
        {
            return;
        }

        Body("if (!network.AdaptersMerged && " + IsChosen(adapter, "network.") + ")");
        Body("{");
        Body("    // " + y + " += (α/r)·" + x + "·Aᵀ·Bᵀ: block " + Text(block) + "'s " + LanguageModelModules.Names[module] + " adapter");
        Body("    LoraAdapter.Forward<" + T + ">(" + x + ", network." + adapter.A.Property + ", network." + adapter.B.Property + ", " + RankRows(hidden ?? adapter.Hidden.Local, "rows") + ", "
            + y + ", rows, " + AdapterSizes(adapter) + ");");
        Body("}");
    }

    /// <summary>dA, dB from the map's output gradient dz, and the adapter's share added to dx.</summary>
    private void AdapterBackward(int block, int module, string x, string dz, string dx)
    {
        if (plan.AdapterOf(block, module) is not { } adapter)
        {
            return;
        }

        Body("// block " + Text(block) + "'s " + LanguageModelModules.Names[module] + " adapter: dB = (α/r)·dZᵀ·(x·Aᵀ), dA = ((α/r)·dZ·B)ᵀ·x, " + dx + " += (α/r)·dZ·B·A");
        Body("if (" + IsChosen(adapter, "network.") + ")");
        Body("{");
        Body("    LoraAdapter.Backward<" + T + ">(" + x + ", network." + adapter.A.Property + ", network." + adapter.B.Property + ", " + RankRows(adapter.Hidden.Local, "rows") + ", " + dz + ", "
            + adapter.A.Property + "Gradient, " + adapter.B.Property + "Gradient, " + RankRows(adapter.HiddenGradient.Local, "rows") + ", " + dx + ", ReadOnlySpan<" + T + ">.Empty, Span<" + T + ">.Empty, rows, "
            + AdapterSizes(adapter) + ");");
        Body("}");
    }
}
