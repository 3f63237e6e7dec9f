using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// Causal multi-head scaled dot-product attention after a fused QKV projection (nanoGPT's <c>c_attn</c>):
/// qkv [batch, time, 3·channels] holds q, k and v side by side in each row, head h uses channels
/// [h·headSize, (h+1)·headSize) of each, and y [batch, time, channels] = concat over heads of
/// softmax(q·kᵀ/√headSize + causal mask)·v. Keys are taken in tiles of <see cref="TileSize"/> with an online
/// softmax (flash attention), so no [time, time] score matrix exists; the forward pass keeps each row's
/// log-sum-exp and the backward pass recomputes the probabilities from it.
/// </summary>
/// <remarks>
/// Each score, and each weighted value of a tile of keys, is a fused sum finished by the GEMM's epilogue. The forward
/// pass gets them for a tile of queries from one product each (the keys padded to a whole tile; on the diagonal the
/// weights past a row's own position are zeros, which add nothing), and <see cref="Step{T}"/> gets one query's from
/// one-row products, which the GEMM sums in the same order as that row inside a batch. The softmax bookkeeping is per
/// query row, by the same calls with the same lengths in both, so a cached step is bitwise equal to the full forward
/// at its position. The backward pass works on tiles of queries × keys with GEMMs, in a fixed order (batch, head,
/// query tile, key tile) within each (batch, head) pair. The pairs are independent, so both passes split them over
/// <see cref="Gemm.MaxThreads"/> threads with bitwise the same results.
/// </remarks>
public static class CausalSelfAttention
{
    /// <summary>Keys per tile of the online softmax, and queries per tile of both passes.</summary>
    public const int TileSize = 64;

    /// <summary>
    /// Elements of scratch <see cref="Forward{T}"/> needs: a tile of scores, each query row's running maximum and sum,
    /// and one head's keys transposed, [headSize, time rounded up to a whole tile].
    /// </summary>
    public static int ForwardScratchLength(int time, int headSize) => (TileSize * TileSize) + (2 * TileSize) + (headSize * PaddedTime(time));

    /// <summary>Elements of scratch <see cref="Step{T}"/> needs: one tile of scores.</summary>
    public const int StepScratchLength = TileSize;

    /// <summary>Elements of scratch <see cref="Backward{T}"/> needs: a probability tile, a gradient tile and a row of dot products.</summary>
    public static int BackwardScratchLength(int time)
    {
        var tile = Math.Min(TileSize, time);
        return (2 * tile * tile) + tile;
    }

    /// <summary>
    /// y [batch, time, channels] from qkv [batch, time, 3·channels]; writes logSumExp [batch, heads, time]
    /// (the log of each row's softmax denominator, scores scaled). scratch holds <see cref="ForwardScratchLength"/> elements.
    /// </summary>
    /// <exception cref="ArgumentException">heads does not divide channels, or a span does not match its shape.</exception>
    public static unsafe void Forward<T>(
        ReadOnlySpan<T> qkv, Span<T> y, Span<T> logSumExp, Span<T> scratch,
        int batch, int time, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = Validate(qkv, y, logSumExp, batch, time, channels, heads);
        Guard.Destination(ForwardScratchLength(time, headSize), scratch);
        fixed (T* qkvPointer = qkv, yPointer = y, statisticsPointer = logSumExp)
        {
            var work = new ForwardWork<T>(new Tensors((nint)qkvPointer, (nint)yPointer, (nint)statisticsPointer, 0, 0), batch, time, channels, heads);
            HeadParallel.Run(work, batch * heads, PairWork(time, headSize), scratch[..ForwardScratchLength(time, headSize)]);
        }
    }

    /// <summary>The forward pass over the (batch, head) pairs [first, end), pair p = b·heads + h.</summary>
    private static void ForwardPairs<T>(
        ReadOnlySpan<T> qkv, Span<T> y, Span<T> logSumExp, Span<T> scratch, int firstPair, int endPair,
        int time, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = channels / heads;
        var scale = Scale<T>(headSize);
        var stride = 3 * channels;
        var padded = PaddedTime(time);
        var scores = scratch[..(TileSize * TileSize)];
        var maxima = scratch.Slice(scores.Length, TileSize);
        var sums = scratch.Slice(scores.Length + TileSize, TileSize);
        var keys = scratch.Slice(scores.Length + (2 * TileSize), headSize * padded);

        // The padding keys are zeros: finite scores that no row reads.
        keys.Clear();

        for (var pair = firstPair; pair < endPair; pair++)
        {
            var (b, h) = Math.DivRem(pair, heads);
            var sequence = qkv.Slice(b * time * stride, time * stride);
            var outputs = y.Slice(b * time * channels, time * channels);
            var offset = h * headSize;
            var values = sequence[((2 * channels) + offset)..];
            var statistics = logSumExp.Slice(((b * heads) + h) * time, time);
            TransposeKeys(sequence, keys, time, padded, offset, channels, headSize);
            for (var queryStart = 0; queryStart < time; queryStart += TileSize)
            {
                var queries = Math.Min(TileSize, time - queryStart);
                maxima.Fill(T.NegativeInfinity);
                sums.Clear();
                for (var keyStart = 0; keyStart <= queryStart; keyStart += TileSize)
                {
                    // scores [queries, TileSize] = scale·Q·Kᵀ for one tile of keys.
                    Gemm.Multiply(Transpose.No, Transpose.No, queries, TileSize, headSize, scale, sequence[((queryStart * stride) + offset)..], stride,
                        keys[keyStart..], padded, T.Zero, scores, TileSize);
                    var tileValues = values[(keyStart * stride)..];
                    var first = keyStart == 0;
                    var diagonal = keyStart == queryStart;

                    // The weighted values of all rows in one product. On the diagonal a row sees keys up to its own
                    // position; the weights past it are zeros, which leave every sum as the shorter one in Step.
                    var keyCount = diagonal ? queries : TileSize;
                    for (var r = 0; r < queries; r++)
                    {
                        var output = outputs.Slice(((queryStart + r) * channels) + offset, headSize);
                        var weights = scores.Slice(r * TileSize, keyCount);
                        var visible = diagonal ? r + 1 : keyCount;
                        Weigh(weights[..visible], output, ref maxima[r], ref sums[r], first);
                        weights[visible..].Clear();
                    }

                    Gemm.Multiply(Transpose.No, Transpose.No, queries, headSize, keyCount, T.One, scores, TileSize, tileValues, stride,
                        first ? T.Zero : T.One, outputs[((queryStart * channels) + offset)..], channels);
                }

                for (var r = 0; r < queries; r++)
                {
                    statistics[queryStart + r] = Finish(outputs.Slice(((queryStart + r) * channels) + offset, headSize), maxima[r], sums[r]);
                }
            }
        }
    }

    /// <summary>
    /// One key/value-cached generation step: appends the key and value of qkvRow [3·channels] (the fused projection
    /// of the token at <paramref name="position"/>) to keyCache [channels, capacity] (keys transposed: channel c of
    /// position t at c·capacity + t) and valueCache [capacity, channels], then writes y [channels] for its query over
    /// positions 0..position. Bitwise equal to row <paramref name="position"/> of <see cref="Forward{T}"/> over the same
    /// rows. scratch holds <see cref="StepScratchLength"/> elements.
    /// </summary>
    /// <exception cref="ArgumentException">heads does not divide channels, position is outside [0, capacity), or a span does not match its shape.</exception>
    public static void Step<T>(
        ReadOnlySpan<T> qkvRow, Span<T> keyCache, Span<T> valueCache, Span<T> y, Span<T> scratch,
        int position, int capacity, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = ValidateShape(1, capacity, channels, heads);
        if ((uint)position >= (uint)capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"Expected position in [0, capacity) = [0, {capacity}).");
        }

        Guard.Matrix(qkvRow, 1, 3 * channels);
        Guard.Matrix(keyCache, channels, capacity);
        Guard.Matrix(valueCache, capacity, channels);
        Guard.Matrix(y, 1, channels);
        Guard.Destination(StepScratchLength, scratch);
        for (var c = 0; c < channels; c++)
        {
            keyCache[(c * capacity) + position] = qkvRow[channels + c];
        }

        qkvRow.Slice(2 * channels, channels).CopyTo(valueCache.Slice(position * channels, channels));
        var scale = Scale<T>(headSize);
        for (var h = 0; h < heads; h++)
        {
            var offset = h * headSize;
            var query = qkvRow.Slice(offset, headSize);
            var keys = keyCache[(offset * capacity)..];
            var values = valueCache[offset..];
            var output = y.Slice(offset, headSize);
            var max = T.NegativeInfinity;
            var sum = T.Zero;
            for (var start = 0; start <= position; start += TileSize)
            {
                var count = Math.Min(TileSize, position + 1 - start);
                var scores = scratch[..count];
                Gemm.MultiplyInSequence(Transpose.No, Transpose.No, 1, count, headSize, scale, query, headSize, keys[start..], capacity, T.Zero, scores, count);
                Accumulate<T>(scores, values[(start * channels)..], channels, output, ref max, ref sum, start == 0);
            }

            Finish(output, max, sum);
        }
    }

    /// <summary>
    /// Overwrites dqkv [batch, time, 3·channels] with the gradient of the loss given dy [batch, time, channels],
    /// from the forward pass's qkv, y and logSumExp. scratch holds <see cref="BackwardScratchLength"/> elements.
    /// </summary>
    /// <remarks>
    /// With P = softmax(S), S = scale·Q·Kᵀ (masked): dV = Pᵀ·dY, dP = dY·Vᵀ, dS = P ⊙ (dP − rowsum(dY ⊙ Y)),
    /// dQ = scale·dS·K and dK = scale·dSᵀ·Q, accumulated tile by tile.
    /// </remarks>
    /// <exception cref="ArgumentException">heads does not divide channels, or a span does not match its shape.</exception>
    public static unsafe void Backward<T>(
        ReadOnlySpan<T> qkv, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, ReadOnlySpan<T> logSumExp, Span<T> dqkv, Span<T> scratch,
        int batch, int time, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = Validate(qkv, y, logSumExp, batch, time, channels, heads);
        Guard.Matrix(dy, batch * time, channels);
        Guard.Matrix(dqkv, batch * time, 3 * channels);
        Guard.Destination(BackwardScratchLength(time), scratch);
        dqkv.Clear();
        fixed (T* qkvPointer = qkv, yPointer = y, statisticsPointer = logSumExp, dyPointer = dy, dqkvPointer = dqkv)
        {
            var tensors = new Tensors((nint)qkvPointer, (nint)yPointer, (nint)statisticsPointer, (nint)dyPointer, (nint)dqkvPointer);
            var work = new BackwardWork<T>(tensors, batch, time, channels, heads);

            // Recomputing the scores and four products of the same size: about five forward passes' worth.
            HeadParallel.Run(work, batch * heads, 5 * PairWork(time, headSize), scratch[..BackwardScratchLength(time)]);
        }
    }

    /// <summary>The backward pass over the (batch, head) pairs [firstPair, endPair), pair p = b·heads + h; dqkv starts cleared.</summary>
    private static void BackwardPairs<T>(
        ReadOnlySpan<T> qkv, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, ReadOnlySpan<T> logSumExp, Span<T> dqkv, Span<T> scratch,
        int firstPair, int endPair, int time, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = channels / heads;
        var scale = Scale<T>(headSize);
        var tile = Math.Min(TileSize, time);
        var probabilities = scratch[..(tile * tile)];
        var gradients = scratch.Slice(tile * tile, tile * tile);
        var outputDots = scratch.Slice(2 * tile * tile, tile);
        for (var pair = firstPair; pair < endPair; pair++)
        {
            var (b, h) = Math.DivRem(pair, heads);
            var head = new HeadViews(b, h, time, channels, headSize);
            for (var queryStart = 0; queryStart < time; queryStart += tile)
            {
                var queries = Math.Min(tile, time - queryStart);
                for (var r = 0; r < queries; r++)
                {
                    var row = head.OutputOffset(queryStart + r);
                    outputDots[r] = Blas.Dot(dy.Slice(row, headSize), y.Slice(row, headSize));
                }

                var rowStatistics = logSumExp.Slice((pair * time) + queryStart, queries);
                for (var keyStart = 0; keyStart <= queryStart; keyStart += tile)
                {
                    var keys = keyStart == queryStart ? queries : tile;
                    BackwardTile(qkv, dy, rowStatistics, outputDots, dqkv, probabilities[..(queries * keys)], gradients[..(queries * keys)],
                        head, queryStart, queries, keyStart, keys, scale);
                }
            }
        }
    }

    /// <summary>The gradient contributions of one tile of queries × keys of one (batch, head).</summary>
    private static void BackwardTile<T>(
        ReadOnlySpan<T> qkv, ReadOnlySpan<T> dy, ReadOnlySpan<T> rowStatistics, ReadOnlySpan<T> outputDots, Span<T> dqkv,
        Span<T> probabilities, Span<T> gradients, in HeadViews head, int queryStart, int queries, int keyStart, int keys, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int stride = head.Stride, channels = head.Channels, headSize = head.HeadSize;
        var q = head.RowOffset(queryStart);
        var k = head.RowOffset(keyStart) + channels;
        var v = k + channels;
        var dOut = head.OutputOffset(queryStart);
        var diagonal = keyStart == queryStart;

        // P = e^(scale·Q·Kᵀ − logsumexp), zero above the diagonal.
        Gemm.Multiply(Transpose.No, Transpose.Yes, queries, keys, headSize, scale, qkv[q..], stride, qkv[k..], stride, T.Zero, probabilities, keys);
        for (var r = 0; r < queries; r++)
        {
            var row = probabilities.Slice(r * keys, keys);
            var visible = diagonal ? r + 1 : keys;
            Blas.Map(new SubtractExpOperator<T>(rowStatistics[r]), row[..visible], row[..visible]);
            row[visible..].Clear();
        }

        // dV += Pᵀ·dY
        Gemm.Multiply(Transpose.Yes, Transpose.No, keys, headSize, queries, T.One, probabilities, keys, dy[dOut..], channels, T.One, dqkv[v..], stride);

        // dS = P ⊙ (dY·Vᵀ − rowsum(dY ⊙ Y))
        Gemm.Multiply(Transpose.No, Transpose.Yes, queries, keys, headSize, T.One, dy[dOut..], channels, qkv[v..], stride, T.Zero, gradients, keys);
        for (var r = 0; r < queries; r++)
        {
            var row = gradients.Slice(r * keys, keys);
            Blas.Map(new SoftmaxGradientOperator<T>(outputDots[r]), probabilities.Slice(r * keys, keys), row, row);
        }

        // dQ += scale·dS·K, dK += scale·dSᵀ·Q
        Gemm.Multiply(Transpose.No, Transpose.No, queries, headSize, keys, scale, gradients, keys, qkv[k..], stride, T.One, dqkv[q..], stride);
        Gemm.Multiply(Transpose.Yes, Transpose.No, keys, headSize, queries, scale, gradients, keys, qkv[q..], stride, T.One, dqkv[k..], stride);
    }

    /// <summary>Checks the tensors every full pass reads; returns the head size.</summary>
    private static int Validate<T>(ReadOnlySpan<T> qkv, ReadOnlySpan<T> y, ReadOnlySpan<T> logSumExp, int batch, int time, int channels, int heads)
    {
        var headSize = ValidateShape(batch, time, channels, heads);
        Guard.Matrix(qkv, batch * time, 3 * channels);
        Guard.Matrix(y, batch * time, channels);
        Guard.Matrix(logSumExp, batch * heads, time);
        return headSize;
    }

    private static int ValidateShape(int batch, int time, int channels, int heads)
    {
        Guard.NonNegative(batch);
        Guard.Positive(time);
        Guard.Positive(channels);
        Guard.Positive(heads);
        if (channels % heads != 0)
        {
            throw new ArgumentException($"Expected heads ({heads}) to divide channels ({channels}) into equal head sizes.", nameof(heads));
        }

        return channels / heads;
    }

    private static T Scale<T>(int headSize)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.One / T.Sqrt(T.CreateTruncating(headSize));

    /// <summary>Multiply-adds of one (batch, head) pair's forward pass: the causal half of Q·Kᵀ and of P·V.</summary>
    private static long PairWork(int time, int headSize) => (long)time * (time + 1) * headSize;

    /// <summary>The addresses of a pass's tensors, pinned by the caller for the duration of the pass.</summary>
    private readonly record struct Tensors(nint Qkv, nint Y, nint LogSumExp, nint Dy, nint Dqkv);

    private readonly unsafe struct ForwardWork<T>(Tensors tensors, int batch, int time, int channels, int heads) : HeadParallel.IWork<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public void Run(int first, int end, Span<T> scratch) =>
            ForwardPairs(
                new ReadOnlySpan<T>((void*)tensors.Qkv, batch * time * 3 * channels), new Span<T>((void*)tensors.Y, batch * time * channels),
                new Span<T>((void*)tensors.LogSumExp, batch * heads * time), scratch, first, end, time, channels, heads);
    }

    private readonly unsafe struct BackwardWork<T>(Tensors tensors, int batch, int time, int channels, int heads) : HeadParallel.IWork<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public void Run(int first, int end, Span<T> scratch) =>
            BackwardPairs(
                new ReadOnlySpan<T>((void*)tensors.Qkv, batch * time * 3 * channels), new ReadOnlySpan<T>((void*)tensors.Y, batch * time * channels),
                new ReadOnlySpan<T>((void*)tensors.Dy, batch * time * channels), new ReadOnlySpan<T>((void*)tensors.LogSumExp, batch * heads * time),
                new Span<T>((void*)tensors.Dqkv, batch * time * 3 * channels), scratch, first, end, time, channels, heads);
    }

    /// <summary>p·(dp − rowDot): the score gradient of a softmax row from its probabilities and their gradients.</summary>
    private readonly struct SoftmaxGradientOperator<T>(T rowDot) : IBinaryOperator<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public TVector Invoke<TWidth, TVector>(TVector p, TVector dp)
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
            => TWidth.Multiply(p, TWidth.Subtract(dp, TWidth.Broadcast(rowDot)));
    }

    /// <summary>Offsets of one (batch, head) pair's rows in qkv (q at the offset; k and v one and two widths further) and in y.</summary>
    private readonly struct HeadViews(int batch, int head, int time, int channels, int headSize)
    {
        public int Channels => channels;

        public int HeadSize => headSize;

        public int Stride => 3 * channels;

        public int RowOffset(int t) => (((batch * time) + t) * 3 * channels) + (head * headSize);

        public int OutputOffset(int t) => (((batch * time) + t) * channels) + (head * headSize);
    }

    /// <summary>
    /// The online softmax's step for one query row and one tile of keys: output [headSize] += (scores ⊙ weights)·values
    /// (values [scores.Length, headSize], row stride valuesStride) after <see cref="Weigh"/>; on the first tile output is overwritten.
    /// </summary>
    private static void Accumulate<T>(Span<T> scores, ReadOnlySpan<T> values, int valuesStride, Span<T> output, ref T max, ref T sum, bool first)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Weigh(scores, output, ref max, ref sum, first);
        Gemm.Multiply(Transpose.No, Transpose.No, 1, output.Length, scores.Length, T.One, scores, scores.Length, values, valuesStride,
            first ? T.Zero : T.One, output, output.Length);
    }

    /// <summary>
    /// Turns one row's tile of scores into weights relative to the new running maximum, e^(scores − max), and rescales
    /// what the row accumulated before (output and the running sum) to that maximum.
    /// </summary>
    private static void Weigh<T>(Span<T> scores, Span<T> output, ref T max, ref T sum, bool first)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (tileMax, tileSum) = Softmax.ExponentiateShifted<T>(scores, scores);
        var newMax = T.Max(max, tileMax);
        var tileWeight = T.Exp(tileMax - newMax);
        if (tileWeight != T.One)
        {
            Blas.Scale(tileWeight, scores);
        }

        if (!first)
        {
            var decay = T.Exp(max - newMax);
            Blas.Scale(decay, output);
            sum *= decay;
        }

        sum += tileSum * tileWeight;
        max = newMax;
    }

    /// <summary>Divides output by the softmax denominator; returns the row's log-sum-exp.</summary>
    private static T Finish<T>(Span<T> output, T max, T sum)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Blas.Scale(T.One / sum, output);
        return max + T.Log(sum);
    }

    private static int PaddedTime(int time) => (time + TileSize - 1) / TileSize * TileSize;

    /// <summary>keys [headSize, stride] = the keys of the head at channel offset <paramref name="offset"/> of sequence [time, 3·channels], transposed.</summary>
    private static void TransposeKeys<T>(ReadOnlySpan<T> sequence, Span<T> keys, int time, int keysStride, int offset, int channels, int headSize)
    {
        var stride = 3 * channels;
        for (var t = 0; t < time; t++)
        {
            var key = sequence.Slice((t * stride) + channels + offset, headSize);
            for (var d = 0; d < headSize; d++)
            {
                keys[(d * keysStride) + t] = key[d];
            }
        }
    }
}
