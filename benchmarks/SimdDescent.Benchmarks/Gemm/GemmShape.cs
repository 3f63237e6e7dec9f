using SimdDescent.Kernels;

namespace SimdDescent.Benchmarks.Gemm;

/// <summary>A benchmarked product: op(A) is m × k, op(B) is k × n; the name reads "m×k·k×n variant".</summary>
public sealed record GemmShape(string Name, int M, int N, int K, Transpose TransposeA, Transpose TransposeB)
{
    /// <summary>Squares 16…1024 and the products of a 784-128-10 MLP at batch 64 (and batch 1).</summary>
    public static readonly GemmShape[] All =
    [
        Square(16), Square(32), Square(64), Square(128), Square(256), Square(512), Square(1024),
        new("1×784·784×128 NN", 1, 128, 784, Transpose.No, Transpose.No),
        new("64×784·784×128 NN", 64, 128, 784, Transpose.No, Transpose.No),
        new("784×64·64×128 TN", 784, 128, 64, Transpose.Yes, Transpose.No),
        new("64×128·128×784 NT", 64, 784, 128, Transpose.No, Transpose.Yes),
        new("64×128·128×10 NN", 64, 10, 128, Transpose.No, Transpose.No),
    ];

    public double Flops => 2.0 * M * N * K;

    public static GemmShape Find(string name) => All.First(shape => shape.Name == name);

    public override string ToString() => Name;

    private static GemmShape Square(int size) => new($"{size}³ NN", size, size, size, Transpose.No, Transpose.No);
}
