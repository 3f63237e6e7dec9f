using System.ComponentModel;
using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// Argument checks for generated networks, shared so each generated class stays short and every message
/// names what was expected. Public only because generated code lives in the user's assembly; hidden
/// from IntelliSense.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkArguments
{
    /// <summary>Throws unless 1 ≤ <paramref name="batch"/> ≤ <paramref name="maxBatch"/> and <paramref name="inputs"/> holds batch × width values.</summary>
    public static void CheckInputs<T>(ReadOnlySpan<T> inputs, int batch, int width, int maxBatch)
    {
        if (batch < 1 || batch > maxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Expected a batch of 1 to {maxBatch} rows (the declared MaxBatch).");
        }

        if (inputs.Length < batch * width)
        {
            throw new ArgumentException($"Expected at least batch × inputs = {batch} × {width} = {batch * width} input values, got {inputs.Length}.", nameof(inputs));
        }
    }

    /// <summary>Throws unless <paramref name="labels"/> holds a label per row.</summary>
    public static void CheckLabels(ReadOnlySpan<int> labels, int batch)
    {
        if (labels.Length < batch)
        {
            throw new ArgumentException($"Expected at least one label per row ({batch}), got {labels.Length}.", nameof(labels));
        }
    }

    /// <summary>Throws unless <paramref name="targets"/> holds batch × width values.</summary>
    public static void CheckTargets<T>(ReadOnlySpan<T> targets, int batch, int width)
    {
        if (targets.Length < batch * width)
        {
            throw new ArgumentException($"Expected at least batch × outputs = {batch} × {width} = {batch * width} target values, got {targets.Length}.", nameof(targets));
        }
    }

    /// <summary>Throws unless <paramref name="outputs"/> has room for batch × width values.</summary>
    public static void CheckOutputs<T>(Span<T> outputs, int batch, int width)
    {
        if (outputs.Length < batch * width)
        {
            throw new ArgumentException($"Expected room for batch × outputs = {batch} × {width} = {batch * width} values, got {outputs.Length}.", nameof(outputs));
        }
    }

    /// <summary>
    /// Throws unless 1 ≤ <paramref name="batch"/> ≤ <paramref name="maxBatch"/>, 1 ≤ <paramref name="time"/> ≤
    /// <paramref name="context"/> and <paramref name="tokens"/> holds batch × time tokens.
    /// </summary>
    public static void CheckSequences(ReadOnlySpan<int> tokens, int batch, int time, int maxBatch, int context, string name = "tokens")
    {
        if (batch < 1 || batch > maxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Expected a batch of 1 to {maxBatch} sequences (the declared MaxBatch).");
        }

        if (time < 1 || time > context)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"Expected 1 to {context} positions per sequence (the declared Context).");
        }

        if (tokens.Length < batch * time)
        {
            throw new ArgumentException($"Expected at least batch × time = {batch} × {time} = {batch * time} {name}, got {tokens.Length}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="token"/> is in [0, vocabulary) and the decoder has room for it.</summary>
    public static void CheckDecoderStep(int token, int position, int vocabulary, int context)
    {
        if ((uint)token >= (uint)vocabulary)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"Expected a token in [0, {vocabulary}) (the declared Vocabulary).");
        }

        if (position >= context)
        {
            throw new InvalidOperationException($"The decoder already holds Context = {context} tokens; Reset it to start a new sequence.");
        }
    }

    /// <summary>Throws when Backward is called without a training Forward before it (Predict does not count).</summary>
    public static void CheckForwardRan(bool hasForward)
    {
        if (!hasForward)
        {
            throw new InvalidOperationException("Backward needs a Forward on this workspace first (Predict keeps no loss gradient).");
        }
    }

    /// <summary>The exception for a Forward overload whose targets do not match the network's loss.</summary>
    public static NotSupportedException WrongTargets(string network, TargetKind expected) => new(expected == TargetKind.ClassLabels
        ? $"{network}'s loss takes integer class labels; call Forward(inputs, ReadOnlySpan<int> labels, batch)."
        : $"{network}'s loss takes real-valued targets; call Forward(inputs, ReadOnlySpan<T> targets, batch).");
}
