using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Layers;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>The convolution, pooling and batch-normalization forward and backward calls allocate nothing once warm.</summary>
[Collection(nameof(AllocationMeasurementCollection))]
public sealed class SpatialLayerAllocationTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Forward_and_backward_allocate_nothing(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var conv = new Conv2DShape(4, 3, 12, 12, 8, 3, 3, 1, 1);
        var pool = new Pool2DShape(4, 8, 12, 12, 2, 2);
        var random = new Random(2);
        var x = TestArrays.Random<float>(random, conv.InputLength, 1.0, 0);
        var w = TestArrays.Random<float>(random, conv.WeightLength, 1.0, 0);
        var bias = new float[8];
        var y = new float[conv.OutputLength];
        var normalized = new float[conv.OutputLength];
        var pooled = new float[pool.OutputLength];
        var columns = new float[conv.ColumnsLength];
        var (mean, rstd, runningMean, runningVariance) = (new float[8], new float[8], new float[8], new float[8]);
        var dw = new float[w.Length];
        var db = new float[8];
        var dx = new float[x.Length];
        var dy = new float[y.Length];
        var dPooled = new float[pooled.Length];
        var globalPooled = new float[4 * 8];
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            Conv2D.Forward<float, ReluOperator<float>>(conv, x, w, bias, y, columns, default);
            BatchNorm2D.Forward<float>(y, db, bias, normalized, mean, rstd, runningMean, runningVariance, 4, 8, 144, 1e-5f, 0.1f);
            BatchNorm2D.Infer<float>(y, db, bias, runningMean, runningVariance, normalized, mean, rstd, 4, 8, 144, 1e-5f);
            MaxPool2D.Forward<float>(pool, normalized, pooled);
            AvgPool2D.Forward<float>(pool, normalized, pooled);
            GlobalAvgPool.Forward<float>(normalized, globalPooled, 32, 144);
            GlobalAvgPool.Backward<float>(globalPooled, normalized, 32, 144);
            AvgPool2D.Backward<float>(pool, pooled, dy);
            MaxPool2D.Backward<float>(pool, normalized, pooled, dy);
            BatchNorm2D.Backward<float>(y, dy, db, mean, rstd, dw.AsSpan(0, 8), db, normalized, 4, 8, 144);
            Conv2D.Backward<float, ReluBackwardOperator<float>>(conv, x, w, y, normalized, columns, dw, db, dx, default);
        }
    }
}
