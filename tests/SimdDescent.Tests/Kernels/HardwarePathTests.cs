using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using SimdDescent.Kernels;

namespace SimdDescent.Tests.Kernels;

/// <summary>
/// The default path on real hardware: these run where the ISA exists (the ARM64 CI leg under QEMU, an
/// AVX-512 machine) and skip, saying why, elsewhere.
/// </summary>
public sealed class HardwarePathTests
{
    [Fact]
    public void Neon_machines_run_the_128_bit_path_in_hardware()
    {
        Assert.SkipUnless(AdvSimd.Arm64.IsSupported, "needs ARM64 with AdvSimd (NEON)");
        Assert.True(Vector128.IsHardwareAccelerated);
        Assert.Equal(VectorPath.Vector128, SimdDispatch.Hardware);
        AssertDefaultPathMatchesScalar();
    }

    [Fact]
    public void Avx512_machines_run_the_512_bit_path_in_hardware()
    {
        Assert.SkipUnless(Avx512F.IsSupported && Vector512.IsHardwareAccelerated, "needs AVX-512 enabled in the runtime");
        Assert.Equal(VectorPath.Vector512, SimdDispatch.Hardware);
        AssertDefaultPathMatchesScalar();
    }

    [Fact]
    public void Avx2_machines_run_the_256_bit_path_in_hardware()
    {
        Assert.SkipUnless(Avx2.IsSupported && Fma.IsSupported && !Vector512.IsHardwareAccelerated, "needs AVX2 + FMA without AVX-512");
        Assert.Equal(VectorPath.Vector256, SimdDispatch.Hardware);
        AssertDefaultPathMatchesScalar();
    }

    private static void AssertDefaultPathMatchesScalar()
    {
        var x = Enumerable.Range(0, 1001).Select(i => MathF.Sin(i) * 30).ToArray();
        var vector = new float[x.Length];
        var scalar = new float[x.Length];
        SimdMath.Exp<float>(x, vector);
        using (SimdDispatch.Force(VectorPath.Scalar))
        {
            SimdMath.Exp<float>(x, scalar);
        }

        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(scalar[i], vector[i], MathF.Abs(scalar[i]) * 3e-7f);
        }
    }
}
