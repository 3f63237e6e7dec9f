namespace SimdDescent.Tests.Layers;

public static class LayerAssert
{
    /// <summary>The call throws an <see cref="ArgumentException"/> whose message says what was expected.</summary>
    public static void ThrowsSaying(string expectedInMessage, Action action)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }
}
