using BenchmarkDotNet.Running;
using SimdDescent.Benchmarks.Gemm;
using SimdDescent.Benchmarks.Networks;

if (args is ["latency", ..])
{
    PredictLatency.Run(Console.Out);
    return;
}

if (args is ["first-call", var shape])
{
    GemmFirstCalls.Run(Console.Out, shape);
    return;
}

if (args is ["onnx", ..])
{
    OnnxRuntimeComparison.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
