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

    /// <summary>Elements of scratch <see cref="Forward{T}"/> and <see cref="Step{T}"/> need: one tile of scores.</summary>
    public static int ForwardScratchLength(int time) => Math.Min(TileSize, time);

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
        Guard.Destination(ForwardScratchLength(time), scratch);
        var scale = Scale<T>(headSize);
        for (var b = 0; b < batch; b++)
        {
            var sequence = qkv.Slice(b * time * 3 * channels, time * 3 * channels);
            for (var h = 0; h < heads; h++)
            {
                for (var t = 0; t < time; t++)
                {
                    var output = y.Slice((((b * time) + t) * channels) + (h * headSize), headSize);
                    logSumExp[(((b * heads) + h) * time) + t] = AttendRow(sequence, output, scratch, t, h * headSize, channels, headSize, scale);
                }
            }
        }
    }

    /// <summary>
    /// One query of a key/value-cached generation step: y [channels] for the query in row <paramref name="position"/>
    /// of qkv [≥ position + 1, 3·channels] (one sequence's rows, the keys and values of rows 0..position read as the cache).
    /// Bitwise equal to row <paramref name="position"/> of <see cref="Forward{T}"/> over the same rows.
    /// scratch holds <see cref="ForwardScratchLength"/>(position + 1) elements.
    /// </summary>
    /// <exception cref="ArgumentException">heads does not divide channels, or a span is too short for its shape.</exception>
    public static void Step<T>(ReadOnlySpan<T> qkv, Span<T> y, Span<T> scratch, int position, int channels, int heads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.NonNegative(position);
        var headSize = ValidateShape(1, position + 1, channels, heads);
        if (qkv.Length < (position + 1L) * 3 * channels)
        {
            throw new ArgumentException(
                $"Expected qkv to hold rows 0..{position} of 3·channels = {3 * channels} elements ({(position + 1L) * 3 * channels}), but it has {qkv.Length}.",
                nameof(qkv));
        }

        Guard.Matrix(y, 1, channels);
        Guard.Destination(ForwardScratchLength(position + 1), scratch);
        var scale = Scale<T>(headSize);
        for (var h = 0; h < heads; h++)
        {
            AttendRow(qkv, y.Slice(h * headSize, headSize), scratch, position, h * headSize, channels, headSize, scale);
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

    /// <summary>output [headSize] for the query at <paramref name="position"/> of sequence [≥ position + 1, 3·channels]; returns the row's log-sum-exp.</summary>
    private static T AttendRow<T>(
        ReadOnlySpan<T> sequence, Span<T> output, Span<T> scratch, int position, int headOffset, int channels, int headSize, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var stride = 3 * channels;
        var query = sequence.Slice((position * stride) + headOffset, headSize);
        var max = T.NegativeInfinity;
        var sum = T.Zero;
        for (var start = 0; start <= position; start += TileSize)
        {
            var keys = Math.Min(TileSize, position + 1 - start);
            var scores = scratch[..keys];
            var rowStart = (start * stride) + headOffset;

            // scores [keys] = scale·q·Kᵀ, then e^(scores − tile max) in place.
            Gemm.Multiply(Transpose.No, Transpose.Yes, 1, keys, headSize, scale, query, headSize, sequence[(rowStart + channels)..], stride, T.Zero, scores, keys);
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

            Gemm.Multiply(Transpose.No, Transpose.No, 1, headSize, keys, tileWeight, scores, keys, sequence[(rowStart + (2 * channels))..], stride,
                start == 0 ? T.Zero : T.One, output, headSize);
            sum += tileSum * tileWeight;
            max = newMax;
        }

        Blas.Scale(T.One / sum, output);
        return max + T.Log(sum);
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
}
