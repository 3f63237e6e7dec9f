namespace SimdDescent.Generators;

/// <summary>
/// One adaptable linear map: the frozen weight [inputs, outputs] it sits beside, its A [rank, inputs] and
/// Bᵀ [rank, outputs] (their names and properties; their offsets and rank are chosen at construction), the declared
/// target it belongs to (<see cref="Candidate"/>), and its workspace buffers, sized for the largest rank (the dropout
/// ones null without dropout).
/// </summary>
internal sealed record AdapterPlan(
    int Layer, TensorPlan Weight, int Inputs, int Outputs, TensorPlan A, TensorPlan B, BufferPlan Hidden, BufferPlan HiddenGradient,
    BufferPlan? DroppedInput = null, BufferPlan? Mask = null, BufferPlan? InputScratch = null)
{
    /// <summary>The index of its declared target among the model's candidates (LoraOptions.Targets' names).</summary>
    public int Candidate { get; init; }

    /// <summary>The generated field holding A's offset in the adapter arena, −1 when the target was not chosen.</summary>
    public string OffsetField => char.ToLowerInvariant(A.Property[0]) + A.Property.Substring(1, A.Property.Length - 2) + "Offset";
}
