using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Training.Lbfgs;

/// <summary>
/// Limited-memory BFGS for full-batch problems, following <c>torch.optim.LBFGS</c>: the two-loop
/// recursion over the last <see cref="LbfgsOptions.HistorySize"/> correction pairs, scaled by
/// sᵀy / yᵀy, with an optional strong-Wolfe line search. The second-order method for small models,
/// and a way to check that a first-order run found the minimum. Vectors are the caller's layout;
/// buffers are allocated once per instance (history pairs when first used).
/// </summary>
public sealed class Lbfgs<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // PyTorch skips a correction pair whose curvature sᵀy is not safely positive.
    private const double CurvatureThreshold = 1e-10;

    private readonly LbfgsOptions _options;
    private readonly T[] _x;
    private readonly T[] _gradient;
    private readonly T[] _previousGradient;
    private readonly T[] _direction;
    private readonly T[][] _s;
    private readonly T[][] _y;
    private readonly double[] _rho;
    private readonly double[] _alpha;
    private readonly StrongWolfeLineSearch<T>? _lineSearch;
    private T[] _newS;
    private T[] _newY;

    /// <summary>An L-BFGS minimizer over vectors of <paramref name="parameterCount"/> elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or tolerance is out of range.</exception>
    public Lbfgs(int parameterCount, LbfgsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxIterations, nameof(options.MaxIterations));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.HistorySize, nameof(options.HistorySize));
        if (!(options.LearningRate > 0) || options.GradientTolerance < 0 || options.ChangeTolerance < 0 || options.MaxEvaluations <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Expected LearningRate > 0, tolerances ≥ 0 and MaxEvaluations > 0.");
        }

        _options = options;
        ParameterCount = parameterCount;
        _x = new T[parameterCount];
        _gradient = new T[parameterCount];
        _previousGradient = new T[parameterCount];
        _direction = new T[parameterCount];
        _newS = new T[parameterCount];
        _newY = new T[parameterCount];
        _s = new T[options.HistorySize][];
        _y = new T[options.HistorySize][];
        _rho = new double[options.HistorySize];
        _alpha = new double[options.HistorySize];
        _lineSearch = options.StrongWolfeLineSearch ? new StrongWolfeLineSearch<T>(parameterCount) : null;
    }

    /// <summary>Elements of the vectors minimized over.</summary>
    public int ParameterCount { get; }

    /// <summary>Minimizes <paramref name="objective"/> starting from <paramref name="x"/>, which receives the result.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not hold <see cref="ParameterCount"/> elements.</exception>
    public LbfgsResult Minimize(IObjective<T> objective, Span<T> x)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (x.Length != ParameterCount)
        {
            throw new ArgumentException($"Expected x to hold {ParameterCount} elements, but it has {x.Length}.", nameof(x));
        }

        x.CopyTo(_x);
        var loss = objective.Evaluate(_x, _gradient);
        var evaluations = 1;
        var maxEvaluations = _options.MaxEvaluations ?? (_options.MaxIterations * 5 / 4);
        var iteration = 0;
        var history = 0;
        var oldest = 0;
        var step = _options.LearningRate;
        var termination = LbfgsTermination.GradientTolerance;
        while (MaxMagnitude(_gradient) > _options.GradientTolerance)
        {
            iteration++;
            if (iteration == 1)
            {
                Blas.Scale(-T.One, _gradient, _direction);
            }
            else
            {
                Remember(step, ref history, ref oldest);
                ComputeDirection(history, oldest);
            }

            _gradient.CopyTo(_previousGradient, 0);
            var previousLoss = loss;
            step = iteration == 1 ? Math.Min(1, 1 / SumOfMagnitudes(_gradient)) * _options.LearningRate : _options.LearningRate;
            var slope = double.CreateTruncating(Blas.Dot<T>(_gradient, _direction));
            if (slope > -_options.ChangeTolerance)
            {
                termination = LbfgsTermination.ChangeTolerance;
                break;
            }

            if (_lineSearch is not null)
            {
                (loss, step, var used) = _lineSearch.Search(objective, _x, _direction, step, loss, _gradient, slope, _options.ChangeTolerance, _gradient);
                Blas.Axpy(T.CreateTruncating(step), _direction, _x);
                evaluations += used;
            }
            else
            {
                Blas.Axpy(T.CreateTruncating(step), _direction, _x);
                loss = objective.Evaluate(_x, _gradient);
                evaluations++;
            }

            if (Stop(iteration, evaluations, maxEvaluations, step, loss, previousLoss) is { } reason)
            {
                termination = reason;
                break;
            }
        }

        _x.CopyTo(x);
        return new LbfgsResult(loss, MaxMagnitude(_gradient), iteration, evaluations, termination);
    }

    private LbfgsTermination? Stop(int iteration, int evaluations, int maxEvaluations, double step, double loss, double previousLoss)
    {
        if (iteration >= _options.MaxIterations)
        {
            return LbfgsTermination.MaxIterations;
        }

        if (evaluations >= maxEvaluations)
        {
            return LbfgsTermination.MaxEvaluations;
        }

        if (MaxMagnitude(_gradient) <= _options.GradientTolerance)
        {
            return LbfgsTermination.GradientTolerance;
        }

        if (MaxMagnitude(_direction) * Math.Abs(step) <= _options.ChangeTolerance || Math.Abs(loss - previousLoss) < _options.ChangeTolerance)
        {
            return LbfgsTermination.ChangeTolerance;
        }

        return null;
    }

    /// <summary>Adds the pair s = t·d, y = g − g_prev of the last step, if its curvature is positive.</summary>
    private void Remember(double step, ref int history, ref int oldest)
    {
        Blas.Subtract<T>(_gradient, _previousGradient, _newY);
        Blas.Scale(T.CreateTruncating(step), _direction, _newS);
        var ys = double.CreateTruncating(Blas.Dot<T>(_newY, _newS));
        if (ys <= CurvatureThreshold)
        {
            return;
        }

        var capacity = _s.Length;
        var slot = (oldest + history) % capacity;
        if (history == capacity)
        {
            oldest = (oldest + 1) % capacity;
        }
        else
        {
            history++;
        }

        // Swap buffers instead of copying; a slot's old arrays become the next scratch pair.
        (_s[slot], _newS) = (_newS, _s[slot] ?? new T[ParameterCount]);
        (_y[slot], _newY) = (_newY, _y[slot] ?? new T[ParameterCount]);
        _rho[slot] = 1 / ys;
    }

    /// <summary>d = −H∇f by the two-loop recursion, with H₀ = (sᵀy / yᵀy)·I from the newest pair.</summary>
    private void ComputeDirection(int history, int oldest)
    {
        var capacity = _s.Length;
        Blas.Scale(-T.One, _gradient, _direction);
        if (history == 0)
        {
            return;
        }

        for (var i = history - 1; i >= 0; i--)
        {
            var k = (oldest + i) % capacity;
            _alpha[k] = double.CreateTruncating(Blas.Dot<T>(_s[k], _direction)) * _rho[k];
            Blas.Axpy(T.CreateTruncating(-_alpha[k]), _y[k], _direction);
        }

        var newest = (oldest + history - 1) % capacity;
        var yy = double.CreateTruncating(Blas.Dot<T>(_y[newest], _y[newest]));
        Blas.Scale(T.CreateTruncating(1 / (_rho[newest] * yy)), _direction);
        for (var i = 0; i < history; i++)
        {
            var k = (oldest + i) % capacity;
            var beta = double.CreateTruncating(Blas.Dot<T>(_y[k], _direction)) * _rho[k];
            Blas.Axpy(T.CreateTruncating(_alpha[k] - beta), _s[k], _direction);
        }
    }

    private static double MaxMagnitude(ReadOnlySpan<T> x) => double.CreateTruncating(Reductions.MaxMagnitude<T>(x));

    private static double SumOfMagnitudes(ReadOnlySpan<T> x)
    {
        var sum = 0.0;
        foreach (var value in x)
        {
            sum += Math.Abs(double.CreateTruncating(value));
        }

        return sum;
    }
}
