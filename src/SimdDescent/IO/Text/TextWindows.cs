using SimdDescent.Randomness;

namespace SimdDescent.IO.Text;

/// <summary>
/// Windows of consecutive tokens over a byte-level token text (<see cref="ByteTokenizer"/>: token = byte) for
/// next-token training: a window starting at <c>s</c> has the inputs <c>text[s .. s + context)</c> and the
/// targets <c>text[s + 1 .. s + context + 1)</c>, the inputs shifted by one. Windows are written as token ids
/// into caller-provided buffers, row after row, and copying them allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Sample"/> draws training windows. The rule, exactly, so that another implementation (the
/// PyTorch reference script) draws the same windows from the same seed: for row 0, 1, …, batch − 1 in that
/// order, one 64-bit draw each, <c>start = (int)(random.NextUInt64() % (ulong)(length − context))</c>, a
/// start in [0, length − context − 1]. The remainder's bias is below 2⁻³³ for any text an array holds; it is
/// kept, rather than <see cref="SplitMix64.NextInt32"/>'s rejection, because it is one line in any language.
/// In Python, with <c>state</c> the seed:
/// </para>
/// <code>
/// M = (1 &lt;&lt; 64) - 1
/// def next_uint64():
///     global state
///     state = (state + 0x9E3779B97F4A7C15) &amp; M
///     z = state
///     z = ((z ^ (z &gt;&gt; 30)) * 0xBF58476D1CE4E5B9) &amp; M
///     z = ((z ^ (z &gt;&gt; 27)) * 0x94D049BB133111EB) &amp; M
///     return z ^ (z &gt;&gt; 31)
/// starts = [next_uint64() % (len(text) - context) for _ in range(batch)]
/// </code>
/// <para>
/// <see cref="CopySequential"/> walks the evaluation windows instead: window k starts at k × context, for every
/// k with k × context + context + 1 ≤ length (<see cref="SequentialCount"/> of them). They do not overlap, so
/// an evaluation over all of them scores every token of the text once, except the last few (fewer than
/// context + 1) that no whole window reaches, always in the same order; the first K windows make a
/// quick, fixed estimate.
/// </para>
/// </remarks>
public sealed class TextWindows
{
    /// <summary>Windows of <paramref name="context"/> tokens over <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="context"/> is not positive, or the text is too short for one window (it needs context + 1 tokens).</exception>
    public TextWindows(ReadOnlyMemory<byte> text, int context)
    {
        if (context <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(context), context, "The context (tokens per window) must be positive.");
        }

        if (text.Length <= context)
        {
            throw new ArgumentException(
                $"The text holds {text.Length} tokens; windows of {context} tokens need at least {context + 1} (the targets run one token further).", nameof(text));
        }

        (Text, Context) = (text, context);
    }

    /// <summary>The token text.</summary>
    public ReadOnlyMemory<byte> Text { get; }

    /// <summary>Tokens per window.</summary>
    public int Context { get; }

    /// <summary>How many starts <see cref="Sample"/> draws from: length − context, the starts 0..length − context − 1.</summary>
    public int StartCount => Text.Length - Context;

    /// <summary>How many non-overlapping windows <see cref="CopySequential"/> walks: ⌊(length − 1) / context⌋.</summary>
    public int SequentialCount => (Text.Length - 1) / Context;

    /// <summary>
    /// Writes <paramref name="batch"/> windows at random starts (the rule in the remarks) into the first
    /// batch × context elements of <paramref name="inputs"/> and <paramref name="targets"/>, row-major.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="batch"/> is not positive, or a buffer holds fewer than batch × context elements.</exception>
    public void Sample(ref SplitMix64 random, int batch, Span<int> inputs, Span<int> targets)
    {
        RequireBatch(batch, inputs, targets);
        var starts = (ulong)StartCount;
        for (var row = 0; row < batch; row++)
        {
            CopyWindow((int)(random.NextUInt64() % starts), row, inputs, targets);
        }
    }

    /// <summary>
    /// Writes the sequential windows <paramref name="firstWindow"/>, firstWindow + 1, … (at most
    /// <paramref name="batch"/> of them, fewer at the end of the text) as rows of <paramref name="inputs"/> and
    /// <paramref name="targets"/>, and returns how many it wrote.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="firstWindow"/> is not in [0, <see cref="SequentialCount"/>), <paramref name="batch"/> is not positive, or a buffer holds fewer than batch × context elements.</exception>
    public int CopySequential(int firstWindow, int batch, Span<int> inputs, Span<int> targets)
    {
        if ((uint)firstWindow >= (uint)SequentialCount)
        {
            throw new ArgumentOutOfRangeException(nameof(firstWindow), firstWindow, $"There are {SequentialCount} sequential windows of {Context} tokens.");
        }

        RequireBatch(batch, inputs, targets);
        var rows = Math.Min(batch, SequentialCount - firstWindow);
        for (var row = 0; row < rows; row++)
        {
            CopyWindow((firstWindow + row) * Context, row, inputs, targets);
        }

        return rows;
    }

    private void CopyWindow(int start, int row, Span<int> inputs, Span<int> targets)
    {
        var text = Text.Span;
        ByteWidening.Widen(text.Slice(start, Context), inputs.Slice(row * Context, Context));
        ByteWidening.Widen(text.Slice(start + 1, Context), targets.Slice(row * Context, Context));
    }

    private void RequireBatch(int batch, Span<int> inputs, Span<int> targets)
    {
        if (batch <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch (windows per call) must be positive.");
        }

        var needed = (long)batch * Context;
        if (inputs.Length < needed || targets.Length < needed)
        {
            throw new ArgumentException(
                $"A batch of {batch} windows of {Context} tokens needs {needed} elements in the inputs and the targets; they hold {inputs.Length} and {targets.Length}.",
                inputs.Length < needed ? nameof(inputs) : nameof(targets));
        }
    }
}
