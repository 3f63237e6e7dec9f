using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Benchmarks.Gemm;

/// <summary>
/// Single-precision GEMM, one thread: SimdDescent against OpenBLAS (when libopenblas.so.0 loads) and a
/// naive loop of TensorPrimitives.Dot. Run with e.g.
/// <c>OPENBLAS_NUM_THREADS=1 dotnet run -c Release --project benchmarks/SimdDescent.Benchmarks -- --filter '*GemmBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private float[] _bias = [];
    private float[] _rowsOfA = [];
    private float[] _columnsOfB = [];
    private GemmShape _shape = GemmShape.All[0];

    /// <summary>Shape names (strings keep the BenchmarkDotNet parameter column readable).</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    public static IEnumerable<string> Shapes => GemmShape.All.Select(shape => shape.Name);

    [GlobalSetup]
    public void Setup()
    {
        _shape = GemmShape.Find(Shape);
        var (m, n, k) = (_shape.M, _shape.N, _shape.K);
        var random = new Random(42);
        _a = Random(random, m * k);
        _b = Random(random, k * n);
        _c = new float[m * n];
        _bias = Random(random, n);

        // The naive baseline gets op(A) by rows and op(B) by columns laid out contiguously up front.
        _rowsOfA = new float[m * k];
        _columnsOfB = new float[n * k];
        for (var p = 0; p < k; p++)
        {
            for (var i = 0; i < m; i++)
            {
                _rowsOfA[(i * k) + p] = _shape.TransposeA == Transpose.No ? _a[(i * k) + p] : _a[(p * m) + i];
            }

            for (var j = 0; j < n; j++)
            {
                _columnsOfB[(j * k) + p] = _shape.TransposeB == Transpose.No ? _b[(p * n) + j] : _b[(j * k) + p];
            }
        }
    }

    [Benchmark(Baseline = true)]
    public void SimdDescent()
    {
        var s = _shape;
        global::SimdDescent.Kernels.Gemm.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, 1f, _a, LeadingA(s), _b, LeadingB(s), 0f, _c, s.N);
    }

    /// <summary>The AVX2-width kernels (6 × 16 floats) forced, for machines with AVX-512 where the default is 6 × 32.</summary>
    [Benchmark]
    public void SimdDescent256()
    {
        using var scope = SimdDispatch.Force(VectorPath.Vector256);
        SimdDescent();
    }

    /// <summary>The fused dense forward: C = max(A·B + bias, 0).</summary>
    [Benchmark]
    public void SimdDescentBiasRelu()
    {
        var s = _shape;
        global::SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
            s.TransposeA, s.TransposeB, s.M, s.N, s.K, _a, LeadingA(s), _b, LeadingB(s), _bias, _c, s.N,
            new ClampOperator<float>(0f, float.PositiveInfinity));
    }

    [Benchmark]
    public void OpenBlasSgemm()
    {
        var s = _shape;
        OpenBlas.Sgemm(s.TransposeA == Transpose.Yes, s.TransposeB == Transpose.Yes, s.M, s.N, s.K, 1f, _a, LeadingA(s), _b, LeadingB(s), 0f, _c, s.N);
    }

    [Benchmark]
    public void NaiveTensorPrimitivesDot()
    {
        var (m, n, k) = (_shape.M, _shape.N, _shape.K);
        for (var i = 0; i < m; i++)
        {
            var row = _rowsOfA.AsSpan(i * k, k);
            for (var j = 0; j < n; j++)
            {
                _c[(i * n) + j] = TensorPrimitives.Dot(row, _columnsOfB.AsSpan(j * k, k));
            }
        }
    }

    private static int LeadingA(GemmShape s) => s.TransposeA == Transpose.No ? s.K : s.M;

    private static int LeadingB(GemmShape s) => s.TransposeB == Transpose.No ? s.N : s.K;

    /// <summary>Values uniform in [-1, 1), the operands of the benchmarked products.</summary>
    internal static float[] Random(Random random, int length)
    {
        var data = new float[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return data;
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration()
        {
            AddColumn(StatisticColumn.Median, new GflopsColumn(c => GemmShape.Find((string)c.Parameters[nameof(GemmBenchmarks.Shape)]).Flops));
            if (!OpenBlas.IsAvailable)
            {
                Console.WriteLine("libopenblas.so.0 not found (apt-get install libopenblas0): skipping the OpenBLAS column.");
                AddFilter(new SimpleFilter(c => c.Descriptor.WorkloadMethod.Name != nameof(OpenBlasSgemm)));
            }
        }
    }
}
