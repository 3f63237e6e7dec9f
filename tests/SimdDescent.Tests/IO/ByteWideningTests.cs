using SimdDescent.IO;
using SimdDescent.Kernels;

namespace SimdDescent.Tests.IO;

public sealed class ByteWideningTests
{
    public static TheoryData<VectorPath, int> PathsAndLengths =>
        [.. from path in new[] { VectorPath.Scalar, VectorPath.Vector128 }
            from length in Enumerable.Range(0, 50).Concat([255, 256, 1000, 4099])
            select (path, length)];

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void Every_byte_becomes_the_same_value_as_float_int_and_double(VectorPath path, int length)
    {
        using var forced = SimdDispatch.Force(path);
        var source = Enumerable.Range(0, length).Select(i => (byte)((i * 37) + (i / 256))).ToArray();
        var floats = new float[length + 1];
        var ints = new int[length + 1];
        var doubles = new double[length];
        floats[^1] = -1;
        ints[^1] = -1;

        ByteWidening.Widen(source, floats.AsSpan());
        ByteWidening.Widen(source, ints.AsSpan());
        ByteWidening.Widen(source, doubles.AsSpan());

        for (var i = 0; i < length; i++)
        {
            Assert.Equal(source[i], floats[i]);
            Assert.Equal(source[i], ints[i]);
            Assert.Equal(source[i], doubles[i]);
        }

        Assert.Equal(-1, floats[^1]);
        Assert.Equal(-1, ints[^1]);
    }

    [Fact]
    public void The_extremes_0_and_255_survive()
    {
        var source = Enumerable.Repeat((byte)255, 16).Concat(Enumerable.Repeat((byte)0, 16)).ToArray();
        var floats = new float[32];

        ByteWidening.Widen(source, floats.AsSpan());

        Assert.Equal(Enumerable.Repeat(255f, 16).Concat(Enumerable.Repeat(0f, 16)), floats);
    }
}
