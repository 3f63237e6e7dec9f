using System.Collections.Immutable;
using System.Numerics;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;

namespace SimdDescent.Tests.IO.Checkpoints;

public sealed class NetworkCheckpointTests
{
    /// <summary>
    /// Just an arena and its tensor table, laid out as a 3-2-1 perceptron with one padding element: dense weights
    /// [in, out] as the generator lays them out, PyTorch names as nn.Sequential(Linear(3, 2), ReLU(), Linear(2, 1)) has them.
    /// </summary>
    private sealed class ArenaOnlyNetwork<T> : INetwork<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly T[] _arena = new T[12];

        public IReadOnlyList<TensorInfo> Tensors { get; } =
        [
            new("layer0.weight", 0, [3, 2]) { PyTorchName = "0.weight" },
            new("layer0.bias", 6, [2]) { PyTorchName = "0.bias" },
            new("layer1.weight", 8, [2, 1]) { PyTorchName = "2.weight" },
            new("layer1.bias", 10, [1]) { PyTorchName = "2.bias" },
        ];

        public IReadOnlyList<LayerInfo> Layers =>
        [
            new(LayerKind.Dense, 3, 2) { Activation = Activation.Relu, Weight = Tensors[0], Bias = Tensors[1] },
            new(LayerKind.Dense, 2, 1) { Weight = Tensors[2], Bias = Tensors[3] },
        ];

        public int InputWidth => 3;

        public int OutputWidth => 1;

        public int MaxBatch => 1;

        public TargetKind TargetKind => TargetKind.Values;

        public int ParameterCount => 11;

        public Span<T> Parameters => _arena.AsSpan(0, ParameterCount);

        public INetworkWorkspace<T> Workspace => throw new NotSupportedException();

        public INetworkWorkspace<T> CreateWorkspace() => throw new NotSupportedException();

        public void Initialize(ulong seed)
        {
            for (var i = 0; i < ParameterCount; i++)
            {
                _arena[i] = T.CreateTruncating((seed * 100) + (ulong)i);
            }
        }
    }

    [Fact]
    public void Save_then_Load_restores_every_parameter_and_the_metadata()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("mlp.safetensors");
        var saved = new ArenaOnlyNetwork<float>();
        saved.Initialize(7);

        NetworkCheckpoint.Save(saved, path, [new("epoch", "3")]);
        var loaded = new ArenaOnlyNetwork<float>();
        var metadata = NetworkCheckpoint.Load(loaded, path);

        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal("3", metadata["epoch"]);
    }

    [Fact]
    public void The_file_holds_each_tensor_under_its_name_shape_and_dtype()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("mlp.safetensors");
        var network = new ArenaOnlyNetwork<double>();
        network.Initialize(1);

        NetworkCheckpoint.Save(network, path);

        using var file = SafetensorsFile.Open(path);
        file.Verify(
        [
            new("0.weight", SafetensorsDType.F64, [2, 3]),
            new("0.bias", SafetensorsDType.F64, [2]),
            new("2.weight", SafetensorsDType.F64, [1, 2]),
            new("2.bias", SafetensorsDType.F64, [1]),
        ]);
        var bias = new double[2];
        file.CopyTo("0.bias", bias.AsSpan());
        Assert.Equal([106.0, 107.0], bias);

        // PyTorch's Linear weight is [out, in]: element (o, i) is the arena's [in, out] element i * 2 + o.
        var weight = new double[6];
        file.CopyTo("0.weight", weight.AsSpan());
        var arena = network.Parameters;
        for (var o = 0; o < 2; o++)
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(arena[(i * 2) + o], weight[(o * 3) + i]);
            }
        }
    }

    [Fact]
    public void Loading_a_checkpoint_of_another_type_or_architecture_fails_and_changes_nothing()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("mlp.safetensors");
        NetworkCheckpoint.Save(new ArenaOnlyNetwork<double>(), path);
        var network = new ArenaOnlyNetwork<float>();
        network.Initialize(5);
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(network, path));

        Assert.Contains("tensor '0.weight' is F64 [2, 3]; expected F32 [2, 3]", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());

        new SafetensorsWriter().Add("0.weight", [2, 3], new float[6]).Save(path);
        error = Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(network, path));
        Assert.Contains("missing tensor '2.bias' (F32 [1])", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData("2.weight", 1, double.NaN, "tensor '2.weight' holds NaN at index 1 (element [0, 1] of shape [1, 2])")]
    [InlineData("0.weight", 4, double.NegativeInfinity, "tensor '0.weight' holds -Infinity at index 4 (element [1, 1] of shape [2, 3])")]
    [InlineData("0.bias", 0, double.PositiveInfinity, "tensor '0.bias' holds Infinity at index 0 (element [0] of shape [2])")]
    public void Weights_holding_a_NaN_or_infinity_are_rejected_with_the_tensor_and_element_and_change_nothing(string tensor, int index, double value, string expected)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("diverged.safetensors");
        var writer = new SafetensorsWriter();
        foreach (var (name, shape) in new[] { ("0.weight", new[] { 2, 3 }), ("0.bias", [2]), ("2.weight", [1, 2]), ("2.bias", [1]) })
        {
            var data = new double[shape.Aggregate(1, (a, b) => a * b)];
            data[name == tensor ? index : 0] = name == tensor ? value : 0.5;
            writer.Add(name, shape, data);
        }

        writer.Save(path);
        var network = new ArenaOnlyNetwork<double>();
        network.Initialize(5);
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(network, path));

        Assert.Contains($"'{path}': {expected}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }
}
