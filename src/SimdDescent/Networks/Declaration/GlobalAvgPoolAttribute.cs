namespace SimdDescent.Networks;

/// <summary>
/// Global average pooling: each channel becomes the mean of its plane, giving flat rows of one value per
/// channel (PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c> followed by <c>nn.Flatten()</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPoolAttribute : Attribute;
