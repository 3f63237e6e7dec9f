using SimdDescent.Training.Progress;

namespace SimdDescent.Cli.Output;

/// <summary>Writes the loss and accuracy curves of a run to a PNG: losses on the left axis, accuracy on the right.</summary>
internal static class CurvePlot
{
    public static void Save(string path, string title, IReadOnlyList<EpochProgress> history)
    {
        var epochs = history.Select(h => (double)(h.Epoch + 1)).ToArray();
        var plot = new ScottPlot.Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");

        var training = plot.Add.Scatter(epochs, history.Select(h => h.TrainingLoss).ToArray());
        training.LegendText = "training loss";
        var test = plot.Add.Scatter(epochs, history.Select(h => h.ValidationLoss).ToArray());
        test.LegendText = "test loss";

        var accuracy = plot.Add.Scatter(epochs, history.Select(h => h.ValidationAccuracy).ToArray());
        accuracy.LegendText = "test accuracy";
        accuracy.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "accuracy";

        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plot.SavePng(path, 900, 540);
    }
}
