using System.Collections.Immutable;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Networks;

namespace SimdDescent.Benchmarks.Training;

/// <summary>
/// A hand-written two-layer perceptron (dense + ReLU, dense, softmax cross-entropy) over the kernels,
/// standing in for a generated network so the trainer's data-parallel speed-up can be measured before
/// the generator lands.
/// </summary>
internal sealed class HandWrittenMlp : INetwork<float>
{
    private readonly float[] _parameters;
    private readonly int _hidden;

    public HandWrittenMlp(int inputs, int hidden, int classes, int maxBatch)
    {
        InputWidth = inputs;
        OutputWidth = classes;
        MaxBatch = maxBatch;
        _hidden = hidden;
        _parameters = new float[(inputs * hidden) + hidden + (hidden * classes) + classes];
        Tensors =
        [
            new TensorInfo("hidden.weight", 0, [inputs, hidden]),
            new TensorInfo("hidden.bias", inputs * hidden, [hidden]),
            new TensorInfo("output.weight", (inputs * hidden) + hidden, [hidden, classes]),
            new TensorInfo("output.bias", (inputs * hidden) + hidden + (hidden * classes), [classes]),
        ];
        Workspace = CreateWorkspace();
    }

    public int InputWidth { get; }

    public int OutputWidth { get; }

    public int MaxBatch { get; }

    public TargetKind TargetKind => TargetKind.ClassLabels;

    public int ParameterCount => _parameters.Length;

    public IReadOnlyList<TensorInfo> Tensors { get; }

    public Span<float> Parameters => _parameters;

    public INetworkWorkspace<float> Workspace { get; }

    public INetworkWorkspace<float> CreateWorkspace() => new MlpWorkspace(this);

    public void Initialize(ulong seed)
    {
        var random = new Random((int)seed);
        foreach (var tensor in Tensors)
        {
            var scale = tensor.Shape.Length == 2 ? MathF.Sqrt(2f / tensor.Shape[0]) : 0;
            foreach (ref var p in _parameters.AsSpan(tensor.Offset, tensor.Length))
            {
                p = scale * (float)((random.NextDouble() * 2) - 1);
            }
        }
    }

    private Span<float> Tensor(int index) => _parameters.AsSpan(Tensors[index].Offset, Tensors[index].Length);

    private sealed class MlpWorkspace(HandWrittenMlp network) : INetworkWorkspace<float>
    {
        private readonly float[] _inputs = new float[network.MaxBatch * network.InputWidth];
        private readonly float[] _hidden = new float[network.MaxBatch * network._hidden];
        private readonly float[] _hiddenGradient = new float[network.MaxBatch * network._hidden];
        private readonly float[] _logits = new float[network.MaxBatch * network.OutputWidth];
        private readonly float[] _logitsGradient = new float[network.MaxBatch * network.OutputWidth];
        private readonly float[] _gradients = new float[network.ParameterCount];
        private int _batch;

        public INetwork<float> Network => network;

        public Span<float> Gradients => _gradients;

        public bool IsTraining { get; set; }

        public float Forward(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batch)
        {
            Run(inputs, batch);
            var classes = network.OutputWidth;
            return Losses.SoftmaxCrossEntropy<float>(_logits.AsSpan(0, batch * classes), labels, _logitsGradient.AsSpan(0, batch * classes), batch, classes);
        }

        public float Forward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batch) =>
            throw new NotSupportedException("This network's loss takes class labels.");

        public void Backward()
        {
            int n = network.InputWidth, h = network._hidden, c = network.OutputWidth, b = _batch;
            var t = network.Tensors;
            var dZ = _logitsGradient.AsSpan(0, b * c);
            var dH = _hiddenGradient.AsSpan(0, b * h);
            Gemm.Multiply(Transpose.Yes, Transpose.No, h, c, b, 1f, _hidden.AsSpan(0, b * h), h, dZ, c, 0f, _gradients.AsSpan(t[2].Offset, h * c), c);
            Reductions.ColumnSums<float>(dZ, _gradients.AsSpan(t[3].Offset, c), b, c);
            Gemm.Multiply(Transpose.No, Transpose.Yes, b, h, c, 1f, dZ, c, network.Tensor(2), c, 0f, dH, h);
            Activations.ReluBackward<float>(dH, _hidden.AsSpan(0, b * h), dH);
            Gemm.Multiply(Transpose.Yes, Transpose.No, n, h, b, 1f, _inputs.AsSpan(0, b * n), n, dH, h, 0f, _gradients.AsSpan(0, n * h), h);
            Reductions.ColumnSums<float>(dH, _gradients.AsSpan(t[1].Offset, h), b, h);
        }

        public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs, int batch)
        {
            Run(inputs, batch);
            _logits.AsSpan(0, batch * network.OutputWidth).CopyTo(outputs);
        }

        private void Run(ReadOnlySpan<float> inputs, int batch)
        {
            int n = network.InputWidth, h = network._hidden, c = network.OutputWidth;
            _batch = batch;
            inputs.CopyTo(_inputs);
            Gemm.MultiplyBiasActivation(
                Transpose.No, Transpose.No, batch, h, n, _inputs.AsSpan(0, batch * n), n, network.Tensor(0), h, network.Tensor(1), _hidden.AsSpan(0, batch * h), h, new ReluOperator<float>());
            Gemm.MultiplyBiasActivation(
                Transpose.No, Transpose.No, batch, c, h, _hidden.AsSpan(0, batch * h), h, network.Tensor(2), c, network.Tensor(3), _logits.AsSpan(0, batch * c), c, new IdentityOperator<float>());
        }
    }
}
