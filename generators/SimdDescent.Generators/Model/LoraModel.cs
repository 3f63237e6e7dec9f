namespace SimdDescent.Generators.Model;

/// <summary>The declared LoRA adapters of a network.</summary>
/// <param name="Rank">The default rank r of every adapter.</param>
/// <param name="MaxRank">The largest rank a model may choose at construction: the workspaces' buffers hold it.</param>
/// <param name="Alpha">Scaling numerator: the adapter's output is multiplied by α/r.</param>
/// <param name="Dropout">Dropout probability on the adapter inputs.</param>
/// <param name="Seed">Seed of the dropout masks.</param>
/// <param name="Targets">Indices of the targeted Dense layers, ascending.</param>
/// <param name="Trainable">Indices of the Dense layers trained whole beside the adapters (PEFT's modules_to_save), ascending.</param>
internal sealed record LoraModel(int Rank, int MaxRank, double Alpha, double Dropout, ulong Seed, EquatableArray<int> Targets, EquatableArray<int> Trainable)
{
    public bool IsTarget(int layer) => System.Linq.Enumerable.Contains(Targets, layer);

    public bool IsTrainable(int layer) => System.Linq.Enumerable.Contains(Trainable, layer);
}
