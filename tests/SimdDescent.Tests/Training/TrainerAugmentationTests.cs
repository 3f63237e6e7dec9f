using SimdDescent.Networks;
using SimdDescent.Randomness;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training;

/// <summary>The trainer's image augmentation: on copies, seeded per epoch, the same on any thread count.</summary>
public sealed class TrainerAugmentationTests
{
    private const int Rows = 200, BatchSize = 32, Height = 3, Width = 4, Classes = 3;
    private static readonly ImageAugmentationOptions s_flipAndShift = new(1, Height, Width) { HorizontalFlip = true, MaxShift = 1 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Training_on_augmented_batches_leaves_the_training_set_as_it_was(bool shuffle)
    {
        var data = Images(symmetric: false);
        var inputs = data.Inputs.ToArray();
        var labels = data.Labels.ToArray();
        var plain = Train(data, null, shuffle: shuffle);
        var augmented = Train(data, s_flipAndShift, shuffle: shuffle);

        Assert.Equal(inputs, data.Inputs.ToArray());
        Assert.Equal(labels, data.Labels.ToArray());
        Assert.NotEqual(plain, augmented);
        Assert.Equal(augmented, Train(data, s_flipAndShift, shuffle: shuffle));
    }

    [Fact]
    public void Flipping_images_that_are_mirror_symmetric_changes_nothing()
    {
        // Each image equals its mirror image, so flips drawn per image must leave every batch, and so the weights,
        // bitwise as without augmentation; a flip that moved rows or labels would show.
        var data = Images(symmetric: true);
        Assert.Equal(Train(data, null), Train(data, new ImageAugmentationOptions(1, Height, Width) { HorizontalFlip = true }));
    }

    [Fact]
    public void A_resumed_run_sees_the_same_augmented_images_as_an_uninterrupted_one()
    {
        var data = Images(symmetric: false);
        var whole = Train(data, s_flipAndShift, epochs: 4);

        var (network, optimizer) = Model();
        using (var first = new Trainer<float>(network, optimizer, Options(s_flipAndShift, epochs: 2)))
        {
            first.Fit(data);
        }

        using (var second = new Trainer<float>(network, optimizer, Options(s_flipAndShift, epochs: 4) with { StartEpoch = 2 }))
        {
            second.Fit(data);
        }

        Assert.Equal(whole, network.Parameters.ToArray());
    }

    [Fact]
    public void Threads_do_not_change_the_augmented_run()
    {
        var data = Images(symmetric: false);
        float[] Run(int threads)
        {
            var (network, optimizer) = Model();
            using var trainer = new Trainer<float>(network, optimizer, Options(s_flipAndShift, epochs: 2) with { Shards = 2, Threads = threads });
            trainer.Fit(data);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void Augmentation_that_does_not_fit_the_network_is_refused()
    {
        var (network, optimizer) = Model();
        var shape = Assert.Throws<ArgumentException>(() => new Trainer<float>(network, optimizer, Options(new ImageAugmentationOptions(1, 4, 4) { HorizontalFlip = true })));
        Assert.Contains("12 inputs", shape.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<float>(network, optimizer, Options(new ImageAugmentationOptions(1, Height, Width) { MaxShift = 3 })));
        Assert.Throws<ArgumentException>(() => new Trainer<float>(network, optimizer, Options(new ImageAugmentationOptions(1, Height, Width))));
    }

    private static float[] Train(DataSet<float> data, ImageAugmentationOptions? augmentation, int epochs = 3, bool shuffle = true)
    {
        var (network, optimizer) = Model();
        using var trainer = new Trainer<float>(network, optimizer, Options(augmentation, epochs) with { Shuffle = shuffle });
        trainer.Fit(data);
        return network.Parameters.ToArray();
    }

    private static (LinearNetwork<float> Network, Sgd<float> Optimizer) Model()
    {
        var network = new LinearNetwork<float>(Height * Width, Classes, BatchSize, TargetKind.ClassLabels);
        network.Initialize(6);
        return (network, new Sgd<float>(network.ParameterCount, new SgdOptions { LearningRate = 0.1, Momentum = 0.9 }));
    }

    private static TrainerOptions Options(ImageAugmentationOptions? augmentation, int epochs = 3) =>
        new() { Epochs = epochs, BatchSize = BatchSize, Seed = 8, Augmentation = augmentation };

    /// <summary>Random 3×4 images in 3 classes; symmetric ones have every row a palindrome.</summary>
    private static DataSet<float> Images(bool symmetric)
    {
        var random = new SplitMix64(13);
        var inputs = new float[Rows * Height * Width];
        var labels = new int[Rows];
        for (var i = 0; i < Rows; i++)
        {
            labels[i] = random.NextInt32(Classes);
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    var mirrored = symmetric && x >= Width / 2 ? Width - 1 - x : x;
                    inputs[(i * Height * Width) + (y * Width) + x] = mirrored == x ? (float)(random.NextDouble() + labels[i]) : inputs[(i * Height * Width) + (y * Width) + mirrored];
                }
            }
        }

        return DataSet<float>.WithLabels(inputs, labels, Height * Width);
    }
}
