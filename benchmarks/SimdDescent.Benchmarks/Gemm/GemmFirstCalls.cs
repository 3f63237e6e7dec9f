using System.Diagnostics;
using SimdDescent.Kernels;

namespace SimdDescent.Benchmarks.Gemm;

/// <summary>
/// How fast one GEMM shape runs from its first call in a fresh process, against its steady speed: the
/// first call's time (compilation included), the next five calls' GFLOP/s, and the GFLOP/s of the rounds
/// (about 1 ms of work each) in windows of the first second. Run one shape per process, e.g.
/// <c>dotnet run -c Release --project benchmarks/SimdDescent.Benchmarks -- first-call "64×128·128×784 NT"</c>.
/// </summary>
public static class GemmFirstCalls
{
    private static readonly int[] WindowEndsMs = [50, 100, 200, 400, 1000];

    public static void Run(TextWriter output, string shapeName)
    {
        var shape = GemmShape.Find(shapeName);
        var random = new Random(3);
        var a = Enumerable.Range(0, shape.M * shape.K).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, shape.K * shape.N).Select(_ => (float)random.NextDouble()).ToArray();
        var c = new float[shape.M * shape.N];
        var lda = shape.TransposeA == Transpose.Yes ? shape.M : shape.K;
        var ldb = shape.TransposeB == Transpose.Yes ? shape.K : shape.N;
        void Call() => SimdDescent.Kernels.Gemm.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, 1f, a, lda, b, ldb, 0f, c, shape.N);

        var clock = Stopwatch.StartNew();
        var first = Time(Call, 1);
        var next = Enumerable.Range(0, 5).Select(_ => shape.Flops / Time(Call, 1) / 1e9).ToArray();
        var perRound = Math.Max(1, (int)(1e-3 * 100e9 / shape.Flops));
        var rounds = new List<(double AtMs, double Gflops)>();
        while (clock.ElapsedMilliseconds < WindowEndsMs[^1])
        {
            var seconds = Time(Call, perRound);
            rounds.Add((clock.Elapsed.TotalMilliseconds, perRound * shape.Flops / seconds / 1e9));
        }

        output.WriteLine($"{shape.Name}, path {SimdDispatch.Current}: first call {first * 1e3:F1} ms; calls 2-6 {string.Join(" ", next.Select(g => g.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} GFLOP/s");
        var windowStart = 0;
        foreach (var end in WindowEndsMs)
        {
            var inWindow = rounds.Where(r => r.AtMs >= windowStart && r.AtMs < end).Select(r => r.Gflops).Order().ToArray();
            if (inWindow.Length > 0)
            {
                output.WriteLine($"  {windowStart,4}-{end,4} ms: median {inWindow[inWindow.Length / 2],6:F1} GFLOP/s over {inWindow.Length} rounds of {perRound} calls");
            }

            windowStart = end;
        }
    }

    private static double Time(Action call, int times)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < times; i++)
        {
            call();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
