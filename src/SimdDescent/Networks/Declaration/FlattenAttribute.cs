namespace SimdDescent.Networks;

/// <summary>Turns the image [channels, height, width] into a flat row of channels · height · width features for the dense layers after it, as <c>nn.Flatten()</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute;
