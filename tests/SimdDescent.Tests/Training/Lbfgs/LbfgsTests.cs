using SimdDescent.Networks;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Lbfgs;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training.Lbfgs;

public sealed class LbfgsTests
{
    private static readonly LbfgsOptions Tight = new() { MaxIterations = 500, GradientTolerance = 1e-12, ChangeTolerance = 1e-30 };

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void Finds_the_minimum_of_the_rosenbrock_function(int dimensions)
    {
        var x = new double[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            x[i] = i % 2 == 0 ? -1.2 : 1;
        }

        var objective = new Rosenbrock();
        var result = new Lbfgs<double>(dimensions, Tight).Minimize(objective, x);

        Assert.All(x, xi => Assert.Equal(1, xi, 1e-6));
        Assert.True(result.Loss < 1e-12, $"loss {result.Loss} after {result.Iterations} iterations ({result.Termination})");
        Assert.True(result.Iterations < 200, $"{result.Iterations} iterations");
        Assert.Equal(result.Evaluations, objective.Evaluations);
    }

    [Fact]
    public void Without_line_search_a_small_fixed_step_still_descends()
    {
        double[] x = [-1.2, 1];
        var before = Rosenbrock.Value(x);

        var result = new Lbfgs<double>(2, new LbfgsOptions { StrongWolfeLineSearch = false, LearningRate = 0.1, MaxIterations = 10 }).Minimize(new Rosenbrock(), x);

        Assert.Equal(LbfgsTermination.MaxIterations, result.Termination);
        Assert.True(Rosenbrock.Value(x) < before);
    }

    [Fact]
    public void Cubic_interpolation_finds_the_minimizer_of_a_cubic()
    {
        // f(t) = (t − 1)³ − 3(t − 1) has its local minimizer at t = 2; sample it at t = 1 and t = 3.
        static double F(double t) => Math.Pow(t - 1, 3) - (3 * (t - 1));
        static double G(double t) => (3 * Math.Pow(t - 1, 2)) - 3;

        Assert.Equal(2, StrongWolfeLineSearch<double>.CubicMinimizer(1, F(1), G(1), 3, F(3), G(3), 1, 3), 12);
        Assert.Equal(2, StrongWolfeLineSearch<double>.CubicMinimizer(3, F(3), G(3), 1, F(1), G(1), 1, 3), 12);
    }

    [Fact]
    public void Confirms_that_a_first_order_run_reached_the_least_squares_minimum()
    {
        var data = SyntheticData.LinearRegression(300, [0.7, -1.1, 2.0, 0.1], bias: -0.4, noise: 0.3, seed: 12);
        var network = new LinearNetwork<double>(4, 1, 64, TargetKind.Values);
        network.Initialize(4);
        using (var trainer = new Trainer<double>(network, new Adam<double>(network.ParameterCount, new AdamOptions { LearningRate = 0.02 }), new TrainerOptions { Epochs = 150, BatchSize = 64 }))
        {
            trainer.Fit(data);
        }

        var adam = network.Parameters.ToArray();
        var result = new Lbfgs<double>(network.ParameterCount, Tight).Minimize(new FullBatchObjective<double>(network, data), network.Parameters);

        var exact = SyntheticData.NormalEquations(data);
        Assert.Equal(exact, network.Parameters.ToArray(), (e, a) => Math.Abs(e - a) < 1e-8);
        Assert.Equal(exact, adam, (e, a) => Math.Abs(e - a) < 2e-2);
        Assert.True(result.GradientMaxNorm < 1e-8);
    }

    private sealed class Rosenbrock : IObjective<double>
    {
        public int Evaluations { get; private set; }

        public static double Value(ReadOnlySpan<double> x)
        {
            var f = 0.0;
            for (var i = 0; i + 1 < x.Length; i++)
            {
                f += (100 * Math.Pow(x[i + 1] - (x[i] * x[i]), 2)) + Math.Pow(1 - x[i], 2);
            }

            return f;
        }

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            Evaluations++;
            gradient.Clear();
            for (var i = 0; i + 1 < x.Length; i++)
            {
                var inner = x[i + 1] - (x[i] * x[i]);
                gradient[i] += (-400 * x[i] * inner) - (2 * (1 - x[i]));
                gradient[i + 1] += 200 * inner;
            }

            return Value(x);
        }
    }
}
