namespace SimdDescent.Generators.Model;

/// <summary>
/// A valid network declaration as plain values (no symbols, syntax or locations), so the incremental
/// pipeline caches it and re-emits only when the declaration itself changes.
/// </summary>
/// <param name="Namespace">Containing namespace, empty for the global namespace.</param>
/// <param name="ClassName">The partial class's name.</param>
/// <param name="Element">float or double.</param>
/// <param name="Inputs">Features per input row.</param>
/// <param name="MaxBatch">Rows a workspace is sized for.</param>
/// <param name="Seed">Seed of the constructor's initialization.</param>
/// <param name="Layers">Layers in source order.</param>
/// <param name="Loss">The final loss.</param>
/// <param name="Lora">The LoRA adapters, or null for a plain network.</param>
internal sealed record NetworkModel(
    string Namespace,
    string ClassName,
    ElementKind Element,
    int Inputs,
    int MaxBatch,
    ulong Seed,
    EquatableArray<LayerModel> Layers,
    LossKind Loss,
    LoraModel? Lora = null)
{
    public int OutputWidth => Layers.Count == 0 ? Inputs : Layers[Layers.Count - 1].Outputs;
}
