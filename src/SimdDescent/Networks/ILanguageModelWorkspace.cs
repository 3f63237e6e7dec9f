using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// The per-call state of a language model: activations, backward scratch and a gradient arena sized for the
/// declared maximum batch of full-context sequences. Workspaces of one model share its read-only parameters,
/// so each thread can own one. After construction no member allocates.
/// </summary>
public interface ILanguageModelWorkspace<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>d(mean loss)/dθ from the last <see cref="Backward"/>, laid out exactly like <see cref="IModel{T}.Parameters"/>.</summary>
    Span<T> Gradients { get; }

    /// <summary>
    /// Runs the model on <paramref name="batch"/> sequences of <paramref name="time"/> tokens (row-major
    /// [batch, time], time ≤ Context) and returns the mean over every position of the softmax cross-entropy
    /// against <paramref name="targets"/> [batch, time], usually the tokens shifted by one.
    /// </summary>
    /// <exception cref="ArgumentException">A length, batch or time is out of range, or a token or target is outside the vocabulary.</exception>
    T Forward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int time);

    /// <summary>Overwrites <see cref="Gradients"/> with the gradient of the last forward's mean loss.</summary>
    void Backward();

    /// <summary>Inference: writes the logits [batch, time, Vocabulary] of every position.</summary>
    /// <exception cref="ArgumentException">A length, batch or time is out of range, or a token is outside the vocabulary.</exception>
    void Predict(ReadOnlySpan<int> tokens, Span<T> logits, int batch, int time);
}
