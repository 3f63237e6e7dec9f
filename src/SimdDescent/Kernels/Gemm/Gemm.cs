using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Kernels;

/// <summary>
/// Row-major general matrix multiply, <c>C = alpha·op(A)·op(B) + beta·C</c>, with op(A) of shape
/// m × k and op(B) of shape k × n. Leading dimensions are row strides in elements, so sub-matrices
/// and views work.
/// </summary>
/// <remarks>
/// A Goto/BLIS design: packed, cache-blocked panels and a 6-row × 2-register micro-kernel (1 register
/// when C is that narrow) at the width <see cref="SimdDispatch.Current"/> selects, with a direct path
/// that skips packing A for small problems and a row kernel for m = 1 (narrowed to the row's width).
/// Each element of C is a fused sum over k in blocks of 256 — sequential, or split into even and odd k
/// when n fits one register at the full width — finished by the same epilogue. That order depends on n
/// and k only: never on m (a row alone, as the row kernel computes it, is bitwise that row inside any
/// batch), on <see cref="MaxThreads"/>, or on whether A is packed.
/// Calls allocate nothing after a thread's first call at a given size (packing buffers are per thread
/// and reused), multi-threaded ones included: they run on a worker pool that the calling thread joins.
/// FMA is fused where the hardware has it (see <c>VectorMath</c>).
/// Every method on a product's path is <c>[MethodImpl(MethodImplOptions.AggressiveOptimization)]</c>: under
/// the JIT's default tiering, tier-0 code calls each vector helper instead of inlining it and runs these
/// loops at 1–2 % of their speed for the first 200 ms or so; fully optimized from the first call they
/// reach their steady speed at once, and the steady speed measured the same without dynamic PGO.
/// </remarks>
public static partial class Gemm
{
    // Packing A pays once A no longer sits in L2 as stored (see UsePacking).
    private const long PackingThresholdBytes = 512 * 1024;

    private static readonly object s_poolGate = new();
    private static int s_maxThreads = 1;
    private static WorkerPool? s_pool;

    [ThreadStatic]
    private static bool? t_forcePacking;

    // Tested before the thread-static, so a product on a thread that never forced packing reads no thread-local storage.
    private static volatile bool s_anyForcedPacking;

    /// <summary>
    /// The multiply-adds each thread of a split product must have: below, waking a worker costs more than it
    /// saves. Tests set 1 to split the smallest products.
    /// </summary>
    internal static long MinimumWorkPerThread { get; set; } = 1L << 21;

    /// <summary>The workers of <see cref="MaxThreads"/> (null for one thread), for other kernels that split their work the same way.</summary>
    internal static WorkerPool? Pool => s_pool;

    /// <summary>Bytes allocated so far on the worker threads of products (for allocation tests).</summary>
    internal static long HelperAllocatedBytes => s_pool?.HelperAllocatedBytes ?? 0;

    /// <summary>
    /// The most threads one large product may use (default 1: the calling thread only); setting it starts
    /// that many − 1 worker threads, which block while idle. Products are split over blocks of C, and only
    /// as far as each part keeps a few million multiply-adds; results are bitwise identical whatever the setting.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            Guard.Positive(value);
            lock (s_poolGate)
            {
                if (value == s_maxThreads)
                {
                    return;
                }

                // A product already holding the old pool finishes on it, or on its own thread once it is disposed.
                var old = s_pool;
                s_pool = value > 1 ? new WorkerPool(value) : null;
                s_maxThreads = value;
                old?.Dispose();
            }
        }
    }

    /// <summary>For benchmarks and tests, on the calling thread: forces the packed (true) or direct (false) path; null chooses by size.</summary>
    internal static bool? ForcePacking
    {
        get => t_forcePacking;
        set
        {
            s_anyForcedPacking = true;
            t_forcePacking = value;
        }
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C. With beta = 0, C is not read (NaN in C is ignored).</summary>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is shorter than its row, or a span is too short for its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MultiplyInOrder(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, inSequence: false);

    /// <summary>
    /// As <see cref="Multiply{T}"/>, but each element is the sequential sum over k however narrow C is (never
    /// the even and odd halves of a one-register tile), so a narrow product is bitwise the same elements of a
    /// wider one: a decoding step's scores against a few keys match those of a full tile of keys.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyInSequence<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MultiplyInOrder(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, inSequence: true);

    /// <summary>
    /// C = activation(op(A)·op(B) + bias), the fused forward of a dense layer: bias (length n, or empty
    /// for none) is added to every row and the activation applied while the output is written.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Multiply{T}"/>, or the bias is neither empty nor of length n.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyBiasActivation<T, TActivation>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        ReadOnlySpan<T> bias, Span<T> c, int ldc, TActivation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (!bias.IsEmpty && bias.Length != n)
        {
            throw new ArgumentException($"Expected bias to be empty or hold n = {n} elements, but it has {bias.Length}.", nameof(bias));
        }

        var operands = Operands(transposeA, transposeB, m, n, k, a, lda, b, ldb, bias, c, ldc);
        Run(operands, T.One, T.Zero, fused: true, activation, inSequence: false);
    }

    /// <summary>
    /// Whether A is packed, decided by the size of A. Measured on this project's benchmark machine (one
    /// thread, fully optimized code, float): the direct path wins while A fits comfortably in L2 — 256³
    /// (A = 256 KiB) 159 vs 145 GFLOP/s, 784×64·64×128 TN (196 KiB) 179 vs 133, 64×784·784×128 (196 KiB)
    /// 138 vs 99 — and packing wins once it does not: 512³ (1 MiB) 157 vs 136, 1024³ (4 MiB) 156 vs 104.
    /// The crossover is put at 512 KiB of A.
    /// </summary>
    internal static bool UsePacking<T>(int m, int k) =>
        (s_anyForcedPacking ? t_forcePacking : null) ?? ((long)m * k * Unsafe.SizeOf<T>() > PackingThresholdBytes);

    /// <summary>
    /// The width the m = 1 row kernel runs at: <paramref name="path"/>, narrowed (not below 128 bits)
    /// while one register already covers all n columns, so a short row is not left to the scalar tail.
    /// </summary>
    internal static VectorPath RowWidth<T>(VectorPath path, int n)
    {
        while (path > VectorPath.Vector128 && Lanes<T>(path) >= n)
        {
            path = (VectorPath)((int)path / 2);
        }

        return path;
    }

    private static int Lanes<T>(VectorPath path) => path == VectorPath.Scalar ? 1 : (int)path / 8 / Unsafe.SizeOf<T>();

    private static GemmOperands<T> Operands<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        ReadOnlySpan<T> bias, Span<T> c, int ldc)
        where T : unmanaged =>
        new()
        {
            A = ref MemoryMarshal.GetReference(a),
            B = ref MemoryMarshal.GetReference(b),
            C = ref MemoryMarshal.GetReference(c),
            Bias = ref bias.IsEmpty ? ref Unsafe.NullRef<T>() : ref MemoryMarshal.GetReference(bias),
            HasBias = !bias.IsEmpty,
            Lda = lda,
            Ldb = ldb,
            Ldc = ldc,
            M = m,
            N = n,
            K = k,
            TransposeA = transposeA == Transpose.Yes,
            TransposeB = transposeB == Transpose.Yes,
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyInOrder<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, bool inSequence)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        var operands = Operands(transposeA, transposeB, m, n, k, a, lda, b, ldb, [], c, ldc);
        Run(operands, alpha, beta, fused: false, default(IdentityOperator<T>), inSequence);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TActivation>(scoped in GemmOperands<T> g, T alpha, T beta, bool fused, TActivation activation, bool inSequence)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        if (g.M == 0 || g.N == 0)
        {
            return;
        }

        // Decided for the whole product before any split, so every part takes the same path.
        var rowVector = g.M == 1 && !g.TransposeB;
        var outerProduct = g.K == 1 && !g.TransposeB;
        var path = rowVector ? RowWidth<T>(SimdDispatch.Current, g.N)
            : outerProduct ? SimdDispatch.CurrentFor<T>(g.N)
            : SimdDispatch.Current;
        // One register of the full width, not of the row kernel's narrowed one: a row alone must sum
        // over k as it would inside a batch, where the tiles run at the full width.
        var plan = new GemmPlan(path, UsePacking<T>(g.M, g.K), rowVector, OneRegister: !inSequence && g.N <= Lanes<T>(SimdDispatch.Current));
        var pool = s_pool;
        var threads = pool is null ? 1 : (int)Math.Min(pool.Workers, Math.Max(1, (long)g.M * g.N * Math.Max(g.K, 1) / MinimumWorkPerThread));
        if (threads <= 1)
        {
            RunPart(g, alpha, beta, fused, activation, plan);
        }
        else
        {
            GemmThreads.Run(pool!, g, alpha, beta, fused, activation, plan, threads);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunPart<T, TActivation>(
        scoped in GemmOperands<T> g, T alpha, T beta, bool fused, TActivation activation, GemmPlan plan)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        switch (plan.Path)
        {
            case VectorPath.Vector512:
                RunPart<T, TActivation, Width512<T>, Vector512<T>>(g, alpha, beta, fused, activation, plan);
                break;
            case VectorPath.Vector256:
                RunPart<T, TActivation, Width256<T>, Vector256<T>>(g, alpha, beta, fused, activation, plan);
                break;
            case VectorPath.Vector128:
                RunPart<T, TActivation, Width128<T>, Vector128<T>>(g, alpha, beta, fused, activation, plan);
                break;
            default:
                RunPart<T, TActivation, ScalarWidth<T>, T>(g, alpha, beta, fused, activation, plan);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPart<T, TActivation, TWidth, TVector>(
        scoped in GemmOperands<T> g, T alpha, T beta, bool fused, TActivation activation, GemmPlan plan)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        if (plan.OneRegister)
        {
            GemmDriver.Run<T, TActivation, TWidth, TVector, OneRegister>(g, alpha, beta, fused, activation, plan);
        }
        else
        {
            GemmDriver.Run<T, TActivation, TWidth, TVector, TwoRegisters>(g, alpha, beta, fused, activation, plan);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Validate<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, ReadOnlySpan<T> c, int ldc)
    {
        // One test for the common case; the thorough checks (and their messages) stay out of line.
        if ((m | n | k) < 0 || (uint)transposeA > (uint)Transpose.Yes || (uint)transposeB > (uint)Transpose.Yes
            || !Fits(a.Length, transposeA == Transpose.No ? m : k, transposeA == Transpose.No ? k : m, lda)
            || !Fits(b.Length, transposeB == Transpose.No ? k : n, transposeB == Transpose.No ? n : k, ldb)
            || !Fits(c.Length, m, n, ldc))
        {
            ThrowInvalid(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        }
    }

    /// <summary>Whether a rows × columns matrix with row stride ld fits: ld ≥ max(1, columns) and (rows − 1)·ld + columns elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fits(int length, int rows, int columns, int ld) =>
        ld >= Math.Max(1, columns) && (rows == 0 || columns == 0 || length >= ((long)(rows - 1) * ld) + columns);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, ReadOnlySpan<T> c, int ldc)
    {
        Guard.NonNegative(m);
        Guard.NonNegative(n);
        Guard.NonNegative(k);
        CheckTranspose(transposeA, nameof(transposeA));
        CheckTranspose(transposeB, nameof(transposeB));
        CheckOperand(a, transposeA == Transpose.No ? m : k, transposeA == Transpose.No ? k : m, lda, nameof(a), nameof(lda));
        CheckOperand(b, transposeB == Transpose.No ? k : n, transposeB == Transpose.No ? n : k, ldb, nameof(b), nameof(ldb));
        CheckOperand(c, m, n, ldc, nameof(c), nameof(ldc));
    }

    private static void CheckTranspose(Transpose transpose, string name)
    {
        if (transpose is not (Transpose.No or Transpose.Yes))
        {
            throw new ArgumentOutOfRangeException(name, transpose, $"Expected {name} to be Transpose.No or Transpose.Yes.");
        }
    }

    /// <summary>A stored rows × columns matrix with row stride ld needs ld ≥ columns and (rows − 1)·ld + columns elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckOperand<T>(ReadOnlySpan<T> x, int rows, int columns, int ld, string name, string ldName)
    {
        if (ld < Math.Max(1, columns))
        {
            throw new ArgumentOutOfRangeException(ldName, ld, $"Expected {ldName} ≥ max(1, {columns}) (the stored row length of {name}).");
        }

        var required = rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * ld) + columns;
        if (x.Length < required)
        {
            throw new ArgumentException(
                $"Expected {name} ({rows} × {columns}, row stride {ldName} = {ld}) to hold at least {required} elements, but it has {x.Length}.", name);
        }
    }
}
