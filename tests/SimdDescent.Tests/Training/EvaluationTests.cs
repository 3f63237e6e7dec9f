using SimdDescent.Tests.Networks;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training;

public sealed class EvaluationTests
{
    [Fact]
    public void Evaluation_gives_the_training_forwards_loss_and_the_argmax_accuracy()
    {
        var network = new EveryLayerNetwork();
        network.Initialize(9);
        var random = new Random(4);
        const int rows = 37;
        var inputs = Enumerable.Range(0, rows * 12).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(5)).ToArray();
        var data = DataSet<float>.WithLabels(inputs, labels, 12);
        using var trainer = new Trainer<float>(network, new Sgd<float>(network.ParameterCount, new SgdOptions { LearningRate = 0.1 }), new TrainerOptions { BatchSize = 16 });

        var result = trainer.Evaluate(data);

        // Reference: the loss-computing forward in inference mode over the same batches of MaxBatch rows, and the largest logit of Predict.
        var workspace = network.CreateWorkspace();
        workspace.IsTraining = false;
        double loss = 0;
        var correct = 0;
        var logits = new float[5];
        for (var first = 0; first < rows; first += 16)
        {
            var count = Math.Min(16, rows - first);
            loss += workspace.Forward(inputs.AsSpan(first * 12, count * 12), labels.AsSpan(first, count), count) * (double)count;
            for (var r = first; r < first + count; r++)
            {
                workspace.Predict(inputs.AsSpan(r * 12, 12), logits, 1);
                correct += Array.IndexOf(logits, logits.Max()) == labels[r] ? 1 : 0;
            }
        }

        Assert.Equal(loss / rows, result.Loss, 1e-6);
        Assert.Equal((double)correct / rows, result.Accuracy);
        Assert.Equal(rows, result.Count);
    }
}
