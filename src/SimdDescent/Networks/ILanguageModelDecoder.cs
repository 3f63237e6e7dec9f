using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// Key/value-cached generation with a language model: each appended token runs one row through every layer,
/// attending to the keys and values cached for the tokens before it. Allocates nothing after construction.
/// </summary>
public interface ILanguageModelDecoder<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Tokens appended since the last <see cref="Reset"/>: the position the next token takes.</summary>
    int Position { get; }

    /// <summary>Forgets every appended token.</summary>
    void Reset();

    /// <summary>
    /// Forgets the tokens from position <paramref name="length"/> on, keeping the cache of the first
    /// <paramref name="length"/> (to try another continuation of the same prefix).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or more than <see cref="Position"/>.</exception>
    void Truncate(int length);

    /// <summary>Appends <paramref name="token"/> at <see cref="Position"/> and returns its logits [Vocabulary], valid until the next call.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The token is outside [0, Vocabulary).</exception>
    /// <exception cref="InvalidOperationException">Context tokens are already cached; <see cref="Reset"/> first.</exception>
    ReadOnlySpan<T> Append(int token);
}
