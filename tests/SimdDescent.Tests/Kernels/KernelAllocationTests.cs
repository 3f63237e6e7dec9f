using SimdDescent.Kernels;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

[Collection(nameof(AllocationMeasurementCollection))]
public sealed class KernelAllocationTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Kernels_allocate_nothing(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var x = new float[1027];
        var y = new float[1027];
        var d = new float[1027];
        var labels = new int[13];
        new Random(12).NextBytes(new byte[1]);
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            Blas.Dot<float>(x, y);
            Blas.Axpy<float>(2f, x, y);
            Blas.MultiplyAdd<float>(x, y, d, d);
            Reductions.Norm2<float>(x);
            Reductions.ArgMax<float>(x);
            Activations.Gelu<float>(x, d);
            Activations.GeluBackward<float>(y, x, d);
            SimdMath.Exp<float>(x, d);
            Softmax.Forward<float>(x.AsSpan(0, 1027), d, 13, 79);
            Losses.SoftmaxCrossEntropy<float>(x.AsSpan(0, 1027), labels, d, 13, 79);
            Losses.BinaryCrossEntropyWithLogits<float>(x, y, d);
        }
    }
}
