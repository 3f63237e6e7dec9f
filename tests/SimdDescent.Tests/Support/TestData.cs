namespace SimdDescent.Tests.Support;

/// <summary>The data files shipped with the tests (<c>tests/SimdDescent.Tests/Data</c>, copied beside the test assembly).</summary>
public static class TestData
{
    /// <summary>The full path of the shipped data file <paramref name="name"/>.</summary>
    public static string PathOf(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", name);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The test data file {name} is not beside the test assembly; it ships in tests/SimdDescent.Tests/Data.", path);
    }
}
