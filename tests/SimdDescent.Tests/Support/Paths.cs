using SimdDescent.Kernels;

namespace SimdDescent.Tests.Support;

/// <summary>Theory data: every vector width, forced one at a time, so each test runs on every path.</summary>
public static class Paths
{
    public static TheoryData<VectorPath> All => new(VectorPath.Scalar, VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512);

    /// <summary>Every length 0..257 and a few large ones that cover unrolled loops and tails.</summary>
    public static IEnumerable<int> Lengths()
    {
        for (var n = 0; n <= 257; n++)
        {
            yield return n;
        }

        yield return 1000;
        yield return 4099;
    }
}
