using SimdDescent.IO.Text;
using SimdDescent.Kernels;
using SimdDescent.Randomness;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.IO.Text;

public sealed class TextWindowsTests
{
    private static byte[] RandomBytes(int length, ulong seed)
    {
        var random = new SplitMix64(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (byte)random.NextUInt64())];
    }

    /// <summary>Asserts that row <paramref name="row"/> holds the window at <paramref name="start"/>, read straight from the text.</summary>
    private static void AssertWindow(byte[] text, int start, int context, int row, int[] inputs, int[] targets)
    {
        for (var i = 0; i < context; i++)
        {
            Assert.Equal(text[start + i], inputs[(row * context) + i]);
            Assert.Equal(text[start + i + 1], targets[(row * context) + i]);
        }
    }

    [Fact]
    public void Starts_follow_the_documented_rule_bit_for_bit()
    {
        // Computed by the Python snippet in TextWindows' remarks (SplitMix64 from its published constants),
        // seed 2024, a text of 1000 tokens, context 16: two batches of eight.
        int[][] starts = [[973, 938, 519, 73, 578, 259, 719, 626], [136, 145, 785, 419, 3, 349, 549, 263]];
        var text = RandomBytes(1000, 7);
        var windows = new TextWindows(text, 16);
        var random = new SplitMix64(2024);
        var inputs = new int[8 * 16];
        var targets = new int[8 * 16];

        foreach (var batch in starts)
        {
            windows.Sample(ref random, 8, inputs, targets);
            for (var row = 0; row < 8; row++)
            {
                AssertWindow(text, batch[row], 16, row, inputs, targets);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Sampled_windows_are_slices_of_the_shipped_text_with_targets_one_token_ahead(VectorPath path)
    {
        using var forced = SimdDispatch.Force(path);
        var text = ShippedText.Bytes();
        const int Context = 67, Batch = 5;
        var windows = new TextWindows(text, Context);
        var random = new SplitMix64(11);
        var expected = new SplitMix64(11);
        var inputs = new int[(Batch * Context) + 3];
        var targets = new int[(Batch * Context) + 3];
        inputs.AsSpan(Batch * Context).Fill(-1);
        targets.AsSpan(Batch * Context).Fill(-1);

        for (var step = 0; step < 20; step++)
        {
            windows.Sample(ref random, Batch, inputs, targets);
            for (var row = 0; row < Batch; row++)
            {
                var start = (int)(expected.NextUInt64() % (ulong)(text.Length - Context));
                AssertWindow(text, start, Context, row, inputs, targets);
                // The targets are the inputs shifted by one.
                Assert.Equal(inputs.AsSpan((row * Context) + 1, Context - 1), targets.AsSpan(row * Context, Context - 1));
            }
        }

        Assert.Equal([-1, -1, -1], inputs[(Batch * Context)..]);
        Assert.Equal([-1, -1, -1], targets[(Batch * Context)..]);
        Assert.Equal(expected.State, random.State);
    }

    [Fact]
    public void The_same_seed_gives_the_same_windows_and_another_seed_other_windows()
    {
        var windows = new TextWindows(ShippedText.Bytes(), 32);
        int[] Draw(ulong seed)
        {
            var random = new SplitMix64(seed);
            var inputs = new int[8 * 32];
            var targets = new int[8 * 32];
            for (var step = 0; step < 3; step++)
            {
                windows.Sample(ref random, 8, inputs, targets);
            }

            return [.. inputs, .. targets];
        }

        Assert.Equal(Draw(5), Draw(5));
        Assert.NotEqual(Draw(5), Draw(6));
    }

    [Fact]
    public void Starts_cover_the_whole_allowed_range_evenly_and_never_leave_it()
    {
        // Distinct tokens 0..11: a window's first input is its start. Context 4 allows starts 0..7.
        byte[] text = [.. Enumerable.Range(0, 12).Select(i => (byte)i)];
        const int Context = 4, Batch = 100, Steps = 160, Starts = 8;
        var windows = new TextWindows(text, Context);
        var random = new SplitMix64(99);
        var inputs = new int[Batch * Context];
        var targets = new int[Batch * Context];
        var counts = new int[text.Length];

        for (var step = 0; step < Steps; step++)
        {
            windows.Sample(ref random, Batch, inputs, targets);
            for (var row = 0; row < Batch; row++)
            {
                counts[inputs[row * Context]]++;
                Assert.Equal(inputs[row * Context] + Context, targets[(row * Context) + Context - 1]);
            }
        }

        Assert.Equal(Starts, windows.StartCount);
        Assert.All(counts[Starts..], count => Assert.Equal(0, count));
        // 16,000 draws over 8 starts: 2,000 each, standard deviation √(16000 · 1/8 · 7/8) ≈ 41.8; allow 5σ.
        Assert.All(counts[..Starts], count => Assert.InRange(count, 2000 - 210, 2000 + 210));
        var chiSquare = counts[..Starts].Sum(c => (c - 2000.0) * (c - 2000.0) / 2000.0);
        Assert.True(chiSquare < 24.3, $"chi-square {chiSquare:F1} exceeds the 0.1% critical value for 7 degrees of freedom");
    }

    [Fact]
    public void A_text_one_token_longer_than_the_context_has_one_window()
    {
        byte[] text = [10, 20, 30, 40];
        var windows = new TextWindows(text, 3);
        var random = new SplitMix64(3);
        var inputs = new int[6];
        var targets = new int[6];

        windows.Sample(ref random, 2, inputs, targets);

        Assert.Equal([10, 20, 30, 10, 20, 30], inputs);
        Assert.Equal([20, 30, 40, 20, 30, 40], targets);
        Assert.Equal((1, 1), (windows.StartCount, windows.SequentialCount));
    }

    [Fact]
    public void Sequential_windows_start_at_multiples_of_the_context_while_a_whole_window_fits()
    {
        foreach (var length in new[] { 2, 3, 9, 10, 11, 12, 13, 100, 101 })
        {
            foreach (var context in new[] { 1, 2, 3, 4, 7 })
            {
                if (context >= length)
                {
                    continue;
                }

                var text = RandomBytes(length, (ulong)((length * 31) + context));
                var expectedStarts = new List<int>();
                for (var start = 0; start + context + 1 <= length; start += context)
                {
                    expectedStarts.Add(start);
                }

                var windows = new TextWindows(text, context);
                Assert.Equal(expectedStarts.Count, windows.SequentialCount);
                var inputs = new int[2 * context];
                var targets = new int[2 * context];
                for (var first = 0; first < windows.SequentialCount; first += 2)
                {
                    var written = windows.CopySequential(first, 2, inputs, targets);
                    Assert.Equal(Math.Min(2, expectedStarts.Count - first), written);
                    for (var row = 0; row < written; row++)
                    {
                        AssertWindow(text, expectedStarts[first + row], context, row, inputs, targets);
                    }
                }
            }
        }
    }

    [Fact]
    public void The_sequential_windows_cover_the_shipped_text_in_order_and_the_first_k_are_a_prefix()
    {
        var text = ShippedText.Bytes();
        const int Context = 128, Batch = 16;
        var windows = new TextWindows(text, Context);
        var inputs = new int[Batch * Context];
        var targets = new int[Batch * Context];
        var covered = new List<int>();

        for (var first = 0; first < windows.SequentialCount; first += Batch)
        {
            var written = windows.CopySequential(first, Batch, inputs, targets);
            covered.AddRange(inputs[..(written * Context)]);
        }

        Assert.Equal((text.Length - 1) / Context, windows.SequentialCount);
        Assert.Equal(text[..covered.Count].Select(b => (int)b), covered);
        Assert.True(text.Length - covered.Count <= Context, "at most one window's worth of tokens is left out");
        // Quick evaluation on the first 3 windows: the same tokens as the start of the full pass.
        Assert.Equal(3, windows.CopySequential(0, 3, inputs, targets));
        Assert.Equal(covered[..(3 * Context)], inputs[..(3 * Context)]);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(10, 11)]
    [InlineData(0, 1)]
    public void A_text_too_short_for_one_window_is_rejected(int length, int context)
    {
        var error = Assert.Throws<ArgumentException>(() => new TextWindows(new byte[length], context));

        Assert.Equal("text", error.ParamName);
        Assert.Contains($"holds {length} tokens; windows of {context} tokens need at least {context + 1}", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_context_that_is_not_positive_is_rejected(int context)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TextWindows(new byte[10], context));

        Assert.Equal("context", error.ParamName);
    }

    [Fact]
    public void Bad_batches_buffers_and_window_indexes_are_rejected_with_what_was_expected()
    {
        var windows = new TextWindows(new byte[50], 8);
        var random = new SplitMix64(1);
        var room = new int[24];
        var state = random.State;

        var zeroBatch = Assert.Throws<ArgumentOutOfRangeException>(() => windows.Sample(ref random, 0, room, room));
        var negativeBatch = Assert.Throws<ArgumentOutOfRangeException>(() => windows.CopySequential(0, -1, room, room));
        var shortInputs = Assert.Throws<ArgumentException>(() => windows.Sample(ref random, 3, new int[23], room));
        var shortTargets = Assert.Throws<ArgumentException>(() => windows.CopySequential(0, 3, room, new int[16]));
        var pastEnd = Assert.Throws<ArgumentOutOfRangeException>(() => windows.CopySequential(windows.SequentialCount, 1, room, room));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => windows.CopySequential(-1, 1, room, room));

        Assert.Equal(("batch", "batch"), (zeroBatch.ParamName, negativeBatch.ParamName));
        Assert.Equal(("inputs", "targets"), (shortInputs.ParamName, shortTargets.ParamName));
        Assert.Contains("A batch of 3 windows of 8 tokens needs 24 elements in the inputs and the targets; they hold 23 and 24.", shortInputs.Message);
        Assert.Equal(("firstWindow", "firstWindow"), (pastEnd.ParamName, negative.ParamName));
        Assert.Contains("There are 6 sequential windows of 8 tokens.", pastEnd.Message);
        Assert.Equal(state, random.State);
    }
}
