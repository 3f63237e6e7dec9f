using System.Globalization;
using System.IO.Compression;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Networks;

/// <summary>
/// A generated Dense(1) + MSE network trained by plain full-batch gradient descent on the diabetes data
/// reaches the least-squares solution computed independently from the normal equations.
/// </summary>
public class LinearRegressionTests
{
    [Fact]
    public void Gradient_descent_converges_to_the_normal_equations_solution()
    {
        var features = ReadMatrix("diabetes_data_raw.csv.gz", 10);
        var target = ReadMatrix("diabetes_target.csv.gz", 1);
        const int rows = 442;
        Assert.Equal(rows * 10, features.Length);
        Standardize(features, rows, 10);

        var expected = LeastSquares(features, target, rows, 10);

        var network = new LinearRegression();
        var parameters = network.Parameters;
        var gradients = network.Gradients;
        var learningRate = 0.2;
        double previous = double.MaxValue;
        for (var iteration = 0; iteration < 40_000; iteration++)
        {
            var loss = network.Forward(features, target, rows);
            network.Backward();
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= learningRate * gradients[i];
            }

            if (iteration % 1000 == 0)
            {
                // Plain descent with a step below 2/L never raises the loss (up to rounding once converged).
                Assert.True(loss <= previous * (1 + 1e-12), $"loss rose at iteration {iteration}: {loss} > {previous}");
                previous = loss;
            }
        }

        // Layout: layer0.weight [10, 1] then layer0.bias [1].
        Assert.Equal(["layer0.weight", "layer0.bias"], network.Tensors.Select(t => t.Name));
        for (var i = 0; i <= 10; i++)
        {
            var relative = Math.Abs(parameters[i] - expected[i]) / Math.Abs(expected[i]);
            Assert.True(relative < 1e-4, $"coefficient {i}: gradient descent {parameters[i]}, normal equations {expected[i]}, relative error {relative:E2}");
        }
    }

    /// <summary>Solves (AᵀA)β = Aᵀy with A = [X, 1] by Gaussian elimination with partial pivoting; returns weights then intercept.</summary>
    private static double[] LeastSquares(double[] x, double[] y, int rows, int columns)
    {
        var n = columns + 1;
        var system = new double[n, n + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < n; i++)
            {
                var ai = i < columns ? x[(r * columns) + i] : 1.0;
                for (var j = 0; j < n; j++)
                {
                    system[i, j] += ai * (j < columns ? x[(r * columns) + j] : 1.0);
                }

                system[i, n] += ai * y[r];
            }
        }

        for (var pivot = 0; pivot < n; pivot++)
        {
            var best = pivot;
            for (var r = pivot + 1; r < n; r++)
            {
                if (Math.Abs(system[r, pivot]) > Math.Abs(system[best, pivot]))
                {
                    best = r;
                }
            }

            for (var c = 0; c <= n; c++)
            {
                (system[pivot, c], system[best, c]) = (system[best, c], system[pivot, c]);
            }

            for (var r = 0; r < n; r++)
            {
                if (r != pivot)
                {
                    var factor = system[r, pivot] / system[pivot, pivot];
                    for (var c = pivot; c <= n; c++)
                    {
                        system[r, c] -= factor * system[pivot, c];
                    }
                }
            }
        }

        var solution = new double[n];
        for (var i = 0; i < n; i++)
        {
            solution[i] = system[i, n] / system[i, i];
        }

        return solution;
    }

    private static void Standardize(double[] x, int rows, int columns)
    {
        for (var c = 0; c < columns; c++)
        {
            double mean = 0, squares = 0;
            for (var r = 0; r < rows; r++)
            {
                mean += x[(r * columns) + c];
            }

            mean /= rows;
            for (var r = 0; r < rows; r++)
            {
                squares += Math.Pow(x[(r * columns) + c] - mean, 2);
            }

            var std = Math.Sqrt(squares / rows);
            for (var r = 0; r < rows; r++)
            {
                x[(r * columns) + c] = (x[(r * columns) + c] - mean) / std;
            }
        }
    }

    private static double[] ReadMatrix(string file, int columns)
    {
        using var stream = new GZipStream(File.OpenRead(TestData.PathOf(file)), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var values = new List<double>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            Assert.Equal(columns, fields.Length);
            values.AddRange(fields.Select(f => double.Parse(f, CultureInfo.InvariantCulture)));
        }

        return [.. values];
    }
}
