using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SimdDescent.Generators.Model;
using SimdDescent.Generators.Tests.Infrastructure;

namespace SimdDescent.Generators.Tests;

/// <summary>The pipeline caches: an unrelated edit re-runs nothing, a real edit re-emits, the model holds no symbols.</summary>
public class IncrementalCacheTests
{
    private static readonly string[] TrackedSteps =
    [
        TrackingNames.Parse, TrackingNames.Models, TrackingNames.Diagnostics,
        TrackingNames.ParseLanguageModel, TrackingNames.LanguageModels, TrackingNames.LanguageModelDiagnostics,
    ];

    [Theory]
    [InlineData(Declarations.Mlp, TrackingNames.Parse, TrackingNames.Models)]
    [InlineData(Declarations.TinyGpt, TrackingNames.ParseLanguageModel, TrackingNames.LanguageModels)]
    public void An_unrelated_edit_is_served_entirely_from_the_cache(string declaration, string parse, string models)
    {
        var compilation = GeneratorHarness.Compilation(declaration, "class Unrelated { }");
        var driver = GeneratorHarness.Driver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("class Unrelated { int field; }", GeneratorHarness.ParseOptions, path: compilation.SyntaxTrees.Last().FilePath, cancellationToken: TestContext.Current.CancellationToken));
        var result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.Contains(parse, result.TrackedSteps.Keys);
        Assert.Contains(models, result.TrackedSteps.Keys);
        foreach (var name in TrackedSteps.Where(result.TrackedSteps.ContainsKey))
        {
            var outputs = result.TrackedSteps[name].SelectMany(step => step.Outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, name + ": " + o.Reason));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Theory]
    [InlineData(Declarations.Mlp, "Dense(16", "Dense(17", TrackingNames.Models, "Dense 4 → 17")]
    [InlineData(Declarations.TinyGpt, "Heads = 2", "Heads = 4", TrackingNames.LanguageModels, "4 causal heads of 2 channels")]
    public void Changing_the_declaration_re_emits_the_network(string declaration, string before, string after, string models, string expected)
    {
        var compilation = GeneratorHarness.Compilation(declaration);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(declaration.Replace(before, after, StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: compilation.SyntaxTrees.Single().FilePath, cancellationToken: TestContext.Current.CancellationToken));
        var result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[models].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(expected, result.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Model_types_hold_only_plain_values()
    {
        // Walk every field reachable from the pipeline's values: a symbol, syntax node, location or
        // compilation in there would keep old compilations alive and defeat the cache.
        var seen = new HashSet<Type>();
        Visit(typeof(ParseResult), seen);
        Visit(typeof(LanguageModelParseResult), seen);
        Assert.Contains(typeof(LayerModel), seen);
        Assert.Contains(typeof(LanguageModelModel), seen);
        Assert.Contains(typeof(LocationInfo), seen);
    }

    [Theory]
    [InlineData(Declarations.EveryLayer, TrackingNames.Parse)]
    [InlineData(Declarations.TinyGpt, TrackingNames.ParseLanguageModel)]
    public void Models_of_equal_declarations_are_equal(string declaration, string parse)
    {
        var first = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(declaration), TestContext.Current.CancellationToken).GetRunResult();
        var second = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(declaration), TestContext.Current.CancellationToken).GetRunResult();
        var a = first.Results.Single().TrackedSteps[parse].Single().Outputs.Single().Value;
        var b = second.Results.Single().TrackedSteps[parse].Single().Outputs.Single().Value;
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    private static void Visit(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string))
        {
            return;
        }

        Assert.False(typeof(ISymbol).IsAssignableFrom(type), type + " is a symbol");
        Assert.False(typeof(SyntaxNode).IsAssignableFrom(type), type + " is a syntax node");
        Assert.False(typeof(Location).IsAssignableFrom(type), type + " is a location");
        Assert.False(typeof(Compilation).IsAssignableFrom(type), type + " is a compilation");

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            Visit(type.GetGenericArguments()[0], seen);
            return;
        }

        Assert.True(type.Namespace == typeof(ParseResult).Namespace || Nullable.GetUnderlyingType(type) is not null, type + " is not a model type");
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Visit(field.FieldType, seen);
        }
    }
}
