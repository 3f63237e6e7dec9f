using System.Diagnostics;
using SimdDescent.Kernels;

namespace SimdDescent.Benchmarks.Networks;

/// <summary>
/// The embedded use: the latency of <c>Predict</c> for one sample through 784 → 128 → 10, timed call by
/// call and reported as percentiles (a mean hides the tail that a latency budget cares about). Run with
/// <c>dotnet run -c Release --project benchmarks/SimdDescent.Benchmarks -- latency</c>.
/// </summary>
public static class PredictLatency
{
    private const int Warmup = 20_000;
    private const int Calls = 200_000;

    public static void Run(TextWriter output)
    {
        var network = new Training.StepMlp();
        var random = new Random(11);
        var input = Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble()).ToArray();
        var logits = new float[10];
        for (var i = 0; i < Warmup; i++)
        {
            network.Predict(input, logits, 1);
        }

        var ticks = new long[Calls];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            network.Predict(input, logits, 1);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Array.Sort(ticks);
        double Microseconds(double quantile) => ticks[(int)Math.Min(Calls - 1, quantile * Calls)] * 1e6 / Stopwatch.Frequency;
        output.WriteLine($"Predict, 1 sample, 784 → 128 ReLU → 10, {Calls:N0} calls (after {Warmup:N0} warm-up), path {SimdDispatch.Current}:");
        output.WriteLine($"  p50 {Microseconds(0.50):F2} µs   p90 {Microseconds(0.90):F2} µs   p99 {Microseconds(0.99):F2} µs   p99.9 {Microseconds(0.999):F2} µs   max {Microseconds(1):F2} µs");
        output.WriteLine($"  allocated: {allocated} bytes over {Calls:N0} calls");
    }
}
