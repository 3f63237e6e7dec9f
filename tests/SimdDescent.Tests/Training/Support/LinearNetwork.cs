using System.Collections.Immutable;
using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Networks;

namespace SimdDescent.Tests.Training.Support;

/// <summary>
/// A hand-written INetwork: one dense layer z = x·W + b followed by mean squared error (real targets,
/// linear regression) or softmax cross-entropy (class labels, multinomial logistic regression).
/// Stands in for generated networks in the trainer's tests. Can poison a gradient on a chosen
/// backward call to exercise the non-finite guard.
/// </summary>
internal sealed class LinearNetwork<T> : INetwork<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[] _parameters;

    public LinearNetwork(int inputs, int outputs, int maxBatch, TargetKind kind)
    {
        InputWidth = inputs;
        OutputWidth = outputs;
        MaxBatch = maxBatch;
        TargetKind = kind;
        _parameters = new T[(inputs * outputs) + outputs];
        Tensors =
        [
            new TensorInfo("linear.weight", 0, [inputs, outputs]),
            new TensorInfo("linear.bias", inputs * outputs, [outputs]),
        ];
        Layers = [new LayerInfo(LayerKind.Dense, inputs, outputs) { Weight = Tensors[0], Bias = Tensors[1] }];
        Workspace = CreateWorkspace();
    }

    public int InputWidth { get; }

    public int OutputWidth { get; }

    public int MaxBatch { get; }

    public TargetKind TargetKind { get; }

    public int ParameterCount => _parameters.Length;

    public IReadOnlyList<TensorInfo> Tensors { get; }

    public IReadOnlyList<LayerInfo> Layers { get; }

    public Span<T> Parameters => _parameters;

    public INetworkWorkspace<T> Workspace { get; }

    /// <summary>The backward call (1-based, counted over all workspaces) whose bias gradient becomes NaN; 0 for none.</summary>
    public int PoisonBackwardCall { get; set; }

    /// <summary>Added to every bias gradient: a deliberate backward bug for the gradient check to find.</summary>
    public double BiasGradientError { get; set; }

    internal int BackwardCalls;

    public Span<T> Weight => _parameters.AsSpan(0, InputWidth * OutputWidth);

    public Span<T> Bias => _parameters.AsSpan(InputWidth * OutputWidth, OutputWidth);

    public INetworkWorkspace<T> CreateWorkspace() => new LinearWorkspace(this);

    public void Initialize(ulong seed)
    {
        var random = new Random((int)seed);
        foreach (ref var w in Weight)
        {
            w = T.CreateTruncating((random.NextDouble() - 0.5) * 0.2);
        }

        Bias.Clear();
    }

    private sealed class LinearWorkspace(LinearNetwork<T> network) : INetworkWorkspace<T>
    {
        private readonly T[] _inputs = new T[network.MaxBatch * network.InputWidth];
        private readonly T[] _logits = new T[network.MaxBatch * network.OutputWidth];
        private readonly T[] _logitsGradient = new T[network.MaxBatch * network.OutputWidth];
        private readonly T[] _gradients = new T[network.ParameterCount];
        private readonly T[] _inputGradients = new T[network.MaxBatch * network.InputWidth];
        private int _batch;

        public INetwork<T> Network => network;

        public Span<T> Gradients => _gradients;

        public bool IsTraining { get; set; }

        public bool ComputeInputGradients { get; set; }

        public ReadOnlySpan<T> InputGradients => ComputeInputGradients ? _inputGradients.AsSpan(0, _batch * network.InputWidth) : [];

        public T Forward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int batch)
        {
            Run(inputs, batch);
            var classes = network.OutputWidth;
            return Losses.SoftmaxCrossEntropy<T>(_logits.AsSpan(0, batch * classes), labels, _logitsGradient.AsSpan(0, batch * classes), batch, classes);
        }

        public T Forward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch)
        {
            Run(inputs, batch);
            var width = batch * network.OutputWidth;
            return Losses.MeanSquaredError<T>(_logits.AsSpan(0, width), targets, _logitsGradient.AsSpan(0, width));
        }

        public void Backward()
        {
            int n = network.InputWidth, m = network.OutputWidth;
            Gemm.Multiply(Transpose.Yes, Transpose.No, n, m, _batch, T.One, _inputs.AsSpan(0, _batch * n), n, _logitsGradient.AsSpan(0, _batch * m), m, T.Zero, _gradients.AsSpan(0, n * m), m);
            Reductions.ColumnSums<T>(_logitsGradient.AsSpan(0, _batch * m), _gradients.AsSpan(n * m, m), _batch, m);
            foreach (ref var g in _gradients.AsSpan(n * m, m))
            {
                g += T.CreateTruncating(network.BiasGradientError);
            }

            if (ComputeInputGradients)
            {
                Gemm.Multiply(Transpose.No, Transpose.Yes, _batch, n, m, T.One, _logitsGradient.AsSpan(0, _batch * m), m, network.Weight, m, T.Zero, _inputGradients.AsSpan(0, _batch * n), n);
            }

            if (Interlocked.Increment(ref network.BackwardCalls) == network.PoisonBackwardCall)
            {
                _gradients[n * m] = T.NaN;
            }
        }

        public void Predict(ReadOnlySpan<T> inputs, Span<T> outputs, int batch)
        {
            Run(inputs, batch);
            _logits.AsSpan(0, batch * network.OutputWidth).CopyTo(outputs);
        }

        private void Run(ReadOnlySpan<T> inputs, int batch)
        {
            int n = network.InputWidth, m = network.OutputWidth;
            _batch = batch;
            inputs.CopyTo(_inputs);
            Gemm.MultiplyBiasActivation(
                Transpose.No, Transpose.No, batch, m, n, _inputs.AsSpan(0, batch * n), n, network.Weight, m, network.Bias, _logits.AsSpan(0, batch * m), m, new IdentityOperator<T>());
        }
    }
}
