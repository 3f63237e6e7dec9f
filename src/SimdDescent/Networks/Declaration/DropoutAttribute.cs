namespace SimdDescent.Networks;

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with <see cref="Probability"/> and the rest
/// scaled by 1 / (1 − p); in inference mode the layer passes its input through.
/// </summary>
/// <param name="probability">Drop probability in [0, 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute(double probability) : Attribute
{
    /// <summary>Drop probability in [0, 1).</summary>
    public double Probability { get; } = probability;

    /// <summary>Seed of the mask stream; masks are a deterministic function of seed, workspace and step.</summary>
    public ulong Seed { get; set; }
}
