using System.Diagnostics;
using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Parallel;
using SimdDescent.Networks;
using SimdDescent.Training.Clipping;
using SimdDescent.Training.Data;
using SimdDescent.Training.Guards;
using SimdDescent.Training.Optimizers;
using SimdDescent.Training.Parallel;
using SimdDescent.Training.Progress;
using SimdDescent.Training.Schedules;
using SimdDescent.Randomness;

namespace SimdDescent.Training;

/// <summary>
/// Trains a network on an in-memory data set: seeded shuffling (of row indices; the set is never modified), mini-batches, data-parallel
/// gradients over a fixed number of shards, non-finite guard, clipping, optimizer step, schedule,
/// validation, early stopping with best-weights restore, callbacks. Everything is allocated at
/// construction or at the start of <see cref="Fit"/>; a step and an epoch allocate nothing.
/// </summary>
public sealed class Trainer<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly INetwork<T> _network;
    private readonly Optimizer<T> _optimizer;
    private readonly TrainerOptions _options;
    private readonly IGradientCheck<T>? _gradientCheck;
    private readonly ITrainingCallback[] _callbacks;
    private readonly WorkerPool _pool;
    private readonly ShardedStep<T> _shards;
    private readonly Evaluator<T> _evaluator;
    private readonly ImageAugmentation<T>? _augmentation;
    private bool _stopRequested;

    /// <summary>Prepares workspaces, worker threads and buffers for training <paramref name="network"/> with <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The optimizer's arena does not match the network, an option is out of range, or the schedule sets momentum and the optimizer has none.
    /// </exception>
    public Trainer(INetwork<T> network, Optimizer<T> optimizer, TrainerOptions options, IGradientCheck<T>? gradientCheck = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        TrainerArguments.Check(network, optimizer, options);
        _network = network;
        _optimizer = optimizer;
        _options = options;
        _gradientCheck = gradientCheck;
        _callbacks = [.. options.Callbacks];
        _pool = new WorkerPool(options.Threads);
        _shards = new ShardedStep<T>(network, options.Shards, _pool, optimizer) { CountCorrect = options.TrackTrainingAccuracy };
        _evaluator = new Evaluator<T>(network);
        _augmentation = options.Augmentation?.Create<T>();
    }

    /// <summary>The optimizer the trainer steps.</summary>
    public Optimizer<T> Optimizer => _optimizer;

    /// <summary>
    /// Steps attempted so far (skipped ones included). Set it when resuming from a checkpoint so that a
    /// per-batch schedule and the gradient-check interval continue where the interrupted run stopped.
    /// </summary>
    public long Steps
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>Steps skipped for a non-finite loss or gradient (with <see cref="NonFiniteAction.SkipStep"/>).</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The fraction of the last batch classified right (NaN unless <see cref="TrainerOptions.TrackTrainingAccuracy"/> is set on a classification set).</summary>
    public double LastBatchAccuracy { get; private set; } = double.NaN;

    /// <summary>The global L2 norm of the last step's gradient, before clipping.</summary>
    public double LastGradientNorm { get; private set; } = double.NaN;

    /// <summary>Bytes the trainer's helper threads have allocated so far (for allocation tests).</summary>
    internal long HelperAllocatedBytes => _pool.HelperAllocatedBytes;

    /// <summary>Asks <see cref="Fit"/> to stop after the current batch (callable from a callback).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Trains for <see cref="TrainerOptions.Epochs"/> epochs (or until early stopping) and reports each epoch.</summary>
    /// <exception cref="ArgumentException">A data set does not fit the network.</exception>
    /// <exception cref="NonFiniteValueException">A loss or gradient was NaN or ∞ and the option says throw.</exception>
    /// <exception cref="GradientCheckFailedException">The gradient check failed.</exception>
    public TrainingResult Fit(DataSet<T> training, DataSet<T>? validation = null)
    {
        TrainerArguments.Fits(_network, training, nameof(training));
        if (validation is not null)
        {
            TrainerArguments.Fits(_network, validation, nameof(validation));
        }

        var run = new EpochLoop(this, training, validation);
        return run.Run();
    }

    /// <summary>
    /// One full step on rows [<paramref name="firstRow"/>, firstRow + <paramref name="rows"/>): schedule
    /// (per-batch unit), forward, backward, non-finite guard, clipping, optimizer update. Returns the
    /// batch's mean loss. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The data set does not fit the network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows are outside the data set or more than MaxBatch × Shards.</exception>
    public double TrainBatch(DataSet<T> data, int firstRow, int rows)
    {
        TrainerArguments.Fits(_network, data, nameof(data));
        if (firstRow < 0 || rows <= 0 || firstRow + rows > data.Count || rows > _network.MaxBatch * _options.Shards)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Expected 0 < rows ≤ {_network.MaxBatch * _options.Shards} inside the {data.Count} rows of the data set; got rows [{firstRow}, {firstRow + rows}).");
        }

        Steps++;
        if (_options.Schedule is { } schedule && _options.ScheduleUnit == ScheduleUnit.Batch)
        {
            ApplySchedule(schedule, (int)(Steps - 1));
        }

        if (_gradientCheck is not null && _options.GradientCheckInterval > 0 && Steps > 1 && (Steps - 1) % _options.GradientCheckInterval == 0)
        {
            RunGradientCheck(Steps, data, firstRow, rows);
        }

        var loss = _shards.Compute(data, firstRow, rows);
        LastBatchAccuracy = _options.TrackTrainingAccuracy && data.Kind == TargetKind.ClassLabels ? (double)_shards.Correct / rows : double.NaN;
        var gradients = _shards.Gradients;
        LastGradientNorm = _shards.GradientNorm;
        if (!double.IsFinite(loss))
        {
            return Reject(NonFiniteGuard.ForLoss<T>(Steps, loss, _network.Parameters, gradients, _network.Tensors), loss);
        }

        if (!double.IsFinite(LastGradientNorm))
        {
            return Reject(NonFiniteGuard.ForGradients<T>(Steps, gradients, _network.Tensors), loss);
        }

        var norm = LastGradientNorm;
        if (_options.GradientClipValue > 0)
        {
            GradientClipping.ClipByValue(gradients, _options.GradientClipValue);
            norm = double.CreateTruncating(Reductions.Norm2<T>(gradients));
        }

        _shards.Update(_options.MaxGradientNorm > 0 ? GradientClipping.NormScale(norm, _options.MaxGradientNorm) : 1);
        return loss;
    }

    /// <summary>Mean loss and accuracy (classification) of the network on <paramref name="data"/>, in inference mode.</summary>
    public EvaluationResult Evaluate(DataSet<T> data)
    {
        TrainerArguments.Fits(_network, data, nameof(data));
        return _evaluator.Evaluate(data);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _pool.Dispose();

    private void ApplySchedule(ILearningRateSchedule schedule, int step)
    {
        var groups = _optimizer.Groups;
        for (var g = 0; g < groups.Count; g++)
        {
            groups[g].LearningRate = schedule.LearningRate(groups[g].InitialLearningRate, step);
            if (schedule.SchedulesMomentum)
            {
                groups[g].Momentum = schedule.Momentum(step);
            }
        }
    }

    private double Reject(NonFiniteValueException exception, double loss)
    {
        if (_options.NonFiniteAction == NonFiniteAction.Throw)
        {
            throw exception;
        }

        SkippedSteps++;
        return loss;
    }

    private void RunGradientCheck(long step, DataSet<T> data, int firstRow, int rows)
    {
        var outcome = _gradientCheck!.Check(_network, data, firstRow, Math.Min(rows, _network.MaxBatch));
        if (!outcome.Passed)
        {
            throw new GradientCheckFailedException(step, outcome.Report);
        }
    }

    /// <summary>The state of one <see cref="Fit"/> run.</summary>
    private sealed class EpochLoop(Trainer<T> trainer, DataSet<T> training, DataSet<T>? validation)
    {
        // Keeps the augmentation's draws apart from the shuffle's, which use the seed itself.
        private const ulong AugmentationStream = 0xA0A0_5EED_F11B_0001;

        private readonly TrainerOptions _options = trainer._options;
        private readonly List<EpochProgress> _history = new(trainer._options.Epochs);
        // Augmented batches are copies too, so they never touch the caller's rows.
        private readonly ShuffledBatches<T>? _batches =
            trainer._options.Shuffle || trainer._augmentation is not null ? new(training, trainer._options.BatchSize) : null;
        private readonly T[]? _bestParameters = trainer._options.EarlyStopping is { RestoreBestWeights: true } ? new T[trainer._network.ParameterCount] : null;
        private double _bestLoss = double.PositiveInfinity;
        private int _bestEpoch = -1;
        private int _epochsWithoutImprovement;

        public TrainingResult Run()
        {
            trainer._stopRequested = false;
            var random = new SplitMix64((ulong)_options.Seed);
            var stoppedEarly = false;
            var skippedBefore = trainer.SkippedSteps;
            var stepsBefore = trainer.Steps;
            // Resuming: the epochs already trained shuffled the order; replaying those shuffles puts the RNG
            // and the order exactly where the interrupted run left them.
            for (var epoch = 0; epoch < _options.StartEpoch && _options.Shuffle; epoch++)
            {
                _batches!.Shuffle(ref random);
            }

            for (var epoch = _options.StartEpoch; epoch < _options.Epochs; epoch++)
            {
                if (_options.Schedule is { } schedule && _options.ScheduleUnit == ScheduleUnit.Epoch)
                {
                    trainer.ApplySchedule(schedule, epoch);
                }

                var epochStart = Stopwatch.GetTimestamp();
                if (_options.Shuffle)
                {
                    _batches!.Shuffle(ref random);
                }

                var (trainingLoss, trainingAccuracy, rows, stepSeconds) = TrainEpoch(epoch);
                if (EndEpoch(epoch, trainingLoss, trainingAccuracy, rows, stepSeconds, epochStart) || trainer._stopRequested)
                {
                    stoppedEarly = epoch < _options.Epochs - 1;
                    break;
                }
            }

            if (_bestParameters is not null && _bestEpoch >= 0)
            {
                _bestParameters.CopyTo(trainer._network.Parameters);
            }

            return new TrainingResult(_history, _bestEpoch, _bestLoss, stoppedEarly, trainer.Steps - stepsBefore, trainer.SkippedSteps - skippedBefore);
        }

        private (double Loss, double Accuracy, int Rows, double StepSeconds) TrainEpoch(int epoch)
        {
            var batchSize = _options.BatchSize;
            var batches = _options.DropLastPartialBatch ? training.Count / batchSize : (training.Count + batchSize - 1) / batchSize;
            var lossSum = 0.0;
            var rowsSum = 0;
            var correctSum = 0.0;
            var rowsRun = 0;
            var stepTicks = 0L;
            var augmentationRandom = new SplitMix64(SplitMix64.Hash((ulong)_options.Seed ^ AugmentationStream, (ulong)epoch));
            for (var batch = 0; batch < batches && !trainer._stopRequested; batch++)
            {
                var first = batch * batchSize;
                var rows = Math.Min(batchSize, training.Count - first);
                var (data, firstRow) = _batches is null ? (training, first) : (_batches.Gather(first, rows), 0);
                if (trainer._augmentation is { } augmentation)
                {
                    augmentation.Apply(_batches!.Inputs(rows), ref augmentationRandom);
                }
                if (batch == 0 && epoch == _options.StartEpoch && trainer._gradientCheck is not null)
                {
                    trainer.RunGradientCheck(trainer.Steps + 1, data, firstRow, rows);
                }

                var start = Stopwatch.GetTimestamp();
                var skippedBefore = trainer.SkippedSteps;
                var loss = trainer.TrainBatch(data, firstRow, rows);
                var ticks = Stopwatch.GetTimestamp() - start;
                stepTicks += ticks;
                rowsRun += rows;
                var skipped = trainer.SkippedSteps != skippedBefore;
                if (!skipped)
                {
                    lossSum += loss * rows;
                    correctSum += trainer.LastBatchAccuracy * rows;
                    rowsSum += rows;
                }

                var progress = new BatchProgress(
                    epoch, batch, batches, trainer.Steps, loss, trainer.LastBatchAccuracy, trainer.LastGradientNorm, DefaultLearningRate, rows * (double)Stopwatch.Frequency / ticks, skipped);
                foreach (var callback in trainer._callbacks)
                {
                    callback.OnBatchEnd(progress);
                }
            }

            return (rowsSum > 0 ? lossSum / rowsSum : double.NaN, rowsSum > 0 ? correctSum / rowsSum : double.NaN, rowsRun, (double)stepTicks / Stopwatch.Frequency);
        }

        /// <summary>Validates, tracks the best epoch, reports; returns whether early stopping ends the run.</summary>
        private bool EndEpoch(int epoch, double trainingLoss, double trainingAccuracy, int rows, double stepSeconds, long epochStart)
        {
            var evaluation = validation is null ? new EvaluationResult(double.NaN, double.NaN, 0) : trainer._evaluator.Evaluate(validation);
            var monitored = validation is null ? trainingLoss : evaluation.Loss;
            _options.Schedule?.ReportMetric(monitored);
            var isBest = monitored < _bestLoss - (_options.EarlyStopping?.MinDelta ?? 0);
            if (isBest)
            {
                _bestLoss = monitored;
                _bestEpoch = epoch;
                _epochsWithoutImprovement = 0;
                if (_bestParameters is not null)
                {
                    trainer._network.Parameters.CopyTo(_bestParameters);
                }
            }
            else
            {
                _epochsWithoutImprovement++;
            }

            var progress = new EpochProgress(
                epoch, _options.Epochs, trainingLoss, trainingAccuracy, evaluation.Loss, evaluation.Accuracy, DefaultLearningRate, rows / stepSeconds, isBest)
            {
                StepSeconds = stepSeconds,
                Seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds,
            };
            _history.Add(progress);
            foreach (var callback in trainer._callbacks)
            {
                callback.OnEpochEnd(progress);
            }

            return _options.EarlyStopping is { } early && _epochsWithoutImprovement >= early.Patience;
        }

        private double DefaultLearningRate => trainer._optimizer.Groups[0].LearningRate;
    }
}
