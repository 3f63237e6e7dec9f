using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Training.Data;

namespace SimdDescent.IO.Preprocessing;

/// <summary>
/// Feature standardization: each column is shifted by its mean and divided by its standard deviation, both
/// learned once (from the training split only, so no information leaks from the test split) and then
/// applied unchanged to any split.
/// </summary>
/// <remarks>
/// Statistics are accumulated in <see cref="double"/> with two passes (mean, then squared deviations) and
/// use the population standard deviation (divisor n), as scikit-learn's StandardScaler does. A constant
/// column has no spread to divide by: its scale is 1, so it becomes exactly 0 rather than NaN.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Standardizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[] _mean;
    private readonly T[] _scale;
    private readonly T[] _inverseScale;

    private Standardizer(T[] mean, T[] scale)
    {
        _mean = mean;
        _scale = scale;
        _inverseScale = new T[scale.Length];
        for (var c = 0; c < scale.Length; c++)
        {
            _inverseScale[c] = T.One / scale[c];
        }
    }

    /// <summary>The number of features (columns) this standardizer was fitted on.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>The mean of each column of the fitting data.</summary>
    public ReadOnlySpan<T> Mean => _mean;

    /// <summary>The divisor of each column: its standard deviation, or 1 for a constant column.</summary>
    public ReadOnlySpan<T> Scale => _scale;

    /// <summary>Learns the mean and standard deviation of each column of a row-major matrix.</summary>
    /// <param name="features">Rows × <paramref name="featureCount"/> values, at least one row; all finite.</param>
    /// <param name="featureCount">The number of columns.</param>
    /// <exception cref="ArgumentException">The matrix is empty, ragged, or holds a NaN or infinity.</exception>
    public static Standardizer<T> Fit(ReadOnlySpan<T> features, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.IsEmpty || features.Length % featureCount != 0)
        {
            throw new ArgumentException($"Expected at least one whole row of {featureCount} features, got {features.Length} values.", nameof(features));
        }

        var rows = features.Length / featureCount;
        var sum = new double[featureCount];
        var first = features[..featureCount];
        var constant = new bool[featureCount];
        constant.AsSpan().Fill(true);
        for (var start = 0; start < features.Length; start += featureCount)
        {
            var row = features.Slice(start, featureCount);
            for (var c = 0; c < featureCount; c++)
            {
                if (!T.IsFinite(row[c]))
                {
                    throw new ArgumentException($"Expected finite features; row {start / featureCount}, column {c} is {row[c]}.", nameof(features));
                }

                sum[c] += double.CreateTruncating(row[c]);
                constant[c] &= row[c] == first[c];
            }
        }

        var meanOfDouble = new double[featureCount];
        for (var c = 0; c < featureCount; c++)
        {
            meanOfDouble[c] = sum[c] / rows;
        }

        var squaredDeviations = new double[featureCount];
        for (var start = 0; start < features.Length; start += featureCount)
        {
            var row = features.Slice(start, featureCount);
            for (var c = 0; c < featureCount; c++)
            {
                var deviation = double.CreateTruncating(row[c]) - meanOfDouble[c];
                squaredDeviations[c] += deviation * deviation;
            }
        }

        var mean = new T[featureCount];
        var scale = new T[featureCount];
        for (var c = 0; c < featureCount; c++)
        {
            // A constant column's own value is its exact mean; a summed mean could be off by rounding.
            mean[c] = constant[c] ? first[c] : T.CreateTruncating(meanOfDouble[c]);
            var deviation = T.CreateTruncating(Math.Sqrt(squaredDeviations[c] / rows));
            scale[c] = constant[c] || deviation == T.Zero ? T.One : deviation;
        }

        return new Standardizer<T>(mean, scale);
    }

    /// <summary>Standardizes a row-major matrix in place: x ← (x − mean) · (1 / scale), column by column.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="FeatureCount"/>.</exception>
    public void Transform(Span<T> features) => Transform(features, features);

    /// <summary>A copy of <paramref name="data"/> with standardized inputs and the same labels or targets.</summary>
    /// <exception cref="ArgumentException">The data set's rows do not have <see cref="FeatureCount"/> inputs.</exception>
    public DataSet<T> Transform(DataSet<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputWidth != FeatureCount)
        {
            throw new ArgumentException($"Expected rows of {FeatureCount} inputs, got {data.InputWidth}.", nameof(data));
        }

        var inputs = new T[data.Inputs.Length];
        Transform(data.Inputs, inputs);
        return data.Kind == TargetKind.ClassLabels
            ? DataSet<T>.WithLabels(inputs, data.Labels.ToArray(), data.InputWidth)
            : DataSet<T>.WithTargets(inputs, data.Targets.ToArray(), data.InputWidth, data.TargetWidth);
    }

    /// <summary>Writes the standardized <paramref name="source"/> to <paramref name="destination"/> (which may be the same memory).</summary>
    /// <exception cref="ArgumentException">The lengths differ or are not a multiple of <see cref="FeatureCount"/>.</exception>
    public void Transform(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (source.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"Expected whole rows of {FeatureCount} features, got {source.Length} values.", nameof(source));
        }

        if (destination.Length != source.Length)
        {
            throw new ArgumentException($"Expected a destination of {source.Length} values, the length of the source, got {destination.Length}.", nameof(destination));
        }

        for (var start = 0; start < source.Length; start += FeatureCount)
        {
            var row = destination.Slice(start, FeatureCount);
            Blas.Subtract(source.Slice(start, FeatureCount), _mean, row);
            Blas.Multiply(row, _inverseScale, row);
        }
    }
}
