using SimdDescent.Training.Data;

namespace SimdDescent.Tests.Training.Support;

/// <summary>Small, seeded data sets with known structure for the trainer's tests.</summary>
internal static class SyntheticData
{
    /// <summary>y = x·w + b + noise with standard-normal-ish features.</summary>
    public static DataSet<double> LinearRegression(int rows, double[] weights, double bias, double noise, int seed)
    {
        var random = new Random(seed);
        var width = weights.Length;
        var inputs = new double[rows * width];
        var targets = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var y = bias;
            for (var j = 0; j < width; j++)
            {
                var x = (random.NextDouble() * 2) - 1;
                inputs[(r * width) + j] = x;
                y += x * weights[j];
            }

            targets[r] = y + (noise * ((random.NextDouble() * 2) - 1));
        }

        return DataSet<double>.WithTargets(inputs, targets, width, 1);
    }

    /// <summary>Two classes in the plane on either side of the line x₀ + 2x₁ = 0.5, at least <paramref name="margin"/> away from it.</summary>
    public static DataSet<T> Separable<T>(int rows, double margin, int seed)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var inputs = new T[rows * 2];
        var labels = new int[rows];
        for (var r = 0; r < rows;)
        {
            var x0 = (random.NextDouble() * 4) - 2;
            var x1 = (random.NextDouble() * 4) - 2;
            var side = (x0 + (2 * x1) - 0.5) / Math.Sqrt(5);
            if (Math.Abs(side) < margin)
            {
                continue;
            }

            inputs[2 * r] = T.CreateTruncating(x0);
            inputs[(2 * r) + 1] = T.CreateTruncating(x1);
            labels[r] = side > 0 ? 1 : 0;
            r++;
        }

        return DataSet<T>.WithLabels(inputs, labels, 2);
    }

    /// <summary>Solves the normal equations of least squares with an intercept, in double: returns [w..., b].</summary>
    public static double[] NormalEquations(DataSet<double> data)
    {
        var n = data.InputWidth + 1;
        var a = new double[n, n + 1];
        for (var r = 0; r < data.Count; r++)
        {
            var row = data.InputRows(r, 1);
            var y = data.TargetRows(r, 1)[0];
            for (var i = 0; i < n; i++)
            {
                var xi = i < n - 1 ? row[i] : 1;
                for (var j = 0; j < n; j++)
                {
                    a[i, j] += xi * (j < n - 1 ? row[j] : 1);
                }

                a[i, n] += xi * y;
            }
        }

        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
            {
                pivot = Math.Abs(a[r, c]) > Math.Abs(a[pivot, c]) ? r : pivot;
            }

            for (var j = 0; j <= n; j++)
            {
                (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            }

            for (var r = 0; r < n; r++)
            {
                if (r == c)
                {
                    continue;
                }

                var f = a[r, c] / a[c, c];
                for (var j = c; j <= n; j++)
                {
                    a[r, j] -= f * a[c, j];
                }
            }
        }

        return Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i]).ToArray();
    }
}
