using SimdDescent.Checking;
using SimdDescent.Networks;
using SimdDescent.Training.Checking;
using SimdDescent.Training.Data;

namespace SimdDescent.Cli.Training;

/// <summary>The trainer's gradient-check hook, answered by the numerical <see cref="GradientChecker"/>.</summary>
internal sealed class NetworkGradientCheck : IGradientCheck<float>
{
    public GradientCheckOutcome Check(INetwork<float> network, DataSet<float> data, int firstRow, int rows)
    {
        var report = GradientChecker.Check(network, data.InputRows(firstRow, rows), data.LabelRows(firstRow, rows), rows);
        return new GradientCheckOutcome(report.Passed, report.ToString());
    }
}
