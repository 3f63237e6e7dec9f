using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Layers;

/// <summary>
/// Token embedding plus learned position embedding, as GPT-2's <c>wte</c> and <c>wpe</c>:
/// out[b, t, :] = tokenWeight[tokens[b, t], :] + positionWeight[t, :], with tokenWeight [vocabulary, channels]
/// and positionWeight [context, channels], context ≥ time. Backward scatter-adds rows in a fixed order
/// (batch, then time), so the gradients are bitwise reproducible.
/// </summary>
public static class Embedding
{
    /// <summary>output [batch, time, channels] from tokens [batch, time].</summary>
    /// <exception cref="ArgumentException">A span does not match its shape, or a token is outside [0, vocabulary).</exception>
    public static void Forward<T>(
        ReadOnlySpan<int> tokens, ReadOnlySpan<T> tokenWeight, ReadOnlySpan<T> positionWeight, Span<T> output,
        int batch, int time, int channels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Validate(tokens, tokenWeight, positionWeight, output, batch, time, channels);
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < time; t++)
            {
                var row = (b * time) + t;
                Blas.Add(
                    tokenWeight.Slice(tokens[row] * channels, channels),
                    positionWeight.Slice(t * channels, channels),
                    output.Slice(row * channels, channels));
            }
        }
    }

    /// <summary>
    /// Adds the gradients of outputGradient [batch, time, channels] to tokenWeightGradient [vocabulary, channels]
    /// (row tokens[b, t] gets outputGradient[b, t, :]) and to positionWeightGradient [context, channels] (row t gets
    /// the sum over the batch). Adding rather than overwriting lets a tied output head share the token gradient;
    /// the caller zeroes both once per step.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not match its shape, or a token is outside [0, vocabulary).</exception>
    public static void Backward<T>(
        ReadOnlySpan<int> tokens, ReadOnlySpan<T> outputGradient, Span<T> tokenWeightGradient, Span<T> positionWeightGradient,
        int batch, int time, int channels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Validate(tokens, tokenWeightGradient, positionWeightGradient, outputGradient, batch, time, channels);
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < time; t++)
            {
                var row = (b * time) + t;
                var gradient = outputGradient.Slice(row * channels, channels);
                var tokenRow = tokenWeightGradient.Slice(tokens[row] * channels, channels);
                var positionRow = positionWeightGradient.Slice(t * channels, channels);
                Blas.Add(tokenRow, gradient, tokenRow);
                Blas.Add(positionRow, gradient, positionRow);
            }
        }
    }

    private static void Validate<T>(
        ReadOnlySpan<int> tokens, ReadOnlySpan<T> tokenWeight, ReadOnlySpan<T> positionWeight, ReadOnlySpan<T> output,
        int batch, int time, int channels)
    {
        Guard.NonNegative(batch);
        Guard.Positive(time);
        Guard.Positive(channels);
        Guard.Matrix(tokens, batch, time);
        Guard.Matrix(output, batch * time, channels);
        if (tokenWeight.IsEmpty || tokenWeight.Length % channels != 0)
        {
            throw new ArgumentException(
                $"Expected the token table to hold vocabulary × channels elements with vocabulary ≥ 1 and channels = {channels}, but it has {tokenWeight.Length}.",
                nameof(tokenWeight));
        }

        if (positionWeight.Length % channels != 0 || positionWeight.Length / channels < time)
        {
            throw new ArgumentException(
                $"Expected the position table to hold context × channels elements with context ≥ time = {time} and channels = {channels}, but it has {positionWeight.Length}.",
                nameof(positionWeight));
        }

        var vocabulary = tokenWeight.Length / channels;
        for (var i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocabulary)
            {
                throw new ArgumentException(
                    $"Expected every token in [0, {vocabulary}) (the rows of the token table), but tokens[{i}] (batch {i / time}, position {i % time}) is {tokens[i]}.",
                    nameof(tokens));
            }
        }
    }
}
