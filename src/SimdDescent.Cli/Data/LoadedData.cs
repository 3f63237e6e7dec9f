using SimdDescent.IO.Datasets;
using SimdDescent.Training.Data;

namespace SimdDescent.Cli.Data;

/// <summary>A data set named on the command line, split into training and test rows, features in [0, 1].</summary>
internal sealed record LoadedData(string Name, DataSet<float> Train, DataSet<float> Test, IReadOnlyList<string> ClassNames)
{
    /// <summary>The classes kept of the data set (null: all), whose labels are numbered 0 … k − 1.</summary>
    public ClassSelection? Classes { get; private init; }

    /// <summary>The data set's name, with the classes kept when not all.</summary>
    public string Description => Classes is null ? Name : $"{Name} (classes {Classes.Text})";

    public const string Help = "digits (embedded 8×8 digits), fashion-mnist (/usr/share/datasets/fashion-mnist) or a directory of MNIST-style IDX files";

    public static LoadedData Load(string source) => source switch
    {
        "digits" => Digits(),
        "fashion-mnist" => Idx("fashion-mnist", FashionMnist.DefaultDirectory, FashionMnist.ClassNames),
        _ when Directory.Exists(source) => Idx(source, source, [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
        _ => throw new UserError($"Unknown data set '{source}': expected {Help}."),
    };

    /// <summary>These data with only the rows of <paramref name="selection"/>'s classes (all when null), labels renumbered 0 … k − 1.</summary>
    public LoadedData Select(ClassSelection? selection) => selection is null
        ? this
        : new LoadedData(Name, selection.Select(Train), selection.Select(Test), [.. selection.Classes.Select(c => ClassNames[c])]) { Classes = selection };

    /// <summary>Refuses a network with fewer outputs than these data have classes: some labels would have no logit.</summary>
    public void RequireOutputs(int outputs, string architecture)
    {
        if (ClassNames.Count > outputs)
        {
            throw new UserError($"{Description} has {ClassNames.Count} classes, but the {architecture} network has {outputs} outputs; select at most {outputs} with --classes.");
        }
    }

    /// <summary>The data named on the command line, restricted to the classes of <c>--classes</c> when given.</summary>
    public static LoadedData Load(string source, string? classes)
    {
        var data = Load(source);
        return data.Select(ClassSelection.Parse(classes, data.ClassNames.Count));
    }

    private static LoadedData Digits()
    {
        var (train, test) = DigitsDataset.LoadSplit();
        return new LoadedData("digits", train, test, [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
    }

    private static LoadedData Idx(string name, string directory, IReadOnlyList<string> classNames)
    {
        if (!FashionMnist.IsAvailable(directory))
        {
            throw new UserError(
                $"No IDX data set in '{directory}': expected train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]"
                + (directory == FashionMnist.DefaultDirectory ? " (install them with: apt-get install -y dataset-fashion-mnist)." : "."));
        }

        return new LoadedData(name, FashionMnist.LoadTrain(directory), FashionMnist.LoadTest(directory), classNames);
    }
}
