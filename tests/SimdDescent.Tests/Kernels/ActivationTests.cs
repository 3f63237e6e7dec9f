using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

/// <summary>Each activation against its closed form in double, and each backward pass against the closed-form derivative.</summary>
public sealed class ActivationTests
{
    private const double Alpha = 0.01;
    private const double C = 0.7978845608028654;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double GeluArg(double x) => 2 * C * (x + (0.044715 * x * x * x));

    // Forward closed forms and derivatives with respect to the input x.
    private static readonly (string Name, Func<double, double> F, Func<double, double> Derivative)[] Functions =
    [
        ("relu", x => Math.Max(x, 0), x => x > 0 ? 1 : 0),
        ("leaky", x => x > 0 ? x : Alpha * x, x => x > 0 ? 1 : Alpha),
        ("sigmoid", Sigmoid, x => Sigmoid(x) * (1 - Sigmoid(x))),
        ("tanh", Math.Tanh, x => 1 - (Math.Tanh(x) * Math.Tanh(x))),
        ("gelu", x => 0.5 * x * (1 + Math.Tanh(C * (x + (0.044715 * x * x * x)))),
            x => Sigmoid(GeluArg(x)) + (x * Sigmoid(GeluArg(x)) * (1 - Sigmoid(GeluArg(x))) * 2 * C * (1 + (3 * 0.044715 * x * x)))),
        ("silu", x => x * Sigmoid(x), x => Sigmoid(x) * (1 + (x * (1 - Sigmoid(x))))),
    ];

    private static void Forward<T>(string name, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (name)
        {
            case "relu": Activations.Relu(x, y); break;
            case "leaky": Activations.LeakyRelu(x, y, T.CreateTruncating(Alpha)); break;
            case "sigmoid": Activations.Sigmoid(x, y); break;
            case "tanh": Activations.Tanh(x, y); break;
            case "gelu": Activations.Gelu(x, y); break;
            default: Activations.Silu(x, y); break;
        }
    }

    private static void Backward<T>(string name, ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (name)
        {
            case "relu": Activations.ReluBackward(dy, y, dx); break;
            case "leaky": Activations.LeakyReluBackward(dy, y, dx, T.CreateTruncating(Alpha)); break;
            case "sigmoid": Activations.SigmoidBackward(dy, y, dx); break;
            case "tanh": Activations.TanhBackward(dy, y, dx); break;
            case "gelu": Activations.GeluBackward(dy, x, dx); break;
            default: Activations.SiluBackward(dy, x, dx); break;
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Forward_and_backward_match_the_closed_forms(VectorPath path)
    {
        Case<float>(path, 1e-6);
        Case<double>(path, 1e-14);
    }

    private static void Case<T>(VectorPath path, double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(7);
        foreach (var n in Paths.Lengths())
        {
            var x = TestArrays.Random<T>(random, n, 8, offset: 1).AsSpan(1).ToArray();
            var dy = TestArrays.Random<T>(random, n, 2, offset: 0);
            foreach (var (name, f, derivative) in Functions)
            {
                var y = new T[n];
                var dx = new T[n];
                Forward<T>(name, x, y);
                Backward<T>(name, dy, x, y, dx);
                for (var i = 0; i < n; i++)
                {
                    var xi = double.CreateTruncating(x[i]);
                    var expected = f(xi);
                    Assert.True(Math.Abs(double.CreateTruncating(y[i]) - expected) <= tolerance * (1 + Math.Abs(expected)),
                        $"{name}({xi}) = {y[i]}, expected {expected}");
                    var expectedDx = double.CreateTruncating(dy[i]) * derivative(xi);
                    Assert.True(Math.Abs(double.CreateTruncating(dx[i]) - expectedDx) <= 4 * tolerance * (1 + Math.Abs(expectedDx)),
                        $"{name}'({xi})·dy = {dx[i]}, expected {expectedDx}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Backward_may_overwrite_the_upstream_gradient(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(8);
        var x = TestArrays.Random<float>(random, 37, 4, offset: 0);
        var dy = TestArrays.Random<float>(random, 37, 1, offset: 0);
        var y = new float[37];
        var expected = new float[37];
        Activations.Tanh<float>(x, y);
        Activations.TanhBackward<float>(dy, y, expected);
        Activations.TanhBackward<float>(dy, y, dy);
        Assert.Equal(expected, dy);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Special_values_saturate_without_NaN(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        float[] x = [0f, -0f, 1e30f, -1e30f, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, -1e-40f, 100f, -100f, 1e-20f, 20f, -20f, 5f, -5f, 0.5f, float.NaN];
        var y = new float[x.Length];
        Activations.Sigmoid<float>(x, y);
        Assert.Equal([0.5f, 0.5f, 1f, 0f, 1f, 0f, 0.5f, 0.5f, 1f, 0f, 0.5f, 1f, (float)Sigmoid(-20)], y[..13]);
        Assert.True(float.IsNaN(y[^1]));
        Activations.Tanh<float>(x, y);
        Assert.Equal([0f, -0f, 1f, -1f, 1f, -1f, 1e-40f, -1e-40f, 1f, -1f, 1e-20f, 1f, -1f], y[..13]);
        Assert.True(float.IsNegative(y[1]));
        Assert.True(float.IsNaN(y[^1]));
        Activations.Relu<float>(x, y);
        Assert.Equal([0f, 0f, 1e30f, 0f, float.PositiveInfinity, 0f, 1e-40f, 0f], y[..8]);
        Assert.False(float.IsNegative(y[1]), "ReLU(−0) is +0");
        Assert.True(float.IsNaN(y[^1]));
        Activations.Gelu<float>(x, y);
        Assert.Equal([0f, 1e30f, -0f, float.PositiveInfinity], [y[0], y[2], y[3], y[4]]);
        Assert.All(y[..^1].Where((_, i) => i != 5), v => Assert.False(float.IsNaN(v)));
        Activations.Silu<float>(x, y);
        Assert.Equal([0f, 1e30f, -0f, float.PositiveInfinity], [y[0], y[2], y[3], y[4]]);
    }

    [Fact]
    public void LeakyRelu_rejects_a_negative_slope() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.LeakyRelu<float>(new float[2], new float[2], -0.1f));
}
