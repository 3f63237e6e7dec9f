using System.Globalization;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Training.Data;
using Spectre.Console;

namespace SimdDescent.Cli.Output;

/// <summary>Loss, accuracy and the confusion matrix of a classifier on a data set, computed in batches of MaxBatch rows.</summary>
internal sealed class ClassificationReport
{
    private ClassificationReport(double loss, int[,] confusion, int count)
    {
        Loss = loss;
        Confusion = confusion;
        Count = count;
    }

    public double Loss { get; }

    /// <summary>Rows are true classes, columns predicted ones.</summary>
    public int[,] Confusion { get; }

    public int Count { get; }

    public double Accuracy => (double)Enumerable.Range(0, Confusion.GetLength(0)).Sum(c => Confusion[c, c]) / Count;

    public static ClassificationReport Compute(INetwork<float> network, DataSet<float> data)
    {
        var workspace = network.CreateWorkspace();
        workspace.IsTraining = false;
        var classes = network.OutputWidth;
        var outputs = new float[network.MaxBatch * classes];
        var gradient = new float[network.MaxBatch * classes];
        var predicted = new int[network.MaxBatch];
        var confusion = new int[classes, classes];
        var lossSum = 0.0;
        for (var first = 0; first < data.Count; first += network.MaxBatch)
        {
            var rows = Math.Min(network.MaxBatch, data.Count - first);
            var labels = data.LabelRows(first, rows);
            for (var r = 0; r < rows; r++)
            {
                if ((uint)labels[r] >= (uint)classes)
                {
                    throw new UserError($"Row {first + r} has label {labels[r]}, but the network has {classes} classes.");
                }
            }

            // One inference pass gives both: the loss is softmax cross-entropy of the logits Predict returns.
            var logits = outputs.AsSpan(0, rows * classes);
            workspace.Predict(data.InputRows(first, rows), logits, rows);
            lossSum += Losses.SoftmaxCrossEntropy<float>(logits, labels, gradient.AsSpan(0, rows * classes), rows, classes) * (double)rows;
            Reductions.ArgMaxRows<float>(logits, predicted.AsSpan(0, rows), rows, classes);
            for (var r = 0; r < rows; r++)
            {
                confusion[labels[r], predicted[r]]++;
            }
        }

        return new ClassificationReport(lossSum / data.Count, confusion, data.Count);
    }

    /// <summary>The confusion matrix with per-class recall and precision.</summary>
    public Table ToTable(IReadOnlyList<string> classNames)
    {
        var classes = Confusion.GetLength(0);
        var table = new Table().Title("confusion matrix (rows: true class, columns: predicted)");
        table.AddColumn("class");
        for (var c = 0; c < classes; c++)
        {
            table.AddColumn(new TableColumn(c.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        table.AddColumn(new TableColumn("recall").RightAligned());
        table.AddColumn(new TableColumn("precision").RightAligned());
        for (var t = 0; t < classes; t++)
        {
            var cells = new List<string> { Markup.Escape(ClassLabels.Label(t, classNames)) };
            var rowTotal = 0;
            var columnTotal = 0;
            for (var p = 0; p < classes; p++)
            {
                cells.Add(Confusion[t, p].ToString(CultureInfo.InvariantCulture));
                rowTotal += Confusion[t, p];
                columnTotal += Confusion[p, t];
            }

            cells.Add(Ratio(Confusion[t, t], rowTotal));
            cells.Add(Ratio(Confusion[t, t], columnTotal));
            table.AddRow(cells.ToArray());
        }

        return table;
    }

    public string Summary => string.Create(CultureInfo.InvariantCulture, $"test loss: {Loss:F4}{Environment.NewLine}test accuracy: {Accuracy:F4} ({Count} rows)");

    private static string Ratio(int numerator, int denominator) =>
        denominator == 0 ? "-" : ((double)numerator / denominator).ToString("F3", CultureInfo.InvariantCulture);
}
