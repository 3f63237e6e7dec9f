namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>The directory holding SimdDescent.sln, found by walking up from the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SimdDescent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No SimdDescent.sln above " + AppContext.BaseDirectory);
    }
}
