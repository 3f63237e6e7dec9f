using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

public sealed partial class NetworkGenerator
{
    internal static LanguageModelParseResult ParseLanguageModel(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        new Parser(context, cancellationToken).RunLanguageModel();

    private sealed partial class Parser
    {
        /// <summary>Reads one [LanguageModel] class and its [TransformerBlocks] into a model, collecting every problem.</summary>
        public LanguageModelParseResult RunLanguageModel()
        {
            var attribute = context.Attributes[0];
            CheckClass(attribute);
            CheckDuplicateOptions(attribute, "LanguageModel");

            var vocabulary = PositiveInt(attribute, "Vocabulary", "LanguageModel(Vocabulary = …)");
            var sequence = PositiveInt(attribute, "Context", "LanguageModel(Context = …)");
            var width = PositiveInt(attribute, "Width", "LanguageModel(Width = …)");
            var maxBatch = PositiveInt(attribute, "MaxBatch", "LanguageModel(MaxBatch = …)");
            var element = ReadElement(attribute, "LanguageModel");
            var seed = Named(attribute, "Seed") is { Value: ulong s } ? s : 1UL;
            var tied = Named(attribute, "TiedHead") is not { Value: false };

            AttributeData? blocks = null;
            foreach (var other in DeclaredAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = ShortName(other);
                if (name is "LanguageModel" or "LoraAdapters")
                {
                    continue;
                }

                if (name != "TransformerBlocks")
                {
                    Report(DiagnosticDescriptors.NotForLanguageModel, other, name, type.Name);
                }
                else if (blocks is not null)
                {
                    Report(DiagnosticDescriptors.RepeatedBlocks, other, type.Name);
                }
                else
                {
                    blocks = other;
                }
            }

            if (blocks is null)
            {
                Report(DiagnosticDescriptors.MissingBlocks, attribute, type.Name);
                return new LanguageModelParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()));
            }

            // An invalid width is reported above; checking the heads against its stand-in would add a second error.
            var widthIsValid = Named(attribute, "Width") is { Value: int declared } && declared > 0;
            var (count, heads, ratio, epsilon) = ReadBlocks(blocks, width, widthIsValid);
            var lora = ReadLanguageModelLora();
            if (diagnostics.Count > 0)
            {
                return new LanguageModelParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()));
            }

            var ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
            var model = new LanguageModelModel(ns, type.Name, element, vocabulary, sequence, width, maxBatch, seed, tied, count, heads, ratio, epsilon, lora);
            return new LanguageModelParseResult(model, EquatableArray<DiagnosticInfo>.Empty);
        }

        private (int Count, int Heads, int MlpRatio, double Epsilon) ReadBlocks(AttributeData attribute, int width, bool widthIsValid)
        {
            CheckDuplicateOptions(attribute, "TransformerBlocks");
            var count = Constructor(attribute, 0) is { Value: int c } ? c : 0;
            if (count <= 0)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, attribute, "TransformerBlocks count", count.ToString(CultureInfo.InvariantCulture));
            }

            var heads = PositiveInt(attribute, "Heads", "TransformerBlocks(Heads = …)");
            if (widthIsValid && width % heads != 0)
            {
                var divisors = Enumerable.Range(1, width).Where(d => width % d == 0).Select(d => d.ToString(CultureInfo.InvariantCulture));
                Report(DiagnosticDescriptors.HeadsDoNotDivideWidth, attribute,
                    width.ToString(CultureInfo.InvariantCulture), heads.ToString(CultureInfo.InvariantCulture), string.Join(", ", divisors));
            }

            var ratio = Named(attribute, "MlpRatio") is { Value: int r } ? r : 4;
            if (ratio <= 0)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, attribute, "TransformerBlocks(MlpRatio = …)", ratio.ToString(CultureInfo.InvariantCulture));
            }

            var epsilon = Named(attribute, "Epsilon") is { Value: double e } ? e : 1e-5;
            if (!(epsilon > 0) || double.IsInfinity(epsilon))
            {
                Report(DiagnosticDescriptors.OutOfRange, attribute, "TransformerBlocks Epsilon", Format(epsilon), "a positive finite number such as 1e-5");
            }

            return (count, heads, ratio, epsilon);
        }
    }
}
