using SimdDescent.IO.Preprocessing;

namespace SimdDescent.IO.Datasets;

/// <summary>
/// Samples held as two row-major matrices: <see cref="Count"/> rows of <see cref="FeatureCount"/> features
/// and, aligned with them, <see cref="Count"/> rows of <see cref="TargetWidth"/> targets (a class label,
/// a regression value, or none when the width is 0).
/// </summary>
/// <typeparam name="TFeature">The feature element, usually <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TTarget">The target element: <see cref="int"/> for class labels, a floating-point type for regression.</typeparam>
public sealed class Dataset<TFeature, TTarget>
    where TFeature : unmanaged
    where TTarget : unmanaged
{
    /// <summary>Wraps existing arrays (not copied).</summary>
    /// <param name="features">Count × <paramref name="featureCount"/> values, row-major.</param>
    /// <param name="targets">Count × <paramref name="targetWidth"/> values, row-major.</param>
    /// <param name="featureCount">The number of features per sample; positive.</param>
    /// <param name="targetWidth">The number of target values per sample; 1 by default, 0 for unlabeled data.</param>
    /// <exception cref="ArgumentException">The array lengths do not describe the same number of whole rows.</exception>
    public Dataset(TFeature[] features, TTarget[] targets, int featureCount, int targetWidth = 1)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegative(targetWidth);
        if (features.Length % featureCount != 0)
        {
            throw new ArgumentException($"Expected features to hold whole rows of {featureCount}, but its length {features.Length} is not a multiple of it.", nameof(features));
        }

        var count = features.Length / featureCount;
        if (targets.Length != (long)count * targetWidth)
        {
            throw new ArgumentException($"Expected targets to hold {count} rows × {targetWidth} = {(long)count * targetWidth} values (one row per sample), but it has {targets.Length}.", nameof(targets));
        }

        Features = features;
        Targets = targets;
        FeatureCount = featureCount;
        TargetWidth = targetWidth;
        Count = count;
    }

    /// <summary>All features, <see cref="Count"/> × <see cref="FeatureCount"/>, row-major.</summary>
    public TFeature[] Features { get; }

    /// <summary>All targets, <see cref="Count"/> × <see cref="TargetWidth"/>, row-major.</summary>
    public TTarget[] Targets { get; }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of target values per sample (1 for a class label or a single regression target).</summary>
    public int TargetWidth { get; }

    /// <summary>The features of one sample.</summary>
    public ReadOnlySpan<TFeature> FeaturesOf(int index) => Features.AsSpan(checked(index * FeatureCount), FeatureCount);

    /// <summary>The targets of one sample.</summary>
    public ReadOnlySpan<TTarget> TargetsOf(int index) => Targets.AsSpan(checked(index * TargetWidth), TargetWidth);

    /// <summary>A new data set holding copies of the given samples, in the given order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Count"/>).</exception>
    public Dataset<TFeature, TTarget> Select(ReadOnlySpan<int> indices)
    {
        var features = new TFeature[indices.Length * FeatureCount];
        var targets = new TTarget[indices.Length * TargetWidth];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Expected sample indices in [0, {Count}).");
            }

            FeaturesOf(index).CopyTo(features.AsSpan(i * FeatureCount));
            TargetsOf(index).CopyTo(targets.AsSpan(i * TargetWidth));
        }

        return new Dataset<TFeature, TTarget>(features, targets, FeatureCount, TargetWidth);
    }

    /// <summary>
    /// Splits the samples at random into a training and a test set, reproducibly for a seed: the indices
    /// 0..Count−1 are shuffled with Fisher–Yates driven by <see cref="SplitMix64"/>(<paramref name="seed"/>);
    /// the first ⌈<paramref name="testFraction"/> · Count⌉ shuffled samples form the test set (the rounding
    /// scikit-learn's train_test_split uses), the rest the training set, both in shuffled order.
    /// </summary>
    /// <param name="testFraction">The share of samples to hold out, in [0, 1].</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside [0, 1] or NaN.</exception>
    public (Dataset<TFeature, TTarget> Train, Dataset<TFeature, TTarget> Test) Split(double testFraction, ulong seed)
    {
        if (!(testFraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "Expected a test fraction in [0, 1].");
        }

        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new SplitMix64(seed).Shuffle(order.AsSpan());
        // Rounding first keeps a product such as 0.1 × 30 = 3.0000000000000004 from becoming 4.
        var testCount = (int)Math.Ceiling(Math.Round(testFraction * Count, 9));
        return (Select(order.AsSpan(testCount)), Select(order.AsSpan(0, testCount)));
    }
}
