using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SimdDescent.Benchmarks.Gemm;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Layers;

namespace SimdDescent.Benchmarks.Layers;

/// <summary>
/// The two convolutions of the <c>cnn</c> architecture at batch 64 in float, one thread: the layer's forward
/// (im2col, the product, the transpose to NCHW) and backward (transpose, dW, dX through col2im), beside the
/// bare GEMM on the products' shapes. With P = batch·H·W positions, K = in·3·3 and N = out channels the forward
/// product is columns [P, K] · Wᵀ (NT), the backward ones dZᵀ · columns = dW [N, K] (TN) and dZ · W = dColumns
/// [P, K] (NN); each is 2·P·K·N operations. Run with
/// <c>dotnet run -c Release --project benchmarks/SimdDescent.Benchmarks -- --filter '*ConvolutionBenchmarks*' --launchCount 1 --warmupCount 2 --iterationCount 5</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class ConvolutionBenchmarks
{
    private const int Batch = 64;

    private static readonly Dictionary<string, Conv2DShape> Convolutions = new()
    {
        ["1→32 28×28"] = new(Batch, 1, 28, 28, 32, 3, 3, padding: 1),
        ["32→64 14×14"] = new(Batch, 32, 14, 14, 64, 3, 3, padding: 1),
    };

    private Conv2DShape _shape;
    private float[] _x = [], _weight = [], _y = [], _dz = [], _columns = [], _scratch = [], _weightGradient = [], _dx = [];

    /// <summary>The convolution: input → output channels and the input's height × width.</summary>
    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = "";

    public static IEnumerable<string> Layers => Convolutions.Keys;

    [GlobalSetup]
    public void Setup()
    {
        _shape = Convolutions[Layer];
        var random = new Random(7);
        _x = GemmBenchmarks.Random(random, _shape.InputLength);
        _weight = GemmBenchmarks.Random(random, _shape.WeightLength);
        _dz = GemmBenchmarks.Random(random, _shape.OutputLength);
        _y = new float[_shape.OutputLength];
        _columns = new float[_shape.ColumnsLength];
        _scratch = new float[_shape.ScratchLength];
        _weightGradient = new float[_shape.WeightLength];
        _dx = new float[_shape.InputLength];
        Forward();
    }

    /// <summary>Without bias or fused activation, as the architecture's convolutions (batch normalization follows).</summary>
    [Benchmark]
    public void Forward() => Conv2D.Forward(_shape, _x, _weight, [], _y, _columns, _scratch, default(IdentityOperator<float>));

    /// <summary>dW and dX. The columns it overwrites are not restored: their values do not change the time.</summary>
    [Benchmark]
    public void Backward() => Conv2D.Backward<float>(_shape, _weight, _dz, _columns, _scratch, _weightGradient, [], _dx);

    /// <summary>The forward product alone: [P, K] · [N, K]ᵀ.</summary>
    [Benchmark]
    public void GemmForward() =>
        global::SimdDescent.Kernels.Gemm.Multiply(Transpose.No, Transpose.Yes, _shape.Positions, _shape.OutputChannels, _shape.PatchLength, 1f, _columns, _shape.PatchLength, _weight, _shape.PatchLength, 0f, _scratch, _shape.OutputChannels);

    /// <summary>dW = dZᵀ · columns: [P, N]ᵀ · [P, K].</summary>
    [Benchmark]
    public void GemmWeightGradient() =>
        global::SimdDescent.Kernels.Gemm.Multiply(Transpose.Yes, Transpose.No, _shape.OutputChannels, _shape.PatchLength, _shape.Positions, 1f, _dz, _shape.OutputChannels, _columns, _shape.PatchLength, 0f, _weightGradient, _shape.PatchLength);

    /// <summary>dColumns = dZ · W: [P, N] · [N, K].</summary>
    [Benchmark]
    public void GemmInputGradient() =>
        global::SimdDescent.Kernels.Gemm.Multiply(Transpose.No, Transpose.No, _shape.Positions, _shape.PatchLength, _shape.OutputChannels, 1f, _dz, _shape.OutputChannels, _weight, _shape.PatchLength, 0f, _columns, _shape.PatchLength);

    /// <summary>2·P·K·N per product: one for the forward and each GEMM, two for the backward.</summary>
    private static double Flops(BenchmarkCase benchmarkCase)
    {
        var shape = Convolutions[(string)benchmarkCase.Parameters[nameof(Layer)]];
        var product = 2.0 * shape.Positions * shape.PatchLength * shape.OutputChannels;
        return benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(Backward) ? 2 * product : product;
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(StatisticColumn.Median, new GflopsColumn(Flops));
    }
}
