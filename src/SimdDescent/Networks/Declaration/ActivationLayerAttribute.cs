namespace SimdDescent.Networks;

/// <summary>A standalone element-wise activation layer (PyTorch: its own module in <c>nn.Sequential</c>).</summary>
/// <param name="activation">The function; <see cref="Activation.None"/> is not allowed here.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationLayerAttribute(Activation activation) : Attribute
{
    /// <summary>The function.</summary>
    public Activation Activation { get; } = activation;
}
