using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Tests.Kernels.Gemm;

namespace SimdDescent.Tests.Networks;

/// <summary>A row's prediction is bitwise the same whatever batch it is computed in, at every width.</summary>
public sealed class BatchInvarianceTests
{
    public static TheoryData<VectorPath> Widths => GemmMultiplyTests.Widths;

    [Theory]
    [MemberData(nameof(Widths))]
    public void Predict_of_a_row_alone_equals_it_inside_batches_of_2_to_64_for_a_10_output_MLP(VectorPath path) =>
        RowsAgree(new NarrowOutputMlp(), path);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Predict_of_a_row_alone_equals_it_inside_batches_of_2_to_64_in_double(VectorPath path) =>
        RowsAgree(new NarrowOutputMlpDouble(), path);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Predict_of_a_row_alone_equals_it_inside_every_batch_for_every_layer_kind(VectorPath path) =>
        RowsAgree(new EveryLayerNetwork(), path);

    private static void RowsAgree<T>(INetwork<T> network, VectorPath path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var scope = SimdDispatch.Force(path);
        network.Initialize(17);
        var (inputs, outputs, batch) = (network.InputWidth, network.OutputWidth, network.MaxBatch);
        var data = GemmBatchInvarianceTests.Values<T>(new Random(5), batch * inputs);
        var alone = new T[batch * outputs];
        for (var i = 0; i < batch; i++)
        {
            network.Workspace.Predict(data.AsSpan(i * inputs, inputs), alone.AsSpan(i * outputs, outputs), 1);
        }

        var together = new T[batch * outputs];
        for (var rows = 2; rows <= batch; rows++)
        {
            network.Workspace.Predict(data.AsSpan(0, rows * inputs), together.AsSpan(0, rows * outputs), rows);
            GemmBatchInvarianceTests.AssertBitwiseEqual<T>(alone.AsSpan(0, rows * outputs), together.AsSpan(0, rows * outputs), $"{path}, a batch of {rows}");
        }
    }
}
