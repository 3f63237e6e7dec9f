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
/// Every query row of the forward pass is computed alone, by the same calls with the same lengths as
/// <see cref="Step{T}"/>, so a key/value-cached step is bitwise equal to the full forward at its position.
/// The backward pass works on tiles of queries × keys with GEMMs, in a fixed order (batch, head, query
/// tile, key tile), so its gradients are bitwise reproducible.
/// </remarks>
public static class CausalSelfAttention
{
    /// <summary>Keys per tile of the online softmax; queries per tile in the backward pass.</summary>
    public const int TileSize = 64;

    /// <summary>Elements of scratch <see cref="Forward{T}"/> needs: one tile of scores and the keys of one head transposed, [headSize, time].</summary>
    public static int ForwardScratchLength(int time, int headSize) => Math.Min(TileSize, time) + (headSize * time);

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
    public static void Forward<T>(
        ReadOnlySpan<T> qkv, Span<T> y, Span<T> logSumExp, Span<T> scratch,
        int batch, int time, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = Validate(qkv, y, logSumExp, batch, time, channels, heads);
        Guard.Destination(ForwardScratchLength(time, headSize), scratch);
        var scale = Scale<T>(headSize);
        var stride = 3 * channels;
        var scores = scratch[..Math.Min(TileSize, time)];
        for (var b = 0; b < batch; b++)
        {
            var sequence = qkv.Slice(b * time * stride, time * stride);
            for (var h = 0; h < heads; h++)
            {
                var offset = h * headSize;
                var keys = scratch.Slice(scores.Length, headSize * time);
                TransposeKeys(sequence, keys, time, offset, channels, headSize);
                for (var t = 0; t < time; t++)
                {
                    logSumExp[(((b * heads) + h) * time) + t] = Attend(
                        sequence.Slice((t * stride) + offset, headSize), keys, time, sequence[((2 * channels) + offset)..], stride,
                        y.Slice((((b * time) + t) * channels) + offset, headSize), scores, t, scale);
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
            Attend(qkvRow.Slice(offset, headSize), keyCache[(offset * capacity)..], capacity, valueCache[offset..], channels,
                y.Slice(offset, headSize), scratch, position, scale);
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
    public static void Backward<T>(
        ReadOnlySpan<T> qkv, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, ReadOnlySpan<T> logSumExp, Span<T> dqkv, Span<T> scratch,
        int batch, int time, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = Validate(qkv, y, logSumExp, batch, time, channels, heads);
        Guard.Matrix(dy, batch * time, channels);
        Guard.Matrix(dqkv, batch * time, 3 * channels);
        Guard.Destination(BackwardScratchLength(time), scratch);
        var scale = Scale<T>(headSize);
        var tile = Math.Min(TileSize, time);
        var probabilities = scratch[..(tile * tile)];
        var gradients = scratch.Slice(tile * tile, tile * tile);
        var outputDots = scratch.Slice(2 * tile * tile, tile);
        dqkv.Clear();
        for (var b = 0; b < batch; b++)
        {
            for (var h = 0; h < heads; h++)
            {
                var head = new HeadViews(b, h, time, channels, headSize);
                for (var queryStart = 0; queryStart < time; queryStart += tile)
                {
                    var queries = Math.Min(tile, time - queryStart);
                    for (var r = 0; r < queries; r++)
                    {
                        var row = head.OutputOffset(queryStart + r);
                        outputDots[r] = Blas.Dot(dy.Slice(row, headSize), y.Slice(row, headSize));
                    }

                    var rowStatistics = logSumExp.Slice((((b * heads) + h) * time) + queryStart, queries);
                    for (var keyStart = 0; keyStart <= queryStart; keyStart += tile)
                    {
                        var keys = keyStart == queryStart ? queries : tile;
                        BackwardTile(qkv, dy, rowStatistics, outputDots, dqkv, probabilities[..(queries * keys)], gradients[..(queries * keys)],
                            head, queryStart, queries, keyStart, keys, scale);
                    }
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
        Blas.Multiply(probabilities, gradients, gradients);
        for (var r = 0; r < queries; r++)
        {
            Blas.Axpy(-outputDots[r], probabilities.Slice(r * keys, keys), gradients.Slice(r * keys, keys));
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
    /// output [headSize] for query [headSize] over positions 0..position, with keys transposed ([headSize, ≥ position + 1],
    /// row stride keysStride) and values [≥ position + 1, headSize] (row stride valuesStride); returns the row's log-sum-exp.
    /// The scores and the weighted values are row-vector products (the GEMM's m = 1 row kernel), whose every element is
    /// the sequential sum over k whatever the strides, so the full forward and the cached step agree bitwise.
    /// </summary>
    private static T Attend<T>(
        ReadOnlySpan<T> query, ReadOnlySpan<T> keys, int keysStride, ReadOnlySpan<T> values, int valuesStride,
        Span<T> output, Span<T> scratch, int position, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var headSize = query.Length;
        var max = T.NegativeInfinity;
        var sum = T.Zero;
        for (var start = 0; start <= position; start += TileSize)
        {
            var count = Math.Min(TileSize, position + 1 - start);
            var scores = scratch[..count];

            // scores [count] = scale·q·Kᵀ, then e^(scores − tile max) in place.
            Gemm.Multiply(Transpose.No, Transpose.No, 1, count, headSize, scale, query, headSize, keys[start..], keysStride, T.Zero, scores, count);
            var (tileMax, tileSum) = Softmax.ExponentiateShifted<T>(scores, scores);

            // Online softmax: rescale what earlier tiles accumulated to the new running maximum.
            var newMax = T.Max(max, tileMax);
            var tileWeight = T.Exp(tileMax - newMax);
            if (start > 0)
            {
                var decay = T.Exp(max - newMax);
                Blas.Scale(decay, output);
                sum *= decay;
            }

            Gemm.Multiply(Transpose.No, Transpose.No, 1, headSize, count, tileWeight, scores, count, values[(start * valuesStride)..], valuesStride,
                start == 0 ? T.Zero : T.One, output, headSize);
            sum += tileSum * tileWeight;
            max = newMax;
        }

        Blas.Scale(T.One / sum, output);
        return max + T.Log(sum);
    }

    /// <summary>keys [headSize, time] = the keys of the head at channel offset <paramref name="offset"/> of sequence [time, 3·channels], transposed.</summary>
    private static void TransposeKeys<T>(ReadOnlySpan<T> sequence, Span<T> keys, int time, int offset, int channels, int headSize)
    {
        var stride = 3 * channels;
        for (var t = 0; t < time; t++)
        {
            var key = sequence.Slice((t * stride) + channels + offset, headSize);
            for (var d = 0; d < headSize; d++)
            {
                keys[(d * time) + t] = key[d];
            }
        }
    }
}
