using SimdDescent.Training.Progress;

namespace SimdDescent.Cli.Output;

/// <summary>Writes the curves of a run to a PNG: per epoch (losses on the left axis, accuracy on the right), or per step for a language model.</summary>
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

    /// <summary>The training loss of each step after <paramref name="firstStep"/> and the validation losses measured after some of them, in nats per byte.</summary>
    public static void SaveLosses(string path, string title, int firstStep, IReadOnlyList<double> stepLosses, IReadOnlyList<(int Step, double Loss)> validation)
    {
        var plot = new ScottPlot.Plot();
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("loss (nats/byte)");

        var training = plot.Add.Scatter(Enumerable.Range(firstStep + 1, stepLosses.Count).Select(s => (double)s).ToArray(), stepLosses.ToArray());
        training.LegendText = "training loss";
        training.MarkerSize = 0;
        var held = plot.Add.Scatter(validation.Select(v => (double)v.Step).ToArray(), validation.Select(v => v.Loss).ToArray());
        held.LegendText = "validation loss";

        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 540);
    }
}
