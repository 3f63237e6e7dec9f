using SimdDescent.Generators.Tests.Infrastructure;

namespace SimdDescent.Generators.Tests;

/// <summary>
/// The exact text generated for small declarations, reviewed by hand and stored under Snapshots/.
/// Set SIMDDESCENT_UPDATE_SNAPSHOTS=1 to rewrite them after an intended change, then review the diff.
/// </summary>
public class SnapshotTests
{
    [Theory]
    [InlineData(nameof(Declarations.Mlp), Declarations.Mlp)]
    [InlineData(nameof(Declarations.EveryLayer), Declarations.EveryLayer)]
    [InlineData(nameof(Declarations.TinyGpt), Declarations.TinyGpt)]
    public void Generated_text_matches_the_reviewed_snapshot(string name, string declaration)
    {
        var generated = Assert.Single(GeneratorHarness.Run(declaration).GeneratedSources);
        var path = Path.Combine(AppContext.BaseDirectory, "Snapshots", name + ".g.cs.txt");
        if (Environment.GetEnvironmentVariable("SIMDDESCENT_UPDATE_SNAPSHOTS") == "1")
        {
            var source = Path.Combine(RepositoryRoot.Path, "tests", "SimdDescent.Generators.Tests", "Snapshots", name + ".g.cs.txt");
            File.WriteAllText(source, generated);
            return;
        }

        Assert.Equal(File.ReadAllText(path), generated);
    }

    [Fact]
    public void Output_is_the_same_under_any_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            var invariant = Assert.Single(GeneratorHarness.Run(Declarations.EveryLayer).GeneratedSources);
            // A culture that writes 0,5: the process runs with invariant globalization, so build one by hand.
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            var withComma = Assert.Single(GeneratorHarness.Run(Declarations.EveryLayer).GeneratedSources);
            Assert.Equal(invariant, withComma);
            Assert.Contains("0.5d", invariant, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
