using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SimdDescent.IO.Onnx;
using SimdDescent.Kernels;

namespace SimdDescent.Benchmarks.Networks;

/// <summary>
/// Inference side by side with ONNX Runtime on the model <see cref="OnnxExporter"/> writes for 784 → 128 ReLU → 10:
/// single-sample latency (p50, p99, timed call by call) and batch-64 throughput. ONNX Runtime gets its best
/// case: one intra-op thread, sequential execution, every graph optimization, and input and output
/// <see cref="OrtValue"/>s bound once through an <see cref="OrtIoBinding"/>. Run with
/// <c>dotnet run -c Release --project benchmarks/SimdDescent.Benchmarks -- onnx</c>.
/// </summary>
public static class OnnxRuntimeComparison
{
    private const int LatencyWarmup = 20_000;
    private const int LatencyCalls = 200_000;
    private const int BatchWarmup = 2_000;
    private const int BatchCalls = 20_000;
    private const int Batch = 64;

    public static void Run(TextWriter output)
    {
        var network = new Training.StepMlp();
        var random = new Random(11);
        var inputs = Enumerable.Range(0, Batch * 784).Select(_ => (float)random.NextDouble()).ToArray();
        var single = inputs.AsSpan(0, 784).ToArray();
        var ours = new float[Batch * 10];
        var theirs = new float[Batch * 10];
        var theirsSingle = new float[10];

        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(OnnxExporter.Export(network), options);
        using var runOptions = new RunOptions();
        using var batchInput = OrtValue.CreateTensorValueFromMemory(inputs, [Batch, 784]);
        using var batchOutput = OrtValue.CreateTensorValueFromMemory(theirs, [Batch, 10]);
        using var batchBinding = Bind(session, batchInput, batchOutput);
        using var singleInput = OrtValue.CreateTensorValueFromMemory(single, [1, 784]);
        using var singleOutput = OrtValue.CreateTensorValueFromMemory(theirsSingle, [1, 10]);
        using var singleBinding = Bind(session, singleInput, singleOutput);

        network.Predict(inputs, ours, Batch);
        session.RunWithBinding(runOptions, batchBinding);
        var difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();

        output.WriteLine($"784 → 128 ReLU → 10, float, one thread, path {SimdDispatch.Current}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
        output.WriteLine($"  largest |ours − ONNX Runtime| over a batch of {Batch}: {difference:E2}");
        output.WriteLine($"Single sample, {LatencyCalls:N0} calls after {LatencyWarmup:N0} warm-up:");
        var (p50, p99, allocated) = Latency(() => network.Predict(single, ours.AsSpan(0, 10), 1));
        output.WriteLine($"  SimdDescent Predict     p50 {p50,7:F2} µs   p99 {p99,7:F2} µs   allocated {allocated} bytes in the timed calls");
        (p50, p99, allocated) = Latency(() => session.RunWithBinding(runOptions, singleBinding));
        output.WriteLine($"  ONNX Runtime            p50 {p50,7:F2} µs   p99 {p99,7:F2} µs   allocated {allocated} bytes in the timed calls");
        output.WriteLine($"Batch of {Batch}, {BatchCalls:N0} calls after {BatchWarmup:N0} warm-up:");
        output.WriteLine($"  SimdDescent Predict     {Throughput(() => network.Predict(inputs, ours, Batch)),12:N0} samples/s");
        output.WriteLine($"  ONNX Runtime            {Throughput(() => session.RunWithBinding(runOptions, batchBinding)),12:N0} samples/s");
    }

    private static OrtIoBinding Bind(InferenceSession session, OrtValue input, OrtValue output)
    {
        var binding = session.CreateIoBinding();
        binding.BindInput(OnnxExporter.InputName, input);
        binding.BindOutput(OnnxExporter.OutputName, output);
        return binding;
    }

    private static (double P50, double P99, long Allocated) Latency(Action call)
    {
        for (var i = 0; i < LatencyWarmup; i++)
        {
            call();
        }

        var ticks = new long[LatencyCalls];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < LatencyCalls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Array.Sort(ticks);
        double Microseconds(double quantile) => ticks[(int)(quantile * LatencyCalls)] * 1e6 / Stopwatch.Frequency;
        return (Microseconds(0.50), Microseconds(0.99), allocated);
    }

    private static double Throughput(Action call)
    {
        for (var i = 0; i < BatchWarmup; i++)
        {
            call();
        }

        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < BatchCalls; i++)
        {
            call();
        }

        return (double)BatchCalls * Batch / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
