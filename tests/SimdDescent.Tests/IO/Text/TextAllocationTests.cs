using SimdDescent.IO.Text;
using SimdDescent.Kernels;
using SimdDescent.Randomness;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.IO.Text;

[Collection(nameof(AllocationMeasurementCollection))]
public sealed class TextAllocationTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Batches_span_tokenization_and_streamed_tokens_allocate_nothing(VectorPath path)
    {
        using var forced = SimdDispatch.Force(path);
        var text = ShippedText.Bytes();
        var windows = new TextWindows(text, 128);
        var random = new SplitMix64(4);
        var inputs = new int[16 * 128];
        var targets = new int[16 * 128];
        var bytes = new byte[inputs.Length];
        var writer = new TokenTextWriter(TextWriter.Null);
        Run();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            windows.Sample(ref random, 16, inputs, targets);
            windows.CopySequential(0, 16, inputs, targets);
            ByteTokenizer.Decode(inputs, bytes);
            ByteTokenizer.Encode(bytes, targets);
            foreach (var token in "ab\u00e9\u2014\n"u8)
            {
                writer.Write(token);
            }
        }
    }
}
