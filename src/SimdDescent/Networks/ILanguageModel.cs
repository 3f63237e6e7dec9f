using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// A generated GPT-style language model: token sequences in, next-token logits out, the parameter arena of
/// <see cref="IModel{T}"/> (so optimizers and safetensors files work as for any network). Its own
/// <see cref="ILanguageModelWorkspace{T}"/> members run on a default workspace.
/// </summary>
public interface ILanguageModel<T> : IModel<T>, ILanguageModelWorkspace<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Number of distinct tokens: the rows of the token embedding and the logits per position.</summary>
    int Vocabulary { get; }

    /// <summary>The longest sequence the model reads: the rows of the position embedding.</summary>
    int Context { get; }

    /// <summary>Channels of the residual stream (the embedding width).</summary>
    int Width { get; }

    /// <summary>The largest batch of sequences a workspace accepts.</summary>
    int MaxBatch { get; }

    /// <summary>Creates another workspace over the same parameters (one per thread).</summary>
    ILanguageModelWorkspace<T> CreateWorkspace();

    /// <summary>Creates a key/value-cached decoder over the same parameters.</summary>
    ILanguageModelDecoder<T> CreateDecoder();
}
