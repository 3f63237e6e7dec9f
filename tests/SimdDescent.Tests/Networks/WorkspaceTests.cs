using SimdDescent.Checking;
using SimdDescent.Networks;

namespace SimdDescent.Tests.Networks;

/// <summary>How generated networks and their workspaces behave: sharing, modes, errors and determinism.</summary>
public class WorkspaceTests
{
    [Fact]
    public void Many_threads_predict_at_once_through_their_own_workspaces()
    {
        var network = new EveryLayerNetwork();
        var inputs = RandomInputs(16 * 12, seed: 5);
        var expected = new float[16 * 5];
        network.Predict(inputs, expected, 16);

        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var workspace = network.CreateWorkspace();
            var outputs = new float[16 * 5];
            for (var repeat = 0; repeat < 50; repeat++)
            {
                workspace.Predict(inputs, outputs, 16);
            }

            results[t] = outputs;
        });

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Predict_writes_the_logits_forward_computed_in_inference_mode()
    {
        var network = new MultiLabelNetwork();
        var inputs = Array.ConvertAll(RandomInputs(4 * 6, seed: 2), v => (double)v);
        var targets = new double[4 * 2];
        var logits = new double[4 * 2];
        network.Predict(inputs, logits, 4);

        // The BCE loss of those logits, computed here from its definition, is what Forward returns.
        var expected = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            expected += Math.Log(1 + Math.Exp(logits[i]));
        }

        Assert.Equal(expected / logits.Length, network.Forward(inputs, targets, 4), 12);
    }

    [Fact]
    public void Dropout_is_active_in_training_and_off_in_inference()
    {
        var network = new EveryLayerNetwork();
        var inputs = RandomInputs(16 * 12, seed: 8);
        var labels = new int[16];

        network.IsTraining = false;
        var inference1 = network.Forward(inputs, labels, 16);
        var inference2 = network.Forward(inputs, labels, 16);
        network.IsTraining = true;
        var training1 = network.Forward(inputs, labels, 16);
        var training2 = network.Forward(inputs, labels, 16);

        Assert.Equal(inference1, inference2);
        Assert.NotEqual(inference1, training1);
        Assert.NotEqual(training1, training2); // a fresh mask every training step
    }

    [Fact]
    public void Two_networks_with_the_same_seed_train_identically()
    {
        var a = new EveryLayerNetwork();
        var b = new EveryLayerNetwork();
        var inputs = RandomInputs(16 * 12, seed: 1);
        var labels = Enumerable.Range(0, 16).Select(i => i % 5).ToArray();

        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        Assert.Equal(a.Forward(inputs, labels, 16), b.Forward(inputs, labels, 16));
        a.Backward();
        b.Backward();
        Assert.Equal(a.Gradients.ToArray(), b.Gradients.ToArray());

        b.Initialize(99);
        Assert.NotEqual(a.Parameters.ToArray(), b.Parameters.ToArray());
    }

    [Fact]
    public void Initialization_follows_the_declared_scheme()
    {
        var network = new EveryLayerNetwork();
        var parameters = network.Parameters.ToArray();

        // layer0: ReLU → He uniform, limit √(6/12); layer3: GELU → He, √(6/32); layer5 before a softmax → Glorot √(6/(16+5)).
        AssertUniform(parameters, network.Tensors.Single(t => t.Name == "layer0.weight"), Math.Sqrt(6.0 / 12));
        AssertUniform(parameters, network.Tensors.Single(t => t.Name == "layer3.weight"), Math.Sqrt(6.0 / 32));
        AssertUniform(parameters, network.Tensors.Single(t => t.Name == "layer5.weight"), Math.Sqrt(6.0 / 21));
        var gamma = network.Tensors.Single(t => t.Name == "layer1.weight");
        Assert.All(parameters.AsSpan(gamma.Offset, gamma.Length).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(network.Tensors.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)),
            t => Assert.All(parameters.AsSpan(t.Offset, t.Length).ToArray(), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void Input_gradients_are_computed_only_on_request()
    {
        var network = new MultiLabelNetwork();
        var inputs = Array.ConvertAll(RandomInputs(3 * 6, seed: 4), v => (double)v);
        var targets = new double[3 * 2];
        network.Forward(inputs, targets, 3);
        network.Backward();
        Assert.True(network.DefaultWorkspace.InputGradients.IsEmpty);

        network.DefaultWorkspace.ComputeInputGradients = true;
        network.Forward(inputs, targets, 3);
        network.Backward();
        Assert.Equal(3 * 6, network.DefaultWorkspace.InputGradients.Length);
        Assert.Contains(network.DefaultWorkspace.InputGradients.ToArray(), g => g != 0);
    }

    [Fact]
    public void Misuse_throws_with_a_message_that_says_what_was_expected()
    {
        var network = new EveryLayerNetwork();
        var inputs = new float[16 * 12];

        Assert.Contains("Forward", Assert.Throws<InvalidOperationException>(network.Backward).Message, StringComparison.Ordinal);
        Assert.Contains("1 to 16", Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(inputs, new int[17], 17)).Message, StringComparison.Ordinal);
        Assert.Contains("12", Assert.Throws<ArgumentException>(() => network.Forward(inputs.AsSpan(0, 11), new int[1], 1)).Message, StringComparison.Ordinal);
        Assert.Contains("label", Assert.Throws<ArgumentException>(() => network.Forward(inputs, new int[3], 4)).Message, StringComparison.Ordinal);
        Assert.Contains("integer class labels", Assert.Throws<NotSupportedException>(() => ((INetwork<float>)network).Workspace.Forward(inputs, new float[5], 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => network.Predict(inputs, new float[4], 1));

        var regression = new LinearRegression();
        Assert.Contains("real-valued targets", Assert.Throws<NotSupportedException>(() => regression.DefaultWorkspace.Forward(new double[10], new int[1], 1)).Message, StringComparison.Ordinal);
        Assert.Contains("target", Assert.Throws<ArgumentException>(() => regression.Forward(new double[20], new double[1], 2)).Message, StringComparison.Ordinal);

        network.Predict(inputs, new float[5], 1);
        Assert.Throws<InvalidOperationException>(network.Backward); // Predict leaves no loss gradient
    }

    [Fact]
    public void The_test_projects_networks_pass_the_gradient_check()
    {
        var network = new MultiLabelNetwork();
        var inputs = Array.ConvertAll(RandomInputs(5 * 6, seed: 6), v => (double)v);
        var targets = new double[] { 0, 1, 1, 0, 0.5, 0.5, 1, 1, 0, 0 };
        var report = GradientChecker.Check<double>(network, inputs, targets, 5);
        Assert.True(report.Passed, report.ToString());
        Assert.True(report.BackwardIsDeterministic);
    }

    private static void AssertUniform(float[] parameters, TensorInfo tensor, double limit)
    {
        var values = parameters.AsSpan(tensor.Offset, tensor.Length).ToArray();
        Assert.All(values, v => Assert.InRange(v, -limit, limit));

        // A uniform sample spreads to most of its range.
        Assert.True(values.Max() > limit * 0.7 && values.Min() < -limit * 0.7, $"{tensor.Name}: range [{values.Min()}, {values.Max()}] for limit {limit}");
    }

    private static float[] RandomInputs(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
