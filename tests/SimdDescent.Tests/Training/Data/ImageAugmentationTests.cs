using SimdDescent.Randomness;
using SimdDescent.Training.Data;

namespace SimdDescent.Tests.Training.Data;

/// <summary>Flips and shifts against a per-pixel reference written from the definition, with the same random draws.</summary>
public sealed class ImageAugmentationTests
{
    [Theory]
    [InlineData(1, 5, 7, true, 0)]
    [InlineData(1, 5, 7, false, 2)]
    [InlineData(3, 4, 9, true, 3)]
    [InlineData(2, 8, 3, true, 1)]
    [InlineData(1, 28, 28, true, 2)]
    public void Every_image_is_the_mirrored_and_shifted_source_with_zeros_shifted_in(int channels, int height, int width, bool flip, int shift)
    {
        const int Images = 40;
        var length = channels * height * width;
        var source = new double[Images * length];
        var values = new SplitMix64(9);
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = values.NextDouble() + 1; // never 0, so a pixel copied from the wrong place shows
        }

        var augmented = source.ToArray();
        var random = new SplitMix64(17);
        new ImageAugmentation<double>(channels, height, width, flip, shift).Apply(augmented, ref random);

        var draws = new SplitMix64(17);
        for (var image = 0; image < Images; image++)
        {
            var mirror = flip && (draws.NextUInt64() & 1) == 1;
            var dy = shift == 0 ? 0 : draws.NextInt32((2 * shift) + 1) - shift;
            var dx = shift == 0 ? 0 : draws.NextInt32((2 * shift) + 1) - shift;
            for (var c = 0; c < channels; c++)
            {
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        // output[c, y, x] = mirrored[c, y − dy, x − dx], zero outside.
                        int sy = y - dy, mx = x - dx;
                        var expected = sy < 0 || sy >= height || mx < 0 || mx >= width
                            ? 0
                            : source[(image * length) + (((c * height) + sy) * width) + (mirror ? width - 1 - mx : mx)];
                        Assert.Equal(expected, augmented[(image * length) + (((c * height) + y) * width) + x]);
                    }
                }
            }
        }

        Assert.Equal(draws.State, random.State);
    }

    [Fact]
    public void Draws_cover_both_orientations_and_every_shift_and_a_seed_repeats_them()
    {
        var augmentation = new ImageAugmentation<float>(1, 3, 3, horizontalFlip: true, maxShift: 1);
        float[] Run(ulong seed)
        {
            // 3×3 images 1…9: the centre pixel's value after the transform tells the draw apart.
            var images = Enumerable.Range(0, 500 * 9).Select(i => (float)((i % 9) + 1)).ToArray();
            var random = new SplitMix64(seed);
            augmentation.Apply(images, ref random);
            return images;
        }

        var first = Run(4);
        Assert.Equal(first, Run(4));
        Assert.NotEqual(first, Run(5));
        var centres = Enumerable.Range(0, 500).Select(i => first[(i * 9) + 4]).ToHashSet();
        // Every pixel of the 3×3 source reaches the centre under some flip and shift of at most 1.
        Assert.Equal(Enumerable.Range(1, 9).Select(v => (float)v).ToHashSet(), centres);
    }

    [Fact]
    public void Applying_allocates_nothing()
    {
        var augmentation = new ImageAugmentation<float>(1, 28, 28, horizontalFlip: true, maxShift: 2);
        var images = new float[64 * 784];
        var random = new SplitMix64(1);
        augmentation.Apply(images, ref random);
        var before = GC.GetAllocatedBytesForCurrentThread();
        augmentation.Apply(images, ref random);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_shapes_and_settings_are_refused_with_what_was_expected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation<float>(0, 28, 28, true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation<float>(1, 28, 28, true, -1));
        var tooFar = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation<float>(1, 4, 9, true, 4));
        Assert.Contains("4×9", tooFar.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ImageAugmentation<float>(1, 28, 28, false, 0));

        var augmentation = new ImageAugmentation<float>(2, 3, 3, true, 1);
        var random = new SplitMix64(1);
        var error = Assert.Throws<ArgumentException>(() => augmentation.Apply(new float[19], ref random));
        Assert.Contains("18 values", error.Message, StringComparison.Ordinal);
    }
}
