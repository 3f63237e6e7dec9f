using System.Text;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Tests.Networks;
using static SimdDescent.Tests.IO.Safetensors.SafetensorsBytes;

namespace SimdDescent.Tests.IO.Checkpoints;

/// <summary>PyTorch writes BatchNorm's num_batches_tracked as I64: weights files it wrote load into a float network.</summary>
public sealed class PyTorchCountTests
{
    /// <summary>
    /// The file <see cref="NetworkCheckpoint.Save"/> writes, reassembled by hand with every tensor F32 except
    /// <paramref name="integerTensor"/>, stored as I64 holding <paramref name="count"/>, as torch's state_dict holds it.
    /// </summary>
    private static void RewriteWithInteger(string path, string integerTensor, long count)
    {
        var header = new StringBuilder("{");
        var data = new List<byte>();
        using (var file = SafetensorsFile.Open(path))
        {
            foreach (var tensor in file.Tensors)
            {
                var bytes = tensor.Name == integerTensor
                    ? Little(Enumerable.Repeat(count, (int)tensor.ElementCount).ToArray())
                    : Little(Floats(file, tensor));
                header.Append($"\"{tensor.Name}\":{{\"dtype\":\"{(tensor.Name == integerTensor ? "I64" : "F32")}\",\"shape\":[{string.Join(",", tensor.Shape.ToArray())}],\"data_offsets\":[{data.Count},{data.Count + bytes.Length}]}},");
                data.AddRange(bytes);
            }
        }

        header[^1] = '}';
        File.WriteAllBytes(path, Assemble(header.ToString(), [.. data]));
    }

    private static float[] Floats(SafetensorsFile file, SafetensorsTensorInfo tensor)
    {
        var values = new float[tensor.ElementCount];
        file.CopyTo(tensor.Name, values.AsSpan());
        return values;
    }

    private static SmallCnn Trained()
    {
        var network = new SmallCnn();
        network.Initialize(3);
        for (var i = 0; i < network.Statistics.Length; i++)
        {
            network.Statistics[i] = 0.25f + (i * 0.5f);
        }

        return network;
    }

    [Fact]
    public void An_I64_num_batches_tracked_loads_as_its_value_with_every_other_tensor_unchanged()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("torch.safetensors");
        var saved = Trained();
        NetworkCheckpoint.Save(saved, path);
        RewriteWithInteger(path, "1.num_batches_tracked", 938);

        var loaded = new SmallCnn();
        NetworkCheckpoint.Load(loaded, path);

        var count = saved.StatisticTensors.Single(t => t.PyTorchName == "1.num_batches_tracked");
        var expected = saved.Statistics.ToArray();
        expected[count.Offset] = 938f;
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(expected, loaded.Statistics.ToArray());
    }

    [Theory]
    [InlineData("1.running_mean", "tensor '1.running_mean' is I64 [8]; expected F32 [8]")]
    [InlineData("0.weight", "tensor '0.weight' is I64 [8, 3, 3, 3]; expected F32 [8, 3, 3, 3]")]
    public void Integers_where_PyTorch_keeps_floats_are_rejected_and_change_nothing(string tensor, string expected)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("torch.safetensors");
        NetworkCheckpoint.Save(Trained(), path);
        RewriteWithInteger(path, tensor, 1);
        var network = new SmallCnn();
        network.Initialize(9);
        var before = network.Parameters.ToArray();
        var statistics = network.Statistics.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(network, path));

        Assert.Contains(expected, error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(statistics, network.Statistics.ToArray());
    }
}
