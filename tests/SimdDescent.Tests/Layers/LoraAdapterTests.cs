using SimdDescent.Kernels;
using SimdDescent.Layers;
using SimdDescent.Randomness;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>
/// The LoRA adapter against a scalar double reference of y = x·W + s·x·Aᵀ·Bᵀ written from PEFT's definition
/// (A [r, in], B [out, r], kept here as Bᵀ [r, out]), and its gradients against central differences of a
/// weighted sum of the outputs.
/// </summary>
public class LoraAdapterTests
{
    private const int Batch = 5, Inputs = 7, Units = 6, Rank = 3;
    private const double Scale = 16.0 / Rank;

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Forward_adds_the_scaled_low_rank_product(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var (x, a, b) = Operands(new Random(1));
        var y = Values(new Random(2), Batch * Units);
        var expected = Reference(x, a, b, y);
        var hidden = new double[Batch * Rank];

        LoraAdapter.Forward<double>(x, a, b, hidden, y, Batch, Inputs, Units, Rank, Scale);

        AssertClose(expected, y, 1e-12);
        for (var n = 0; n < Batch; n++)
        {
            for (var k = 0; k < Rank; k++)
            {
                Assert.Equal(Enumerable.Range(0, Inputs).Sum(i => x[(n * Inputs) + i] * a[(k * Inputs) + i]), hidden[(k * Batch) + n], 1e-12); // Hᵀ
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Backward_matches_central_differences(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(3);
        var (x, a, b) = Operands(random);
        var weights = Values(random, Batch * Units); // L = Σ weights ⊙ y, so dL/dy = weights
        var hidden = new double[Batch * Rank];
        LoraAdapter.Forward<double>(x, a, b, hidden, new double[Batch * Units], Batch, Inputs, Units, Rank, Scale);
        var dA = Nan(Rank * Inputs);
        var dB = Nan(Units * Rank);
        var dHidden = Nan(Batch * Rank);
        var baseDx = Values(random, Batch * Inputs);
        var dx = baseDx.ToArray();

        LoraAdapter.Backward<double>(x, a, b, hidden, weights, dA, dB, dHidden, dx, [], [], Batch, Inputs, Units, Rank, Scale);

        double Loss(double[] xs, double[] aa, double[] bb) =>
            Reference(xs, aa, bb, new double[Batch * Units]).Zip(weights, (y, w) => y * w).Sum();

        AssertClose(Differences(a, v => Loss(x, v, b)), dA, 1e-8);
        AssertClose(Differences(b, v => Loss(x, a, v)), dB, 1e-8);
        AssertClose(Differences(x, v => Loss(v, a, b)).Zip(baseDx, (d, base0) => d + base0).ToArray(), dx, 1e-8);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Backward_through_dropout_masks_only_the_adapter_branch(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(4);
        var (x, a, b) = Operands(random);
        var mask = Enumerable.Range(0, Batch * Inputs).Select(i => i % 3 == 0 ? 0.0 : 1.5).ToArray();
        var dropped = x.Zip(mask, (v, m) => v * m).ToArray();
        var weights = Values(random, Batch * Units);
        var hidden = new double[Batch * Rank];
        LoraAdapter.Forward<double>(dropped, a, b, hidden, new double[Batch * Units], Batch, Inputs, Units, Rank, Scale);
        var dA = new double[Rank * Inputs];
        var dB = new double[Units * Rank];
        var dx = new double[Batch * Inputs];

        LoraAdapter.Backward<double>(dropped, a, b, hidden, weights, dA, dB, new double[Batch * Rank], dx, mask, Nan(Batch * Inputs),
            Batch, Inputs, Units, Rank, Scale);

        double Loss(double[] xs, double[] aa) =>
            Reference(xs.Zip(mask, (v, m) => v * m).ToArray(), aa, b, new double[Batch * Units]).Zip(weights, (y, w) => y * w).Sum();

        AssertClose(Differences(a, v => Loss(x, v)), dA, 1e-8);
        AssertClose(Differences(x, v => Loss(v, a)), dx, 1e-8);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Merge_folds_the_adapter_into_the_weight_and_unmerge_takes_it_out(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(5);
        var (x, a, b) = Operands(random);
        var w = Values(random, Inputs * Units);
        var expected = Reference(x, a, b, Linear(x, w));

        var merged = w.ToArray();
        LoraAdapter.Merge<double>(merged, a, b, Inputs, Units, Rank, Scale);
        AssertClose(expected, Linear(x, merged), 1e-12);

        LoraAdapter.Unmerge<double>(merged, a, b, Inputs, Units, Rank, Scale);
        AssertClose(w, merged, 1e-12);
    }

    [Fact]
    public void Initialization_is_PEFTs_default()
    {
        var a = new float[Rank * 64];
        var b = Enumerable.Repeat(1f, Units * Rank).ToArray();
        var random = new SplitMix64(7);

        LoraAdapter.Initialize<float>(a, b, 64, Units, Rank, ref random);

        Assert.All(b, v => Assert.Equal(0f, v));
        Assert.All(a, v => Assert.InRange(v, -0.125f, 0.125f)); // kaiming_uniform_(a=√5): bound 1/√in
        Assert.True(a.Max() > 0.1f && a.Min() < -0.1f, "the draws should span the bound");
        Assert.Equal(2f, LoraAdapter.Scale<float>(16, 8));
    }

    [Fact]
    public void Bad_shapes_are_rejected_with_the_expected_shape()
    {
        var x = new float[Batch * Inputs];
        var a = new float[Rank * Inputs];
        var b = new float[Units * Rank];
        var hidden = new float[Batch * Rank];
        var y = new float[Batch * Units];
        LayerAssert.ThrowsSaying("a", () => LoraAdapter.Forward<float>(x, a.AsSpan(1), b, hidden, y, Batch, Inputs, Units, Rank, 1f));
        LayerAssert.ThrowsSaying("bTransposed", () => LoraAdapter.Forward<float>(x, a, new float[Units * Rank * 2], hidden, y, Batch, Inputs, Units, Rank, 1f));
        LayerAssert.ThrowsSaying("y", () => LoraAdapter.Forward<float>(x, a, b, hidden, y.AsSpan(1), Batch, Inputs, Units, Rank, 1f));
        LayerAssert.ThrowsSaying("hidden", () => LoraAdapter.Forward<float>(x, a, b, hidden.AsSpan(1), y, Batch, Inputs, Units, Rank, 1f));
        LayerAssert.ThrowsSaying("rank", () => LoraAdapter.Forward<float>(x, a, b, hidden, y, Batch, Inputs, Units, 0, 1f));
        LayerAssert.ThrowsSaying("dropoutMask", () => LoraAdapter.Backward<float>(
            x, a, b, hidden, y, new float[Rank * Inputs], new float[Units * Rank], new float[Batch * Rank], new float[Batch * Inputs],
            new float[3], new float[Batch * Inputs], Batch, Inputs, Units, Rank, 1f));
        LayerAssert.ThrowsSaying("weight", () => LoraAdapter.Merge<float>(new float[5], a, b, Inputs, Units, Rank, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoraAdapter.Scale<float>(8, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoraAdapter.Scale<float>(double.NaN, 4));
    }

    /// <summary>y + s·(x·Aᵀ)·Bᵀ by plain loops, PyTorch's lora_B(lora_A(x))·scaling, with b holding Bᵀ [rank, units].</summary>
    private static double[] Reference(double[] x, double[] a, double[] b, double[] y)
    {
        var result = y.ToArray();
        for (var n = 0; n < Batch; n++)
        {
            for (var u = 0; u < Units; u++)
            {
                for (var k = 0; k < Rank; k++)
                {
                    var h = Enumerable.Range(0, Inputs).Sum(i => x[(n * Inputs) + i] * a[(k * Inputs) + i]);
                    result[(n * Units) + u] += Scale * h * b[(k * Units) + u];
                }
            }
        }

        return result;
    }

    private static double[] Linear(double[] x, double[] w) =>
        Enumerable.Range(0, Batch * Units)
            .Select(j => Enumerable.Range(0, Inputs).Sum(i => x[((j / Units) * Inputs) + i] * w[(i * Units) + (j % Units)]))
            .ToArray();

    private static double[] Differences(double[] point, Func<double[], double> loss)
    {
        const double h = 1e-5;
        var gradient = new double[point.Length];
        for (var i = 0; i < point.Length; i++)
        {
            var probe = point.ToArray();
            probe[i] = point[i] + h;
            var up = loss(probe);
            probe[i] = point[i] - h;
            gradient[i] = (up - loss(probe)) / (2 * h);
        }

        return gradient;
    }

    private static (double[] X, double[] A, double[] B) Operands(Random random) =>
        (Values(random, Batch * Inputs), Values(random, Rank * Inputs), Values(random, Units * Rank));

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static double[] Nan(int length) => Enumerable.Repeat(double.NaN, length).ToArray();

    private static double[] Values(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
}
