namespace SimdDescent.Networks;

/// <summary>
/// Layer normalization over each row with a learned scale (<c>weight</c>, initialized to 1) and
/// shift (<c>bias</c>, initialized to 0), as PyTorch's <c>nn.LayerNorm(width)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>Added to the variance before the square root; must be positive (default 1e-5, as PyTorch).</summary>
    public double Epsilon { get; set; } = 1e-5;
}
