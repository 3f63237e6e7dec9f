namespace SimdDescent.Networks;

/// <summary>
/// Batch normalization per channel of an image, as PyTorch's <c>nn.BatchNorm2d(channels)</c>: a learned scale
/// (<c>weight</c>, initialized to 1) and shift (<c>bias</c>, 0). In training mode it normalizes with the batch's
/// statistics and moves the running mean and (unbiased) variance toward them; in inference mode it uses the
/// running statistics. They are saved with the weights as <c>running_mean</c>, <c>running_var</c> and
/// <c>num_batches_tracked</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNorm2DAttribute : Attribute
{
    /// <summary>Added to the variance before the square root; must be positive (default 1e-5, as PyTorch).</summary>
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>Weight of the newest batch in the running statistics, in (0, 1] (default 0.1, as PyTorch).</summary>
    public double Momentum { get; set; } = 0.1;
}
