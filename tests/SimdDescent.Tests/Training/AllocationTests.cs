using SimdDescent.Networks;
using SimdDescent.Tests.Support;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Optimizers;
using SimdDescent.Training.Progress;
using SimdDescent.Training.Schedules;

namespace SimdDescent.Tests.Training;

[Collection(nameof(AllocationMeasurementCollection))]
public sealed class AllocationTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    public void Steady_state_steps_allocate_nothing_on_any_training_thread(int shards, int threads)
    {
        var data = SyntheticData.Separable<float>(256, 0.05, 2);
        var network = new LinearNetwork<float>(2, 2, 64, TargetKind.ClassLabels);
        network.Initialize(1);
        var layout = ParameterLayout.For(network, new ParameterGroup("linear.bias") { LearningRate = 0.001 });
        var options = new TrainerOptions
        {
            BatchSize = 64, Shards = shards, Threads = threads, MaxGradientNorm = 1, GradientClipValue = 0.5, TrackTrainingAccuracy = true,
            Schedule = new LinearWarmupSchedule(10, new OneCycleSchedule(1000, cycleMomentum: true)), ScheduleUnit = ScheduleUnit.Batch,
        };
        using var trainer = new Trainer<float>(network, new AdamW<float>(layout, new AdamWOptions { AmsGrad = true }), options);
        for (var i = 0; i < 20; i++)
        {
            trainer.TrainBatch(data, (i % 4) * 64, 64);
        }

        // The JIT's tiering (OSR and tier-0 compiles on the calling thread) allocates there until the
        // hot methods reach their final code, so rounds of 500 steps run until one allocates nothing;
        // a real per-step allocation would show in every round (at least 500 × 24 bytes).
        var rounds = new List<(long Caller, long Helpers)>();
        (long Caller, long Helpers) last;
        do
        {
            Thread.Sleep(150);
            var helpersBefore = trainer.HelperAllocatedBytes;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 500; i++)
            {
                trainer.TrainBatch(data, (i % 4) * 64, 64);
            }

            last = (GC.GetAllocatedBytesForCurrentThread() - before, trainer.HelperAllocatedBytes - helpersBefore);
            rounds.Add(last);
        }
        while (last != (0, 0) && rounds.Count < 40);

        Assert.True(last == (0, 0), $"bytes allocated per round of 500 steps (caller, helpers): {string.Join(", ", rounds)}");
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void Epochs_with_shuffling_validation_and_callbacks_allocate_nothing_after_the_first()
    {
        var data = SyntheticData.Separable<float>(300, 0.05, 2);
        var (training, validation) = data.Split(200);
        var network = new LinearNetwork<float>(2, 2, 32, TargetKind.ClassLabels);
        network.Initialize(1);
        var probe = new AllocationProbe();
        var options = new TrainerOptions
        {
            Epochs = 40, BatchSize = 32, Schedule = new ReduceOnPlateauSchedule(patience: 1), Callbacks = [probe],
            EarlyStopping = new EarlyStoppingOptions { Patience = 100 },
        };
        using var trainer = new Trainer<float>(network, new RmsProp<float>(network.ParameterCount, new RmsPropOptions { Momentum = 0.5, Centered = true }), options);

        trainer.Fit(training, validation);

        // Past the JIT's tiering (see above), whole epochs run without allocating.
        Assert.Equal(40, probe.PerEpoch.Count);
        Assert.All(probe.PerEpoch.Skip(30), bytes => Assert.Equal(0, bytes));
    }

    private sealed class AllocationProbe : ITrainingCallback
    {
        private readonly long[] _perEpoch = new long[64];
        private long _previous;
        private int _epochs;

        public IReadOnlyList<long> PerEpoch => _perEpoch[.._epochs];

        public void OnEpochEnd(in EpochProgress progress)
        {
            var now = GC.GetAllocatedBytesForCurrentThread();
            _perEpoch[_epochs++] = now - _previous;

            // Gives the JIT's background tiering time to finish; sleeping allocates nothing.
            Thread.Sleep(10);
            _previous = GC.GetAllocatedBytesForCurrentThread();
        }
    }
}
