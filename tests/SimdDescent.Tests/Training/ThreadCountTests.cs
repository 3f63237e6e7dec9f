using SimdDescent.Networks;
using SimdDescent.Tests.Networks;
using SimdDescent.Tests.Support;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;
using GemmKernel = SimdDescent.Kernels.Gemm;

namespace SimdDescent.Tests.Training;

/// <summary>
/// Threads are a speed knob only: the trainer's data-parallel threads and the GEMM's split products
/// (every product split, however small) leave the weights bitwise the same for 1, 2, 3 and 4 threads,
/// and a warm step allocates nothing on any thread. Both settings are process-wide, so these run alone.
/// </summary>
[Collection(nameof(AllocationMeasurementCollection))]
public sealed class ThreadCountTests
{
    private static readonly int[] s_tokens = [1, 5, 7, 2, 12, 0, 3, 3, 9, 4, 11, 6, 8, 2, 2, 5, 1, 0, 10, 7, 4, 6, 12, 9];
    private static readonly int[] s_targets = [.. s_tokens.Skip(1), 0];

    [Fact]
    public void An_MLP_trained_on_1_to_4_threads_ends_with_bitwise_the_same_weights()
    {
        float[] Train(int threads) => SplitThreads.With(threads, () =>
        {
            // Fresh rows each run: the trainer shuffles them in place.
            var data = Digits(320, seed: 3);
            var network = new NarrowOutputMlp();
            network.Initialize(7);
            var options = new TrainerOptions { Epochs = 2, BatchSize = 160, Shards = 4, Threads = threads, Seed = 5, MaxGradientNorm = 1 };
            using var trainer = new Trainer<float>(network, new AdamW<float>(ParameterLayout.For(network), new AdamWOptions { LearningRate = 1e-3 }), options);
            trainer.Fit(data);
            return network.Parameters.ToArray();
        });

        var one = Train(1);
        for (var threads = 2; threads <= 4; threads++)
        {
            Assert.True(one.AsSpan().SequenceEqual(Train(threads)), $"{threads} threads changed the weights.");
        }
    }

    [Fact]
    public void A_language_model_trained_with_1_to_4_GEMM_threads_ends_with_bitwise_the_same_weights()
    {
        float[] Train(int threads) => SplitThreads.With(threads, () =>
        {
            ILanguageModel<float> model = new TinyLanguageModel();
            model.Initialize(3);
            var optimizer = new AdamW<float>(ParameterLayout.For(model), new AdamWOptions { LearningRate = 1e-2 });
            for (var step = 0; step < 5; step++)
            {
                model.Forward(s_tokens, s_targets, 4, 6);
                model.Backward();
                optimizer.Step(model.Parameters, model.Gradients);
            }

            return model.Parameters.ToArray();
        });

        var one = Train(1);
        for (var threads = 2; threads <= 4; threads++)
        {
            Assert.True(one.AsSpan().SequenceEqual(Train(threads)), $"{threads} GEMM threads changed the weights.");
        }
    }

    [Fact]
    public void A_convolutional_network_trained_with_1_to_4_GEMM_threads_ends_with_bitwise_the_same_weights_and_statistics()
    {
        float[] Train(int threads) => SplitThreads.With<float[]>(threads, () =>
        {
            var network = new SmallCnn();
            network.Initialize(11);
            var random = new Random(4);
            var images = Enumerable.Range(0, 16 * network.InputWidth).Select(_ => (float)random.NextDouble()).ToArray();
            var labels = Enumerable.Range(0, 16).Select(i => i % 5).ToArray();
            var optimizer = new AdamW<float>(ParameterLayout.For(network), new AdamWOptions { LearningRate = 1e-2 });
            for (var step = 0; step < 4; step++)
            {
                network.Forward(images, labels, 16);
                network.Backward();
                optimizer.Step(network.Parameters, network.Gradients);
            }

            return [.. network.Parameters, .. network.Statistics];
        });

        var one = Train(1);
        for (var threads = 2; threads <= 4; threads++)
        {
            Assert.True(one.AsSpan().SequenceEqual(Train(threads)), $"{threads} GEMM threads changed the weights or running statistics.");
        }
    }

    [Fact]
    public void A_warm_step_with_split_products_allocates_nothing_on_any_thread()
    {
        SplitThreads.With(3, () =>
        {
            ILanguageModel<float> model = new TinyLanguageModel();
            model.Initialize(3);
            var optimizer = new AdamW<float>(ParameterLayout.For(model), new AdamWOptions { LearningRate = 1e-3 });
            void Step()
            {
                model.Forward(s_tokens, s_targets, 4, 6);
                model.Backward();
                optimizer.Step(model.Parameters, model.Gradients);
            }

            // Rounds until one allocates nothing: the JIT's late tiers compile on the measured threads (see AllocationTests).
            var rounds = new List<(long Caller, long Helpers)>();
            (long Caller, long Helpers) last;
            do
            {
                var helpers = GemmKernel.HelperAllocatedBytes;
                var caller = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 200; i++)
                {
                    Step();
                }

                last = (GC.GetAllocatedBytesForCurrentThread() - caller, GemmKernel.HelperAllocatedBytes - helpers);
                rounds.Add(last);
            }
            while (last != (0, 0) && rounds.Count < 40);

            Assert.True(last == (0, 0), $"bytes allocated per round of 200 steps (caller, GEMM workers): {string.Join(", ", rounds)}");
            return 0;
        });
    }

    /// <summary>784-feature rows in 10 classes, each class a noisy copy of its own random prototype.</summary>
    private static DataSet<float> Digits(int rows, int seed)
    {
        var random = new Random(seed);
        var prototypes = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 784).Select(_ => random.NextSingle()).ToArray()).ToArray();
        var inputs = new float[rows * 784];
        var labels = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = random.Next(10);
            for (var j = 0; j < 784; j++)
            {
                inputs[(r * 784) + j] = prototypes[labels[r]][j] + (0.3f * (random.NextSingle() - 0.5f));
            }
        }

        return DataSet<float>.WithLabels(inputs, labels, 784);
    }
}
