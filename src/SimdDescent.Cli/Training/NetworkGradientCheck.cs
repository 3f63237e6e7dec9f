using SimdDescent.Checking;
using SimdDescent.Cli.Architectures;
using SimdDescent.Networks;
using SimdDescent.Training;
using SimdDescent.Training.Data;

namespace SimdDescent.Cli.Training;

/// <summary>
/// The trainer's gradient-check hook. Central differences in float are too coarse to check a ReLU network
/// tightly, so the float network's current parameters and the batch are copied into the architecture's double
/// twin (same generated code, same layout) and checked there with double tolerances.
/// </summary>
internal sealed class NetworkGradientCheck(Architecture architecture) : IGradientCheck<float>
{
    public GradientCheckOutcome Check(INetwork<float> network, DataSet<float> data, int firstRow, int rows)
    {
        var twin = architecture.CreateDouble();
        Widen(network.Parameters, twin.Parameters);
        var inputs = new double[rows * network.InputWidth];
        Widen(data.InputRows(firstRow, rows), inputs);
        var report = GradientChecker.Check(twin, inputs, data.LabelRows(firstRow, rows), rows);
        return new GradientCheckOutcome(report.Passed, report.ToString());
    }

    public static void Widen(ReadOnlySpan<float> source, Span<double> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }
}
