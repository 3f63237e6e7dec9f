using System.CommandLine;
using System.Globalization;
using SimdDescent.Cli.Architectures;
using SimdDescent.Cli.Data;
using SimdDescent.Cli.Output;
using SimdDescent.IO.Csv;
using SimdDescent.Kernels;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary><c>predict</c>: class probabilities for input rows from a CSV file or for one test row of a data set.</summary>
internal static class PredictCommand
{
    private const int MaxInputRows = 10_000;

    public static Command Create(IAnsiConsole console)
    {
        var weights = CommonOptions.RequiredFile("--weights", "The weights file (safetensors) written by train --output.");
        var input = new Option<string?>("--input", "-i") { Description = "A CSV file, one input row per line (features already scaled to [0, 1])." };
        var data = CommonOptions.DataOfWeights();
        var index = new Option<int>("--index") { Description = "Without --input: the test row of --data to classify.", DefaultValueFactory = _ => 0 };
        var architecture = CommonOptions.Architecture();
        var command = new Command("predict", "Print class probabilities for input rows.") { weights, input, data, index, architecture };
        command.SetAction(result =>
        {
            var file = WeightsFile.Open(result.GetValue(weights)!);
            float[] rows;
            int width;
            IReadOnlyList<string> classNames;
            var path = result.GetValue(input);
            if (path is not null)
            {
                (rows, width) = ReadCsv(path);
                classNames = [];
            }
            else
            {
                var loaded = LoadedData.Load(file.DataSet(result.GetValue(data)), file.Classes(null));
                var row = result.GetValue(index);
                if (row < 0 || row >= loaded.Test.Count)
                {
                    throw new UserError($"Expected --index in [0, {loaded.Test.Count - 1}], got {row}.");
                }

                rows = loaded.Test.InputRows(row, 1).ToArray();
                width = loaded.Test.InputWidth;
                classNames = loaded.ClassNames;
                console.WriteLine($"test row {row.ToString(CultureInfo.InvariantCulture)} of {loaded.Name}, true class {ClassLabels.Label(loaded.Test.Labels[row], classNames)}");
            }

            var (network, _) = file.Load(result.GetValue(architecture), width);
            var count = rows.Length / width;
            var classes = network.OutputWidth;
            var workspace = network.CreateWorkspace();
            var table = ProbabilityTable(classes);
            var logits = new float[network.MaxBatch * classes];
            var probabilities = new float[network.MaxBatch * classes];
            for (var first = 0; first < count; first += network.MaxBatch)
            {
                var batch = Math.Min(network.MaxBatch, count - first);
                workspace.Predict(rows.AsSpan(first * width, batch * width), logits.AsSpan(0, batch * classes), batch);
                Softmax.Forward<float>(logits.AsSpan(0, batch * classes), probabilities.AsSpan(0, batch * classes), batch, classes);
                for (var r = 0; r < batch; r++)
                {
                    var p = probabilities.AsSpan(r * classes, classes);
                    var cells = new List<string> { (first + r).ToString(CultureInfo.InvariantCulture) };
                    cells.AddRange(p.ToArray().Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));
                    cells.Add(Markup.Escape(ClassLabels.Label(Reductions.ArgMax<float>(p), classNames)));
                    table.AddRow(cells.ToArray());
                }
            }

            console.Write(table);
            if (ClassLabels.AnyNamed(classNames))
            {
                console.WriteLine("classes: " + string.Join(", ", Enumerable.Range(0, classes).Select(c => ClassLabels.Label(c, classNames))));
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// One row per input, one column per class headed by its index, and the predicted class. Three decimals and
    /// no borders keep ten classes, the row number and a named prediction within 80 columns; names go below.
    /// </summary>
    private static Table ProbabilityTable(int classes)
    {
        var table = new Table().Border(TableBorder.None).AddColumn(new TableColumn("row").PadLeft(0));
        for (var c = 0; c < classes; c++)
        {
            table.AddColumn(new TableColumn(c.ToString(CultureInfo.InvariantCulture)).RightAligned().PadLeft(0));
        }

        return table.AddColumn(new TableColumn("predicted").PadLeft(0));
    }

    private static (float[] Rows, int Width) ReadCsv(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"Input file '{path}' does not exist.");
        }

        // Bounded by what a network can use: rows as wide as the widest architecture's input (a float cell
        // takes at most about 16 characters; twice that leaves room for spaces), and a table's worth of rows.
        return CsvReader.ReadMatrix<float>(path, CsvOptions.Comma with
        {
            MaxLineLength = Architecture.All.Max(a => a.Inputs) * 32,
            MaxRows = MaxInputRows,
        });
    }
}
