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
/// (im2col and the product) and backward (dW, dX through col2im), beside the bare GEMMs on the products' shapes.
/// Per image, with P = H·W positions, K = in·3·3 and N = out channels, the forward product is W [N, K] · columns
/// [K, P] (NN), the backward ones dZ · columnsᵀ summed into dW [N, K] (NT) and Wᵀ · dZ = dColumns [K, P] (TN);
/// over the batch each is 2·batch·P·K·N operations. Run with
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
    private float[] _x = [], _weight = [], _y = [], _dz = [], _columns = [], _weightGradient = [], _dx = [];

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
        _weightGradient = new float[_shape.WeightLength];
        _dx = new float[_shape.InputLength];
        Forward();
    }

    /// <summary>Without bias or fused activation, as the architecture's convolutions (batch normalization follows).</summary>
    [Benchmark]
    public void Forward() => Conv2D.Forward(_shape, _x, _weight, [], _y, _columns, default(IdentityOperator<float>));

    /// <summary>dW and dX, the patches gathered again image by image.</summary>
    [Benchmark]
    public void Backward() => Conv2D.Backward<float>(_shape, _x, _weight, _dz, _columns, _weightGradient, [], _dx);

    /// <summary>The forward products alone, image by image: W [N, K] · columns [K, P].</summary>
    [Benchmark]
    public void GemmForward()
    {
        for (var b = 0; b < Batch; b++)
        {
            global::SimdDescent.Kernels.Gemm.Multiply(Transpose.No, Transpose.No, _shape.OutputChannels, Positions, _shape.PatchLength, 1f, _weight, _shape.PatchLength,
                _columns, Positions, 0f, Image(_y, b, _shape.OutputChannels), Positions);
        }
    }

    /// <summary>dW += dZ [N, P] · columnsᵀ [P, K], image by image.</summary>
    [Benchmark]
    public void GemmWeightGradient()
    {
        for (var b = 0; b < Batch; b++)
        {
            global::SimdDescent.Kernels.Gemm.Multiply(Transpose.No, Transpose.Yes, _shape.OutputChannels, _shape.PatchLength, Positions, 1f, Image(_dz, b, _shape.OutputChannels), Positions,
                _columns, Positions, b == 0 ? 0f : 1f, _weightGradient, _shape.PatchLength);
        }
    }

    /// <summary>dColumns = Wᵀ [K, N] · dZ [N, P], image by image.</summary>
    [Benchmark]
    public void GemmInputGradient()
    {
        for (var b = 0; b < Batch; b++)
        {
            global::SimdDescent.Kernels.Gemm.Multiply(Transpose.Yes, Transpose.No, _shape.PatchLength, Positions, _shape.OutputChannels, 1f, _weight, _shape.PatchLength,
                Image(_dz, b, _shape.OutputChannels), Positions, 0f, _columns, Positions);
        }
    }

    private int Positions => _shape.OutputHeight * _shape.OutputWidth;

    /// <summary>Image b's rows × positions block of a per-image tensor.</summary>
    private Span<float> Image(float[] tensor, int b, int rows) => tensor.AsSpan(b * rows * Positions, rows * Positions);

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
