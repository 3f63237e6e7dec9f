using FsCheck;
using FsCheck.Xunit;
using SimdDescent.IO.Preprocessing;
using SimdDescent.IO.Safetensors;

namespace SimdDescent.Tests.IO.Safetensors;

/// <summary>
/// Damaged files must be either read consistently or rejected with <see cref="InvalidDataException"/>:
/// never another exception, never a hang.
/// </summary>
public sealed class SafetensorsMutationProperties
{
    private static readonly string[] s_names = ["0.weight", "0.bias", "2.weight", "2.bias", "x", "__meta", "ü"];

    /// <summary>A valid file of a few small tensors of random dtype and shape, chosen by the seed.</summary>
    private static byte[] ValidFile(int seed)
    {
        var random = new SplitMix64((ulong)seed);
        var writer = new SafetensorsWriter();
        var tensorCount = random.NextInt32(4);
        for (var t = 0; t < tensorCount; t++)
        {
            var shape = new int[random.NextInt32(4)];
            var count = 1;
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = random.NextInt32(4);
                count *= shape[d];
            }

            var name = s_names[t];
            if (random.NextInt32(2) == 0)
            {
                writer.Add(name, shape, Enumerable.Range(0, count).Select(i => i * 0.5f).ToArray());
            }
            else
            {
                writer.Add(name, shape, Enumerable.Range(0, count).Select(i => -i * 0.25).ToArray());
            }
        }

        if (random.NextInt32(2) == 0)
        {
            writer.AddMetadata("format", "pt");
        }

        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Flips, truncates, inserts or deletes bytes anywhere (kinds 0–3), or inside the JSON header with the
    /// length prefix adjusted to match (kinds 4–7), so that damage also reaches the header parser and the
    /// offset checks rather than being caught by the length prefix alone.
    /// </summary>
    private static byte[] Mutate(byte[] file, int kind, int position, int length, byte value)
    {
        var bytes = file.ToList();
        var withinHeader = kind % 8 >= 4;
        var headerLength = (int)BitConverter.ToUInt64(file, 0);
        var at = withinHeader ? 8 + (position % headerLength) : position % (file.Length + 1);
        var count = 1 + (length % 16);
        var change = 0;
        switch (kind % 4)
        {
            case 0 when at < bytes.Count:
                bytes[at] ^= (byte)(value | 1);
                break;
            case 1:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 2:
                bytes.InsertRange(at, Enumerable.Repeat(value, count));
                change = count;
                break;
            case 3:
                count = Math.Min(count, withinHeader ? 8 + headerLength - at : bytes.Count - at);
                bytes.RemoveRange(at, count);
                change = -count;
                break;
        }

        if (withinHeader && kind % 4 != 1)
        {
            var prefix = BitConverter.GetBytes((ulong)(headerLength + change));
            for (var i = 0; i < 8; i++)
            {
                bytes[i] = prefix[i];
            }
        }

        return [.. bytes];
    }

    /// <summary>Reads everything; if the reader accepts the file, its description must hold together.</summary>
    private static void ReadConsistentlyOrReject(byte[] bytes)
    {
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Read(new MemoryStream(bytes), "mutated");
        }
        catch (InvalidDataException)
        {
            return;
        }

        using (file)
        {
            var headerLength = (long)BitConverter.ToUInt64(bytes, 0);
            var expectedOffset = 0L;
            foreach (var tensor in file.Tensors)
            {
                Assert.Equal(expectedOffset, tensor.DataOffset);
                var product = 1L;
                foreach (var size in tensor.Shape)
                {
                    product *= size;
                }

                Assert.Equal(product, tensor.ElementCount);
                expectedOffset += tensor.ByteLength;
                if (tensor.DType == SafetensorsDType.F32)
                {
                    file.CopyTo(tensor.Name, tensor.Shape, new float[tensor.ElementCount].AsSpan());
                }
                else
                {
                    file.CopyTo(tensor.Name, tensor.Shape, new double[tensor.ElementCount].AsSpan());
                }
            }

            Assert.Equal(bytes.Length - 8 - headerLength, expectedOffset);
            Assert.Equal(file.Tensors.Count, file.Tensors.Select(t => t.Name).Distinct().Count());
        }
    }

    [Property(MaxTest = 1000)]
    public void A_mutated_file_is_read_consistently_or_rejected_with_InvalidDataException(
        int seed, byte kind, NonNegativeInt position, NonNegativeInt length, byte value)
    {
        var bytes = Mutate(ValidFile(seed), kind, position.Get, length.Get, value);

        var reading = Task.Run(() => ReadConsistentlyOrReject(bytes));

        Assert.True(reading.Wait(TimeSpan.FromSeconds(10)), "reading a mutated file did not finish within 10 s");
    }

    [Property(MaxTest = 200)]
    public void Unmutated_files_always_read(int seed)
    {
        var bytes = ValidFile(seed);

        SafetensorsFile.Read(new MemoryStream(bytes), "valid").Dispose();
        ReadConsistentlyOrReject(bytes);
    }

    [Fact]
    public void Mutations_really_produce_rejected_files()
    {
        // Guards the property above against a mutator that never damages anything.
        var valid = ValidFile(3);
        var rejected = 0;
        for (var position = 0; position < valid.Length; position++)
        {
            try
            {
                SafetensorsFile.Read(new MemoryStream(Mutate(valid, 1, position, 0, 0)), "cut").Dispose();
            }
            catch (InvalidDataException)
            {
                rejected++;
            }
        }

        Assert.Equal(valid.Length, rejected);
    }
}
