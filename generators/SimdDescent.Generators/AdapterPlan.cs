namespace SimdDescent.Generators;

/// <summary>
/// One adapted linear map: the frozen weight [inputs, outputs] it sits beside, its A [rank, inputs] and
/// B [outputs, rank] in the adapter arena, and its workspace buffers (the dropout ones null without dropout).
/// </summary>
internal sealed record AdapterPlan(
    int Layer, TensorPlan Weight, int Inputs, int Outputs, TensorPlan A, TensorPlan B, BufferPlan Hidden, BufferPlan HiddenGradient,
    BufferPlan? DroppedInput = null, BufferPlan? Mask = null, BufferPlan? InputScratch = null);
