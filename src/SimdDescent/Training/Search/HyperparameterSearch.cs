using System.Numerics;
using SimdDescent.Networks;
using SimdDescent.Training.Data;
using SimdDescent.Training.Guards;
using SimdDescent.Training.Optimizers;
using SimdDescent.Randomness;

namespace SimdDescent.Training.Search;

/// <summary>
/// Learning-rate and batch-size search by grid or at random, with a fixed budget of epochs per trial.
/// Every trial starts from the same initialization (<see cref="IModel{T}.Initialize"/> with one
/// seed) and the same row order, so trials differ only in their hyperparameters. The network is left
/// with the last trial's weights; train the best configuration afterwards.
/// </summary>
public sealed class HyperparameterSearch<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly INetwork<T> _network;
    private readonly Func<double, Optimizer<T>> _createOptimizer;
    private readonly TrainerOptions _options;
    private readonly DataSet<T> _training;
    private readonly DataSet<T> _validation;

    /// <summary>Prepares a search.</summary>
    /// <param name="network">The network to train in every trial.</param>
    /// <param name="createOptimizer">Makes a fresh optimizer for a learning rate.</param>
    /// <param name="options">Trainer options for every trial; epochs and batch size are set per trial.</param>
    /// <param name="training">The training set (left as it is: trials shuffle row indices, not rows).</param>
    /// <param name="validation">The set trials are ranked on.</param>
    /// <param name="epochsPerTrial">The budget of epochs per trial.</param>
    /// <param name="initializationSeed">The seed every trial initializes the network with.</param>
    public HyperparameterSearch(
        INetwork<T> network, Func<double, Optimizer<T>> createOptimizer, TrainerOptions options, DataSet<T> training, DataSet<T> validation,
        int epochsPerTrial, ulong initializationSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(createOptimizer);
        ArgumentNullException.ThrowIfNull(options);
        TrainerArguments.Fits(network, training, nameof(training));
        TrainerArguments.Fits(network, validation, nameof(validation));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochsPerTrial);
        _network = network;
        _createOptimizer = createOptimizer;
        _options = options with { Epochs = epochsPerTrial };
        _training = training;
        _validation = validation;
        InitializationSeed = initializationSeed;
    }

    /// <summary>The seed every trial initializes the network with.</summary>
    public ulong InitializationSeed { get; }

    /// <summary>Tries every combination of <paramref name="learningRates"/> and <paramref name="batchSizes"/>.</summary>
    /// <exception cref="ArgumentException">A list is empty.</exception>
    public SearchResult Grid(IReadOnlyList<double> learningRates, IReadOnlyList<int> batchSizes)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        ArgumentNullException.ThrowIfNull(batchSizes);
        if (learningRates.Count == 0 || batchSizes.Count == 0)
        {
            throw new ArgumentException("Expected at least one learning rate and one batch size.", nameof(learningRates));
        }

        return Run(learningRates.SelectMany(lr => batchSizes.Select(b => (lr, b))));
    }

    /// <summary>
    /// Tries <paramref name="trials"/> configurations drawn with <paramref name="seed"/>: learning rates
    /// log-uniform in [<paramref name="minLearningRate"/>, <paramref name="maxLearningRate"/>], batch sizes
    /// uniformly from <paramref name="batchSizes"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The range is empty or not positive, or no batch size is given.</exception>
    public SearchResult Random(double minLearningRate, double maxLearningRate, IReadOnlyList<int> batchSizes, int trials, int seed)
    {
        ArgumentNullException.ThrowIfNull(batchSizes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        if (!(minLearningRate > 0 && maxLearningRate >= minLearningRate) || batchSizes.Count == 0)
        {
            throw new ArgumentException("Expected 0 < minLearningRate ≤ maxLearningRate and at least one batch size.", nameof(minLearningRate));
        }

        var random = new SplitMix64((ulong)seed);
        var logMin = Math.Log(minLearningRate);
        var logMax = Math.Log(maxLearningRate);
        var configurations = new (double, int)[trials];
        for (var i = 0; i < trials; i++)
        {
            configurations[i] = (Math.Exp(logMin + (random.NextDouble() * (logMax - logMin))), batchSizes[random.NextInt32(batchSizes.Count)]);
        }

        return Run(configurations);
    }

    private SearchResult Run(IEnumerable<(double LearningRate, int BatchSize)> configurations)
    {
        var trials = new List<Trial>();
        foreach (var (learningRate, batchSize) in configurations)
        {
            trials.Add(RunTrial(learningRate, batchSize));
        }

        return new SearchResult([.. trials.OrderBy(t => t.Diverged).ThenBy(t => t.ValidationLoss)]);
    }

    private Trial RunTrial(double learningRate, int batchSize)
    {
        _network.Initialize(InitializationSeed);
        using var trainer = new Trainer<T>(_network, _createOptimizer(learningRate), _options with { BatchSize = batchSize });
        try
        {
            var result = trainer.Fit(_training, _validation);
            if (result.BestEpoch < 0)
            {
                return Diverged(learningRate, batchSize);
            }

            var best = result.History[result.BestEpoch];
            return new Trial(learningRate, batchSize, best.ValidationLoss, best.ValidationAccuracy, result.History[^1].TrainingLoss, result.BestEpoch, Diverged: false);
        }
        catch (NonFiniteValueException)
        {
            return Diverged(learningRate, batchSize);
        }
    }

    private static Trial Diverged(double learningRate, int batchSize) =>
        new(learningRate, batchSize, double.PositiveInfinity, double.NaN, double.NaN, -1, Diverged: true);
}
