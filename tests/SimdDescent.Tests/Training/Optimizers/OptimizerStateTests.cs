using System.Collections.Immutable;
using SimdDescent.Networks;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training.Optimizers;

public sealed class OptimizerStateTests
{
    private static readonly TensorInfo[] Tensors =
    [
        new("a.weight", 0, ImmutableArray.Create(3, 4)),
        new("a.bias", 12, ImmutableArray.Create(4)),
        new("b.weight", 16, ImmutableArray.Create(4, 5)),
    ];

    [Fact]
    public void Saved_state_restores_bitwise()
    {
        var (parameters, gradients) = Problem(36);
        var optimizer = new Adam<float>(36, new AdamOptions { AmsGrad = true, LearningRate = 0.01 });
        for (var i = 0; i < 3; i++)
        {
            optimizer.Step(parameters, gradients[i]);
        }

        var snapshot = optimizer.SaveState();
        var saved = (float[])parameters.Clone();
        optimizer.Step(parameters, gradients[3]);
        optimizer.Step(parameters, gradients[4]);
        var expected = (float[])parameters.Clone();

        optimizer.RestoreState(snapshot);
        Assert.Equal(3, optimizer.StepCount);
        saved.CopyTo(parameters, 0);
        optimizer.Step(parameters, gradients[3]);
        optimizer.Step(parameters, gradients[4]);

        Assert.Equal(expected, parameters);
    }

    [Fact]
    public void A_snapshot_moves_state_between_optimizers_of_one_kind()
    {
        var (parameters, gradients) = Problem(36);
        var source = new Sgd<double>(36, new SgdOptions { Momentum = 0.9, LearningRate = 0.1 });
        source.Step(parameters.Select(p => (double)p).ToArray(), gradients[0].Select(g => (double)g).ToArray());

        var copy = new Sgd<double>(36, new SgdOptions { Momentum = 0.9, LearningRate = 0.1 });
        var snapshot = source.SaveState();
        copy.RestoreState(snapshot);

        Assert.Equal(("Sgd", 1L), (snapshot.Kind, snapshot.StepCount));
        Assert.Equal(["momentum_buffer"], snapshot.StateNames);
        Assert.Equal(1, copy.StepCount);
        var p1 = parameters.Select(p => (double)p).ToArray();
        var p2 = (double[])p1.Clone();
        source.Step(p1, gradients[1].Select(g => (double)g).ToArray());
        copy.Step(p2, gradients[1].Select(g => (double)g).ToArray());

        Assert.Equal(p1, p2);
        Assert.Throws<ArgumentException>(() => source.GetState("exp_avg"));
    }

    [Fact]
    public void Groups_get_their_own_learning_rate_and_weight_decay()
    {
        var layout = ParameterLayout.FromTensors(Tensors, 36, new ParameterGroup("a.bias", "b.weight") { LearningRate = 0.01, WeightDecay = 0.5 });
        var optimizer = new Sgd<double>(layout, new SgdOptions { LearningRate = 0.1 });
        var parameters = Enumerable.Range(0, 36).Select(i => i / 10.0).ToArray();
        var gradients = Enumerable.Range(0, 36).Select(i => 1 - (i / 20.0)).ToArray();
        var expected = parameters.Select((p, i) => i < 12 ? p - (0.1 * gradients[i]) : p - (0.01 * (gradients[i] + (0.5 * p)))).ToArray();

        optimizer.Step(parameters, gradients);

        Assert.Equal(expected, parameters, (e, a) => Math.Abs(e - a) < 1e-15);
        Assert.Equal(["default", "a.bias,b.weight"], optimizer.Groups.Select(g => g.Name));
    }

    [Fact]
    public void Frozen_groups_keep_parameters_and_state()
    {
        var layout = ParameterLayout.FromTensors(Tensors, 36, new ParameterGroup("a.bias") { IsFrozen = true });
        var optimizer = new Adam<double>(layout, new AdamOptions());
        var parameters = new double[36];
        optimizer.Step(parameters, Enumerable.Repeat(1.0, 36).ToArray());

        Assert.All(parameters.AsSpan(12, 4).ToArray(), p => Assert.Equal(0, p));
        Assert.All(optimizer.GetState("exp_avg").Slice(12, 4).ToArray(), m => Assert.Equal(0, m));
        Assert.All(parameters.AsSpan(0, 12).ToArray(), p => Assert.True(p < 0));
        Assert.All(parameters.AsSpan(16).ToArray(), p => Assert.True(p < 0));
    }

    [Fact]
    public void Bad_groups_are_rejected_with_a_message()
    {
        var unknown = Assert.Throws<ArgumentException>(() => ParameterLayout.FromTensors(Tensors, 36, new ParameterGroup("c.weight")));
        Assert.Contains("expected one of: a.weight, a.bias, b.weight", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ParameterLayout.FromTensors(Tensors, 36, new ParameterGroup("a.bias"), new ParameterGroup("a.bias")));
        Assert.Throws<ArgumentException>(() => ParameterLayout.FromTensors(Tensors, 30));
        var adam = new Adam<float>(36, new AdamOptions());
        Assert.Throws<ArgumentException>(() => adam.RestoreState(new Adam<float>(36, new AdamOptions { AmsGrad = true }).SaveState()));
    }

    [Fact]
    public void A_snapshot_of_another_kind_or_a_negative_step_count_is_rejected_and_nothing_changes()
    {
        var adam = new Adam<float>(36, new AdamOptions());
        var adamW = new AdamW<float>(36, new AdamWOptions());
        adamW.Step(new float[36], Enumerable.Repeat(1f, 36).ToArray());

        var kind = Assert.Throws<ArgumentException>(() => adam.RestoreState(adamW.SaveState()));
        Assert.Throws<ArgumentException>(() => adam.RestoreState(adam.SaveState() with { StepCount = -1 }));

        Assert.Contains("Expected a Adam snapshot", kind.Message, StringComparison.Ordinal);
        Assert.Contains("got a AdamW one", kind.Message, StringComparison.Ordinal);
        Assert.Equal(0, adam.StepCount);
        Assert.All(adam.GetState("exp_avg").ToArray(), m => Assert.Equal(0f, m));
    }

    private static (float[] Parameters, float[][] Gradients) Problem(int n)
    {
        var random = new Random(3);
        var parameters = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        var gradients = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        return (parameters, gradients);
    }
}
