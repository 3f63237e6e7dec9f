namespace SimdDescent.Tests.Training.Optimizers;

/// <summary>
/// The update equations of torch.optim written out element by element in double, independently of
/// the library's rules, as the reference the vectorized optimizers are compared with.
/// </summary>
internal interface IReferenceOptimizer
{
    /// <summary>Applies step <paramref name="t"/> (1-based).</summary>
    void Step(double[] p, double[] g, int t);
}

/// <summary>A reference whose momentum (μ, or Adam's β₁) can change between steps, as a schedule changes PyTorch's group setting.</summary>
internal interface IReferenceWithMomentum : IReferenceOptimizer
{
    double Momentum { get; set; }
}

internal sealed class ReferenceSgd(int n, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
    : IReferenceWithMomentum
{
    private readonly double[] _buffer = new double[n];

    public double Momentum { get; set; } = momentum;

    public void Step(double[] p, double[] g, int t)
    {
        for (var i = 0; i < p.Length; i++)
        {
            var d = g[i] + (weightDecay * p[i]);
            if (Momentum != 0)
            {
                _buffer[i] = t == 1 ? d : (Momentum * _buffer[i]) + ((1 - dampening) * d);
                d = nesterov ? d + (Momentum * _buffer[i]) : _buffer[i];
            }

            p[i] -= lr * d;
        }
    }
}

internal sealed class ReferenceAdam(int n, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupled = false, bool amsGrad = false)
    : IReferenceWithMomentum
{
    private readonly double[] _m = new double[n];
    private readonly double[] _v = new double[n];
    private readonly double[] _vMax = new double[n];

    /// <summary>β₁.</summary>
    public double Momentum { get; set; } = beta1;

    public void Step(double[] p, double[] g, int t)
    {
        for (var i = 0; i < p.Length; i++)
        {
            var d = g[i];
            if (decoupled)
            {
                p[i] *= 1 - (lr * weightDecay);
            }
            else
            {
                d += weightDecay * p[i];
            }

            _m[i] = (Momentum * _m[i]) + ((1 - Momentum) * d);
            _v[i] = (beta2 * _v[i]) + ((1 - beta2) * d * d);
            var mHat = _m[i] / (1 - Math.Pow(Momentum, t));
            _vMax[i] = Math.Max(_vMax[i], _v[i]);
            var vHat = (amsGrad ? _vMax[i] : _v[i]) / (1 - Math.Pow(beta2, t));
            p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
        }
    }
}

internal sealed class ReferenceRmsProp(int n, double lr, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
    : IReferenceWithMomentum
{
    private readonly double[] _square = new double[n];
    private readonly double[] _mean = new double[n];
    private readonly double[] _buffer = new double[n];

    public double Momentum { get; set; } = momentum;

    public void Step(double[] p, double[] g, int t)
    {
        for (var i = 0; i < p.Length; i++)
        {
            var d = g[i] + (weightDecay * p[i]);
            _square[i] = (alpha * _square[i]) + ((1 - alpha) * d * d);
            var variance = _square[i];
            if (centered)
            {
                _mean[i] = (alpha * _mean[i]) + ((1 - alpha) * d);
                variance -= _mean[i] * _mean[i];
            }

            var step = d / (Math.Sqrt(variance) + eps);
            if (Momentum > 0)
            {
                _buffer[i] = (Momentum * _buffer[i]) + step;
                step = _buffer[i];
            }

            p[i] -= lr * step;
        }
    }
}

internal sealed class ReferenceAdagrad(int n, double lr, double lrDecay = 0, double weightDecay = 0, double initialAccumulator = 0, double eps = 1e-10)
    : IReferenceOptimizer
{
    private readonly double[] _sum = Enumerable.Repeat(initialAccumulator, n).ToArray();

    public void Step(double[] p, double[] g, int t)
    {
        var clr = lr / (1 + ((t - 1) * lrDecay));
        for (var i = 0; i < p.Length; i++)
        {
            var d = g[i] + (weightDecay * p[i]);
            _sum[i] += d * d;
            p[i] -= clr * d / (Math.Sqrt(_sum[i]) + eps);
        }
    }
}
