using SimdDescent.Checking;
using SimdDescent.Networks;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Guards;
using SimdDescent.Training.Optimizers;
using SimdDescent.Training.Progress;
using SimdDescent.Training.Schedules;

namespace SimdDescent.Tests.Training;

public sealed class TrainerBehaviourTests
{
    [Fact]
    public void Same_seed_gives_bitwise_identical_weights()
    {
        var first = TrainClassifier(seed: 42, shards: 1, threads: 1);
        var second = TrainClassifier(seed: 42, shards: 1, threads: 1);
        var other = TrainClassifier(seed: 43, shards: 1, threads: 1);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void One_thread_and_two_threads_give_bitwise_identical_weights()
    {
        var single = TrainClassifier(seed: 42, shards: 4, threads: 1);
        var dual = TrainClassifier(seed: 42, shards: 4, threads: 2);

        Assert.Equal(single, dual);
    }

    [Fact]
    public void Sharded_gradient_equals_the_whole_batch_gradient()
    {
        var data = SyntheticData.Separable<double>(96, 0.05, 1);
        var whole = new LinearNetwork<double>(2, 2, 96, TargetKind.ClassLabels);
        whole.Initialize(3);
        var sharded = new LinearNetwork<double>(2, 2, 32, TargetKind.ClassLabels);
        sharded.Initialize(3);
        var sgd = new SgdOptions { LearningRate = 1 };
        using var a = new Trainer<double>(whole, new Sgd<double>(whole.ParameterCount, sgd), new TrainerOptions { BatchSize = 96 });
        using var b = new Trainer<double>(sharded, new Sgd<double>(sharded.ParameterCount, sgd), new TrainerOptions { BatchSize = 96, Shards = 3, Threads = 2 });

        var lossA = a.TrainBatch(data, 0, 96);
        var lossB = b.TrainBatch(data, 0, 96);

        Assert.Equal(lossA, lossB, 1e-14);
        Assert.Equal(whole.Parameters.ToArray(), sharded.Parameters.ToArray(), (x, y) => Math.Abs(x - y) < 1e-14);
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights()
    {
        // Validation labels are the opposite of the training labels, so validation loss is best early and then grows.
        var training = SyntheticData.Separable<double>(200, 0.05, 9);
        var validation = DataSet<double>.WithLabels(training.Inputs.ToArray(), training.Labels.ToArray().Select(l => 1 - l).ToArray(), 2);
        var network = new LinearNetwork<double>(2, 2, 50, TargetKind.ClassLabels);
        network.Initialize(2);
        var recorder = new BestWeightsRecorder(network);
        var options = new TrainerOptions
        {
            Epochs = 50, BatchSize = 50, EarlyStopping = new EarlyStoppingOptions { Patience = 3 }, Callbacks = [recorder],
        };
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions { LearningRate = 0.5 }), options);

        var result = trainer.Fit(training, validation);

        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + 4, result.History.Count);
        Assert.Equal(result.History.Min(h => h.ValidationLoss), result.BestLoss);
        Assert.Equal(recorder.Best, network.Parameters.ToArray());
        Assert.NotEqual(recorder.Last, recorder.Best);
    }

    [Fact]
    public void A_nan_gradient_stops_training_naming_the_step_and_tensor_without_touching_the_parameters()
    {
        var (network, data) = Regression();
        network.PoisonBackwardCall = 3;
        var recorder = new BestWeightsRecorder(network);
        using var trainer = new Trainer<double>(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions { LearningRate = 0.1 }), new TrainerOptions { BatchSize = 10, Callbacks = [recorder] });

        var error = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(data));

        Assert.Equal(3, error.Step);
        Assert.Equal("linear.bias", error.Origin);
        Assert.Contains("step 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(recorder.AfterLastBatch, network.Parameters.ToArray());
        Assert.Equal(2, recorder.Batches);
    }

    [Fact]
    public void A_nan_loss_from_a_nan_input_names_the_tensor_whose_gradient_it_poisoned()
    {
        var (network, data) = Regression();
        var inputs = data.Inputs.ToArray();
        inputs[0] = double.NaN;
        var poisoned = DataSet<double>.WithTargets(inputs, data.Targets.ToArray(), 3, 1);
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 10, Shuffle = false });
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(poisoned));

        // The NaN input reaches every weight's gradient (x·dz) and the bias's (dz); the weight comes first in the arena.
        Assert.Equal("linear.weight", error.Origin);
        Assert.Contains("The loss at step 1 is NaN: the gradient of tensor 'linear.weight' holds NaN at element 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Step);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void A_nan_parameter_is_named_before_the_gradients_it_spoils()
    {
        var (network, data) = Regression();
        network.Bias[0] = double.NaN;
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 10 });

        var error = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(data));

        Assert.Equal("linear.bias", error.Origin);
        Assert.Contains("parameter tensor 'linear.bias' holds NaN at element 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Step);
    }

    [Fact]
    public void An_overflowing_loss_with_finite_parameters_and_gradients_is_reported_as_the_loss()
    {
        // Targets of 1e200: the squared error overflows to ∞, while the gradient 2(z − t)·x / n ≈ 1e200 stays finite.
        var network = new LinearNetwork<double>(3, 1, 50, TargetKind.Values);
        network.Initialize(8);
        var data = DataSet<double>.WithTargets(new double[30], Enumerable.Repeat(1e200, 10).ToArray(), 3, 1);
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 10 });

        var error = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(data));

        Assert.Equal("loss", error.Origin);
        Assert.Contains("The loss at step 1 is Infinity while every parameter and gradient is finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_option_skips_the_bad_step_and_keeps_parameters_finite()
    {
        var (network, data) = Regression();
        network.PoisonBackwardCall = 3;
        using var trainer = new Trainer<double>(
            network, new Adam<double>(network.ParameterCount, new AdamOptions()), new TrainerOptions { BatchSize = 10, Epochs = 2, NonFiniteAction = NonFiniteAction.SkipStep });

        var result = trainer.Fit(data);

        Assert.Equal(1, result.SkippedSteps);
        Assert.Equal(20, result.Steps);
        Assert.Equal(19, trainer.Optimizer.StepCount);
        Assert.All(network.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
    }

    [Theory]
    [InlineData(false, 4)]
    [InlineData(true, 3)]
    public void Last_partial_batch_is_kept_or_dropped(bool drop, int expectedBatches)
    {
        var (network, data) = Regression(rows: 35);
        var recorder = new BestWeightsRecorder(network);
        using var trainer = new Trainer<double>(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { Epochs = 1, BatchSize = 10, DropLastPartialBatch = drop, Callbacks = [recorder] });

        trainer.Fit(data);

        Assert.Equal(expectedBatches, recorder.Batches);
        Assert.Equal(expectedBatches, recorder.BatchesPerEpoch);
    }

    [Theory]
    [InlineData(false, 35)]
    [InlineData(true, 30)]
    public void An_epochs_samples_per_second_are_its_trained_rows_over_its_step_time_a_part_of_its_whole_time(bool drop, int trainedRows)
    {
        var (network, data) = Regression(rows: 35);
        using var trainer = new Trainer<double>(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { Epochs = 3, BatchSize = 10, DropLastPartialBatch = drop });

        var result = trainer.Fit(data, data);

        Assert.All(result.History, epoch =>
        {
            Assert.True(epoch.StepSeconds > 0 && epoch.StepSeconds < epoch.Seconds, $"step {epoch.StepSeconds} s of {epoch.Seconds} s");
            Assert.Equal(trainedRows / epoch.StepSeconds, epoch.SamplesPerSecond, 1e-9);
        });
    }

    [Fact]
    public void Epoch_schedule_sets_the_learning_rate_from_its_formula_and_hears_the_metric()
    {
        var (network, data) = Regression();
        var recorder = new BestWeightsRecorder(network);
        var options = new TrainerOptions { Epochs = 5, BatchSize = 10, Schedule = new StepSchedule(2, 0.5), Callbacks = [recorder] };
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions { LearningRate = 0.08 }), options);

        var result = trainer.Fit(data);

        Assert.Equal([0.08, 0.08, 0.04, 0.04, 0.02], result.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void Gradient_check_runs_before_training_and_every_n_steps()
    {
        var (network, data) = Regression();
        var check = new CountingCheck(passes: true);
        using var trainer = new Trainer<double>(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { Epochs = 2, BatchSize = 10, GradientCheckInterval = 5 }, check);

        trainer.Fit(data);

        // Before step 1, then before steps 6, 11 and 16 of 20.
        Assert.Equal(4, check.Calls);
    }

    [Fact]
    public void A_failing_gradient_check_stops_before_any_update_with_the_report()
    {
        var (network, data) = Regression();
        var before = network.Parameters.ToArray();
        using var trainer = new Trainer<double>(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 10 }, new CountingCheck(passes: false));

        var error = Assert.Throws<GradientCheckFailedException>(() => trainer.Fit(data));

        Assert.Contains("linear.weight off by 1e-2", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Step);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void The_numerical_checker_passes_a_correct_network_before_training()
    {
        var (network, data) = Regression();
        using var trainer = new Trainer<double>(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { Epochs = 1, BatchSize = 10, GradientCheckInterval = 4 },
            new NumericalGradientCheck<double>());

        var result = trainer.Fit(data);

        Assert.Equal(10, result.Steps);
    }

    [Fact]
    public void The_numerical_checker_fails_fast_on_a_wrong_backward_naming_the_tensor()
    {
        var (network, data) = Regression();
        network.BiasGradientError = 1e-3;
        var before = network.Parameters.ToArray();
        using var trainer = new Trainer<double>(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 10 }, new NumericalGradientCheck<double>());

        var error = Assert.Throws<GradientCheckFailedException>(() => trainer.Fit(data));

        Assert.Contains("FAIL linear.bias", error.Report, StringComparison.Ordinal);
        Assert.Contains("ok   linear.weight", error.Report, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Tracked_training_accuracy_counts_the_rows_the_weights_classify_right()
    {
        var data = SyntheticData.Separable<double>(128, 0.05, 23);
        var network = new LinearNetwork<double>(2, 2, 16, TargetKind.ClassLabels);
        network.Initialize(9);
        var recorder = new AccuracyRecorder();
        var options = new TrainerOptions { Epochs = 1, BatchSize = 32, Shards = 2, Threads = 2, Shuffle = false, TrackTrainingAccuracy = true, Callbacks = [recorder] };

        // A learning rate of zero keeps the weights, so every batch is judged by the same classifier.
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions { LearningRate = 0 }), options);
        trainer.Fit(data);

        var w = network.Weight.ToArray();
        var b = network.Bias.ToArray();
        var right = Enumerable.Range(0, 128).Select(r =>
        {
            var x = data.InputRows(r, 1);
            var z0 = (x[0] * w[0]) + (x[1] * w[2]) + b[0];
            var z1 = (x[0] * w[1]) + (x[1] * w[3]) + b[1];
            return (z1 > z0 ? 1 : 0) == data.Labels[r];
        }).ToArray();
        var expected = Enumerable.Range(0, 4).Select(batch => right.Skip(batch * 32).Take(32).Count(ok => ok) / 32.0);
        Assert.Equal(expected, recorder.Batches);
        Assert.Equal(right.Count(ok => ok) / 128.0, recorder.Epoch, 12);
    }

    [Fact]
    public void Frozen_tensors_do_not_change_while_others_train()
    {
        var (network, data) = Regression();
        network.Bias.Fill(0.25);
        var layout = ParameterLayout.For(network, new ParameterGroup("linear.bias") { IsFrozen = true });
        using var trainer = new Trainer<double>(network, new Adam<double>(layout, new AdamOptions { LearningRate = 0.01 }), new TrainerOptions { BatchSize = 10, MaxGradientNorm = 1 });
        var weightBefore = network.Weight.ToArray();

        trainer.Fit(data);

        Assert.Equal(0.25, network.Bias[0]);
        Assert.NotEqual(weightBefore, network.Weight.ToArray());
    }

    [Fact]
    public void Mismatched_data_is_rejected_with_a_message()
    {
        var (network, _) = Regression();
        using var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 10 });
        var labels = DataSet<double>.WithLabels(new double[6], [0, 1], 3);

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(labels));
        Assert.Contains("Expected training with 3 inputs and 1 targets", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Trainer<double>(network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 51 }));
    }

    internal static (LinearNetwork<double> Network, DataSet<double> Data) Regression(int rows = 100)
    {
        var data = SyntheticData.LinearRegression(rows, [1, 2, 3], 0.5, 0.1, seed: 4);
        var network = new LinearNetwork<double>(3, 1, 50, TargetKind.Values);
        network.Initialize(8);
        return (network, data);
    }

    private static float[] TrainClassifier(int seed, int shards, int threads)
    {
        var data = SyntheticData.Separable<float>(300, 0.05, 21);
        var network = new LinearNetwork<float>(2, 2, 64, TargetKind.ClassLabels);
        network.Initialize(6);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 64, Seed = seed, Shards = shards, Threads = threads, MaxGradientNorm = 0.5 };
        using var trainer = new Trainer<float>(network, new Adam<float>(network.ParameterCount, new AdamOptions { LearningRate = 0.05 }), options);
        trainer.Fit(data);
        return network.Parameters.ToArray();
    }

    private sealed class BestWeightsRecorder(LinearNetwork<double> network) : ITrainingCallback
    {
        public double[] Best { get; private set; } = [];

        public double[] Last { get; private set; } = [];

        public double[] AfterLastBatch { get; private set; } = network.Parameters.ToArray();

        public int Batches { get; private set; }

        public int BatchesPerEpoch { get; private set; }

        public void OnBatchEnd(in BatchProgress progress)
        {
            Batches++;
            BatchesPerEpoch = progress.BatchesPerEpoch;
            AfterLastBatch = network.Parameters.ToArray();
        }

        public void OnEpochEnd(in EpochProgress progress)
        {
            Last = network.Parameters.ToArray();
            if (progress.IsBest)
            {
                Best = Last;
            }
        }
    }

    private sealed class AccuracyRecorder : ITrainingCallback
    {
        public List<double> Batches { get; } = [];

        public double Epoch { get; private set; }

        public void OnBatchEnd(in BatchProgress progress) => Batches.Add(progress.Accuracy);

        public void OnEpochEnd(in EpochProgress progress) => Epoch = progress.TrainingAccuracy;
    }

    private sealed class CountingCheck(bool passes) : IGradientCheck<double>
    {
        public int Calls { get; private set; }

        public GradientCheckOutcome Check(INetwork<double> network, DataSet<double> data, int firstRow, int rows)
        {
            Calls++;
            Assert.Equal(data.InputWidth, network.InputWidth);
            return new GradientCheckOutcome(passes, passes ? "ok" : "linear.weight off by 1e-2");
        }
    }
}
