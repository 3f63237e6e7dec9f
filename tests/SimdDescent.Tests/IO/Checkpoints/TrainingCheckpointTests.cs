using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;
using SimdDescent.Training.Schedules;

namespace SimdDescent.Tests.IO.Checkpoints;

public sealed class TrainingCheckpointTests
{
    private const int Rows = 90;
    private const int Epochs = 6;

    public static TheoryData<string> Recipes => ["adam+cosine", "sgd-nesterov+onecycle", "rmsprop+step"];

    private static DataSet<float> Data()
    {
        var random = new Random(42);
        var inputs = new float[Rows * 12];
        var labels = new int[Rows];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < Rows; i++)
        {
            labels[i] = random.Next(5);
        }

        return DataSet<float>.WithLabels(inputs, labels, 12);
    }

    private static (Optimizer<float> Optimizer, TrainerOptions Options) Recipe(string recipe, int parameterCount)
    {
        var options = new TrainerOptions { Epochs = Epochs, BatchSize = 16, Seed = 17 };
        return recipe switch
        {
            "adam+cosine" => (new Adam<float>(parameterCount, new AdamOptions { LearningRate = 0.01 }), options with { Schedule = new CosineAnnealingSchedule(Epochs) }),
            "sgd-nesterov+onecycle" => (
                new Sgd<float>(parameterCount, new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Nesterov = true }),
                options with { Schedule = new OneCycleSchedule(Epochs * 6), ScheduleUnit = ScheduleUnit.Batch }),
            _ => (new RmsProp<float>(parameterCount, new RmsPropOptions { LearningRate = 0.01, Momentum = 0.5 }), options with { Schedule = new StepSchedule(2, 0.5) }),
        };
    }

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Resuming_from_a_checkpoint_gives_bitwise_the_weights_of_an_uninterrupted_run(string recipe)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("run.ckpt.safetensors");

        var straight = new ResumableNetwork();
        var (straightOptimizer, options) = Recipe(recipe, straight.ParameterCount);
        using (var trainer = new Trainer<float>(straight, straightOptimizer, options))
        {
            trainer.Fit(Data());
        }

        var firstHalf = new ResumableNetwork();
        var (firstOptimizer, firstOptions) = Recipe(recipe, firstHalf.ParameterCount);
        using (var trainer = new Trainer<float>(firstHalf, firstOptimizer, firstOptions with { Epochs = Epochs / 2 }))
        {
            trainer.Fit(Data());
            TrainingCheckpoint.Save(path, firstHalf, firstOptimizer, new TrainingPosition(Epochs / 2, trainer.Steps, firstOptions.Seed));
        }

        // Fresh objects: other initial weights, a new optimizer and schedule, the data in its original order.
        var resumed = new ResumableNetwork();
        resumed.Initialize(999);
        var (resumedOptimizer, resumedOptions) = Recipe(recipe, resumed.ParameterCount);
        var position = TrainingCheckpoint.Load(path, resumed, resumedOptimizer);
        Assert.Equal(new TrainingPosition(Epochs / 2, Epochs / 2 * 6, 17), position);
        using (var trainer = new Trainer<float>(resumed, resumedOptimizer, resumedOptions with { StartEpoch = position.Epoch, Seed = position.ShuffleSeed }) { Steps = position.Steps })
        {
            trainer.Fit(Data());
        }

        Assert.Equal(Bits(straight.Parameters), Bits(resumed.Parameters));
        Assert.Equal(straightOptimizer.StepCount, resumedOptimizer.StepCount);
        for (var s = 0; s < straightOptimizer.StateNames.Count; s++)
        {
            Assert.Equal(Bits(straightOptimizer.GetState(s)), Bits(resumedOptimizer.GetState(s)));
        }

        // And the check has teeth: resuming without the optimizer state lands elsewhere.
        var naive = new ResumableNetwork();
        var (naiveOptimizer, naiveOptions) = Recipe(recipe, naive.ParameterCount);
        NetworkCheckpoint.Load(naive, WeightsOnly(directory, firstHalf));
        using (var trainer = new Trainer<float>(naive, naiveOptimizer, naiveOptions with { StartEpoch = Epochs / 2 }) { Steps = position.Steps })
        {
            trainer.Fit(Data());
        }

        Assert.NotEqual(Bits(straight.Parameters), Bits(naive.Parameters));
    }

    [Fact]
    public void The_resume_position_is_checked()
    {
        var network = new ResumableNetwork();
        var sgd = new Sgd<float>(network.ParameterCount, new SgdOptions());

        var error = Assert.Throws<ArgumentException>(() => new Trainer<float>(network, sgd, new TrainerOptions { Epochs = 3, StartEpoch = 4, BatchSize = 16 }));
        Assert.Contains("StartEpoch in [0, Epochs] = [0, 3], got 4", error.Message, StringComparison.Ordinal);
        using var trainer = new Trainer<float>(network, sgd, new TrainerOptions { Epochs = 3, StartEpoch = 3, BatchSize = 16 });
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Steps = -1);
    }

    [Fact]
    public void A_weights_only_file_is_not_a_training_checkpoint()
    {
        using var directory = new TemporaryDirectory();
        var network = new ResumableNetwork();
        var path = WeightsOnly(directory, network);

        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, network, new Adam<float>(network.ParameterCount, new AdamOptions())));

        Assert.Contains("is not a training checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_optimizer_kind_or_state_set_is_rejected_and_nothing_changes()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("adam.ckpt");
        var saved = new ResumableNetwork();
        TrainingCheckpoint.Save(path, saved, new Adam<float>(saved.ParameterCount, new AdamOptions()), new TrainingPosition(1, 6, 0));
        var network = new ResumableNetwork();
        network.Initialize(5);
        var before = network.Parameters.ToArray();

        var kind = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, network, new Sgd<float>(network.ParameterCount, new SgdOptions { Momentum = 0.9 })));
        Assert.Contains("holds the state of a Adam optimizer; this run uses Sgd", kind.Message, StringComparison.Ordinal);

        var sgdPath = directory.File("sgd.ckpt");
        TrainingCheckpoint.Save(sgdPath, saved, new Sgd<float>(saved.ParameterCount, new SgdOptions()), new TrainingPosition(1, 6, 0));
        var states = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(sgdPath, network, new Sgd<float>(network.ParameterCount, new SgdOptions { Momentum = 0.9 })));
        Assert.Contains("expects [momentum_buffer]", states.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void A_missing_optimizer_tensor_a_wrong_shape_or_bad_metadata_is_rejected()
    {
        using var directory = new TemporaryDirectory();
        var network = new ResumableNetwork();
        var adam = new Adam<float>(network.ParameterCount, new AdamOptions());
        var good = directory.File("good.ckpt");
        TrainingCheckpoint.Save(good, network, adam, new TrainingPosition(2, 12, 7));
        using var original = SafetensorsFile.Open(good);

        // The same file without the second-moment arena.
        var missing = Rewrite(directory.File("missing.ckpt"), original, skip: "optimizer.exp_avg_sq");
        Assert.Contains("missing tensor 'optimizer.exp_avg_sq'", Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(missing, network, adam)).Message, StringComparison.Ordinal);

        // A first-layer weight of another shape ([16, 13] for [16, 12]).
        var writer = new SafetensorsWriter();
        foreach (var tensor in original.Tensors)
        {
            var shape = tensor.Name == "0.weight" ? new[] { 16, 13 } : tensor.Shape.ToArray();
            writer.Add(tensor.Name, shape, new float[tensor.Name == "0.weight" ? 16 * 13 : tensor.ElementCount]);
        }

        foreach (var (key, value) in original.Metadata)
        {
            writer.AddMetadata(key, value);
        }

        var wrongShape = directory.File("shape.ckpt");
        writer.Save(wrongShape);
        Assert.Contains("'0.weight'", Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(wrongShape, network, adam)).Message, StringComparison.Ordinal);

        var badEpoch = Rewrite(directory.File("epoch.ckpt"), original, metadata: ("epoch", "-4"));
        Assert.Contains("expected metadata 'epoch' to be an integer", Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(badEpoch, network, adam)).Message, StringComparison.Ordinal);

        var truncated = directory.File("truncated.ckpt");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(truncated, network, adam));
    }

    [Theory]
    [InlineData("optimizer.exp_avg", 5, float.NaN, "tensor 'optimizer.exp_avg' holds NaN at index 5 (element [5] of shape [")]
    [InlineData("0.weight", 13, float.PositiveInfinity, "tensor '0.weight' holds Infinity at index 13 (element [1, 1] of shape [16, 12])")]
    public void A_checkpoint_holding_a_NaN_or_infinity_is_rejected_and_nothing_changes(string tensor, int index, float value, string expected)
    {
        using var directory = new TemporaryDirectory();
        var saved = new ResumableNetwork();
        saved.Initialize(3);
        var good = directory.File("good.ckpt");
        TrainingCheckpoint.Save(good, saved, new Adam<float>(saved.ParameterCount, new AdamOptions()), new TrainingPosition(2, 12, 7));
        using var original = SafetensorsFile.Open(good);
        var poisoned = Rewrite(directory.File("poisoned.ckpt"), original, poison: (tensor, index, value));
        var network = new ResumableNetwork();
        network.Initialize(5);
        var adam = new Adam<float>(network.ParameterCount, new AdamOptions());
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(poisoned, network, adam));

        Assert.Contains($"'{poisoned}': {expected}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(0, adam.StepCount);
        Assert.All(adam.StateNames, name => Assert.All(adam.GetState(name).ToArray(), v => Assert.Equal(0f, v)));
    }

    private static string WeightsOnly(TemporaryDirectory directory, ResumableNetwork network)
    {
        var path = directory.File("weights.safetensors");
        NetworkCheckpoint.Save(network, path);
        return path;
    }

    private static string Rewrite(
        string path, SafetensorsFile source, string? skip = null, (string Key, string Value)? metadata = null, (string Tensor, int Index, float Value)? poison = null)
    {
        var writer = new SafetensorsWriter();
        foreach (var tensor in source.Tensors.Where(t => t.Name != skip))
        {
            var data = new float[tensor.ElementCount];
            source.CopyTo(tensor.Name, data.AsSpan());
            if (poison is { } p && p.Tensor == tensor.Name)
            {
                data[p.Index] = p.Value;
            }

            writer.Add(tensor.Name, tensor.Shape.ToArray(), data);
        }

        foreach (var (key, value) in source.Metadata)
        {
            writer.AddMetadata(key, metadata is { } m && m.Key == key ? m.Value : value);
        }

        writer.Save(path);
        return path;
    }

    private static int[] Bits(ReadOnlySpan<float> values) => [.. values.ToArray().Select(BitConverter.SingleToInt32Bits)];
}
