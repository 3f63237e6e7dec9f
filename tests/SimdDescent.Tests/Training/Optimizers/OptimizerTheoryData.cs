using SimdDescent.Kernels;

namespace SimdDescent.Tests.Training.Optimizers;

/// <summary>Theory rows for optimizer tests that run at every forced vector width.</summary>
internal static class OptimizerTheoryData
{
    /// <summary>Every width paired with every optimizer name given.</summary>
    public static TheoryData<VectorPath, string> AtEveryWidth(params string[] optimizers)
    {
        var data = new TheoryData<VectorPath, string>();
        foreach (var path in Enum.GetValues<VectorPath>())
        {
            foreach (var name in optimizers)
            {
                data.Add(path, name);
            }
        }

        return data;
    }
}
