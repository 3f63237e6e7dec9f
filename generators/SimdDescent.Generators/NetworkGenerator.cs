using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>
/// Generates a network (parameter arena, workspaces, fused Forward/Backward/Predict) for every partial
/// class marked with <c>[SimdDescent.Networks.Network]</c>, and a GPT-style language model for every one marked with
/// <c>[SimdDescent.Networks.LanguageModel]</c>. Pipeline: <see cref="Parse"/> turns the
/// declaration into a value-equatable <see cref="ParseResult"/>; valid models go to <see cref="Emit"/>,
/// diagnostics are reported from their own step so locations never sit in the cached model.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    internal const string NetworkAttributeName = "SimdDescent.Networks.NetworkAttribute";
    internal const string LanguageModelAttributeName = "SimdDescent.Networks.LanguageModelAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (syntax, cancellationToken) => Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        var models = results
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.Models);

        var diagnostics = results
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(models, static (output, model) => Emit(output, model!));
        context.RegisterSourceOutput(diagnostics, static (output, diagnostic) => Report(output, diagnostic));

        var languageModelResults = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                LanguageModelAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (syntax, cancellationToken) => ParseLanguageModel(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.ParseLanguageModel);

        var languageModels = languageModelResults
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.LanguageModels);

        var languageModelDiagnostics = languageModelResults
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.LanguageModelDiagnostics);

        context.RegisterSourceOutput(languageModels, static (output, model) =>
            output.AddSource(HintName(model!.Namespace, model.ClassName), LanguageModelEmitter.Emit(model)));
        context.RegisterSourceOutput(languageModelDiagnostics, static (output, diagnostic) => Report(output, diagnostic));
    }

    private static void Report(SourceProductionContext output, DiagnosticInfo diagnostic) =>
        output.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ById(diagnostic.Id),
            diagnostic.Location?.ToLocation() ?? Location.None,
            diagnostic.Arguments.AsImmutableArray().ToArray()));

    private static void Emit(SourceProductionContext output, NetworkModel model) =>
        output.AddSource(HintName(model), Emitter.Emit(model));

    internal static string HintName(NetworkModel model) => HintName(model.Namespace, model.ClassName);

    private static string HintName(string ns, string className) => (ns.Length == 0 ? className : ns + "." + className) + ".g.cs";
}
