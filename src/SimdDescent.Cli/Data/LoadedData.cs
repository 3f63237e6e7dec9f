using SimdDescent.IO.Datasets;
using SimdDescent.Training.Data;

namespace SimdDescent.Cli.Data;

/// <summary>A data set named on the command line, split into training and test rows, features in [0, 1].</summary>
internal sealed record LoadedData(string Name, DataSet<float> Train, DataSet<float> Test, IReadOnlyList<string> ClassNames)
{
    public const string Help = "digits (embedded 8×8 digits), fashion-mnist (/usr/share/datasets/fashion-mnist) or a directory of MNIST-style IDX files";

    public static LoadedData Load(string source) => source switch
    {
        "digits" => Digits(),
        "fashion-mnist" => Idx("fashion-mnist", FashionMnist.DefaultDirectory, FashionMnist.ClassNames),
        _ when Directory.Exists(source) => Idx(source, source, [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
        _ => throw new UserError($"Unknown data set '{source}': expected {Help}."),
    };

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
