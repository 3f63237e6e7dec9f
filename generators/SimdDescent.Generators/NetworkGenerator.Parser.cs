using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

public sealed partial class NetworkGenerator
{
    internal static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        new Parser(context, cancellationToken).Run();

    /// <summary>Reads one [Network] class and its layer attributes into a model, collecting every problem.</summary>
    private sealed partial class Parser(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        private const string AttributeNamespace = "SimdDescent.Networks";
        private readonly List<DiagnosticInfo> diagnostics = [];
        private readonly INamedTypeSymbol type = (INamedTypeSymbol)context.TargetSymbol;

        public ParseResult Run()
        {
            var networkAttribute = context.Attributes[0];
            if (HasAttribute(LanguageModelAttributeName))
            {
                // The language-model parser reports the conflict; one report is enough.
                return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            CheckClass(networkAttribute);
            CheckDuplicateOptions(networkAttribute, "Network");

            var inputs = ReadInputs(networkAttribute);
            var maxBatch = PositiveInt(networkAttribute, "MaxBatch", "Network(MaxBatch = …)");
            var element = ReadElement(networkAttribute, "Network");
            var seed = Named(networkAttribute, "Seed") is { Value: ulong s } ? s : 1UL;

            var layers = ReadLayers(inputs, out var loss);
            var lora = ReadLora(layers);
            cancellationToken.ThrowIfCancellationRequested();

            if (diagnostics.Count > 0 || loss is null)
            {
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()));
            }

            var ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
            var model = new NetworkModel(ns, type.Name, element, inputs, maxBatch, seed,
                new EquatableArray<LayerModel>(layers.ToImmutableArray()), loss.Value, lora);
            return new ParseResult(model, EquatableArray<DiagnosticInfo>.Empty);
        }

        private void CheckClass(AttributeData attribute)
        {
            var syntax = (ClassDeclarationSyntax)context.TargetNode;
            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.NotPartial, attribute, type.Name);
            }

            var problem =
                type.ContainingType is not null ? "nested in another type" :
                type.TypeParameters.Length > 0 ? "generic" :
                type.IsStatic ? "static" :
                null;
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedClass, attribute, type.Name, problem);
            }
        }

        private ElementKind ReadElement(AttributeData attribute, string owner)
        {
            if (Named(attribute, "ElementType") is not { } constant)
            {
                return ElementKind.Float;
            }

            switch ((constant.Value as ITypeSymbol)?.SpecialType)
            {
                case SpecialType.System_Single:
                    return ElementKind.Float;
                case SpecialType.System_Double:
                    return ElementKind.Double;
                default:
                    Report(DiagnosticDescriptors.UnknownOption, attribute, owner + "(ElementType = …)",
                        (constant.Value as ITypeSymbol)?.ToDisplayString() ?? "null", "typeof(float) or typeof(double)");
                    return ElementKind.Float;
            }
        }

        private List<LayerModel> ReadLayers(int inputs, out LossKind? loss)
        {
            var layers = new List<LayerModel>();
            loss = null;
            AttributeData? lossAttribute = null;
            var lossNotLastReported = false;
            var width = inputs;

            // Layer order is source order; across partial declarations, order by file then position.
            var declared = DeclaredAttributes();

            for (var i = 0; i < declared.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var attribute = declared[i];
                var name = ShortName(attribute);
                if (LossOf(name) is { } lossKind)
                {
                    CheckDuplicateOptions(attribute, name);
                    if (loss is not null)
                    {
                        Report(DiagnosticDescriptors.MultipleLosses, attribute, type.Name, name);
                        continue;
                    }

                    loss = lossKind;
                    lossAttribute = attribute;
                    CheckLossWidth(attribute, name, lossKind, width, layers.Count);
                    continue;
                }

                if (name == "TransformerBlocks")
                {
                    Report(DiagnosticDescriptors.SequenceLayerInNetwork, attribute, type.Name);
                    continue;
                }

                if (name is not ("Dense" or "ActivationLayer" or "LayerNorm" or "Dropout") && !IsSpatial(name))
                {
                    continue;
                }

                CheckDuplicateOptions(attribute, name);
                if (lossAttribute is not null && !lossNotLastReported)
                {
                    Report(DiagnosticDescriptors.LossNotLast, lossAttribute, ShortName(lossAttribute), name);
                    lossNotLastReported = true;
                }

                var layer = ReadLayer(attribute, name, width, declared, i);
                if (layer is not null)
                {
                    layers.Add(layer);
                    width = layer.Outputs;
                }
            }

            if (loss is null)
            {
                Report(DiagnosticDescriptors.MissingLoss, context.Attributes[0], type.Name);
            }
            else if (layers.Count == 0)
            {
                Report(DiagnosticDescriptors.NoLayers, lossAttribute ?? context.Attributes[0], type.Name);
            }

            return layers;
        }

        private LayerModel? ReadLayer(AttributeData attribute, string name, int width, List<AttributeData> declared, int index)
        {
            switch (name)
            {
                case "Dense":
                {
                    RequireRows(attribute, name);
                    var units = Constructor(attribute, 0) is { Value: int u } ? u : 0;
                    if (units <= 0)
                    {
                        Report(DiagnosticDescriptors.NonPositiveSize, attribute, "Dense units", units.ToString(CultureInfo.InvariantCulture));
                    }

                    var activation = ReadActivation(attribute, Constructor(attribute, 1), "Dense activation", allowNone: true);
                    var hasBias = Named(attribute, "Bias") is not { Value: false };
                    var initializer = ReadInitializer(attribute);
                    if (initializer == InitializerKind.Auto)
                    {
                        initializer = IsReluFamily(EffectiveActivation(activation, declared, index)) ? InitializerKind.He : InitializerKind.Glorot;
                    }

                    return new LayerModel(LayerKind.Dense, width, Math.Max(units, 1), activation, hasBias, initializer, 0, 0);
                }

                case "ActivationLayer":
                {
                    var activation = ReadActivation(attribute, Constructor(attribute, 0), "ActivationLayer activation", allowNone: false);
                    return new LayerModel(LayerKind.Activation, width, width, activation, false, InitializerKind.Auto, 0, 0);
                }

                case "LayerNorm":
                {
                    RequireRows(attribute, name);
                    var epsilon = Epsilon(attribute, name);
                    return new LayerModel(LayerKind.LayerNorm, width, width, ActivationKind.None, true, InitializerKind.Auto, epsilon, 0);
                }

                case "Dropout":
                {
                    var probability = Constructor(attribute, 0) is { Value: double p } ? p : double.NaN;
                    if (!(probability >= 0 && probability < 1))
                    {
                        Report(DiagnosticDescriptors.OutOfRange, attribute, "Dropout probability", Format(probability), "in [0, 1), e.g. 0.1");
                    }

                    var seed = Named(attribute, "Seed") is { Value: ulong s } ? s : 0UL;
                    return new LayerModel(LayerKind.Dropout, width, width, ActivationKind.None, false, InitializerKind.Auto, probability, seed);
                }

                default:
                    return ReadSpatialLayer(attribute, name, declared, index);
            }
        }

        private List<AttributeData> DeclaredAttributes() => type.GetAttributes()
            .Where(a => a.AttributeClass?.ContainingNamespace?.ToDisplayString() == AttributeNamespace)
            .Where(a => a.ApplicationSyntaxReference is not null)
            .OrderBy(a => a.ApplicationSyntaxReference!.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(a => a.ApplicationSyntaxReference!.Span.Start)
            .ToList();

        private bool HasAttribute(string metadataName) =>
            type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

        private void CheckLossWidth(AttributeData attribute, string name, LossKind loss, int width, int layerCount)
        {
            if (loss == LossKind.SoftmaxCrossEntropy && width < 2 && layerCount > 0)
            {
                Report(DiagnosticDescriptors.LossIncompatibleWithOutput, attribute, name, "at least 2 outputs (one logit per class)",
                    width.ToString(CultureInfo.InvariantCulture),
                    "widen the last layer to the number of classes, or use [BinaryCrossEntropyWithLogits] for a single logit");
            }
        }

        // Auto initialization looks at the fused activation, or at a standalone activation right after the
        // layer (past a batch normalization, as in Conv2D → BatchNorm2D → ReLU).
        private static ActivationKind EffectiveActivation(ActivationKind fused, List<AttributeData> declared, int index)
        {
            if (index + 1 < declared.Count && ShortName(declared[index + 1]) == "BatchNorm2D")
            {
                index++;
            }

            if (fused != ActivationKind.None || index + 1 >= declared.Count || ShortName(declared[index + 1]) != "ActivationLayer")
            {
                return fused;
            }

            return Constructor(declared[index + 1], 0) is { Value: int value } ? (ActivationKind)value : ActivationKind.None;
        }

        private static bool IsReluFamily(ActivationKind activation) =>
            activation is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Gelu or ActivationKind.Silu;

        private ActivationKind ReadActivation(AttributeData attribute, TypedConstant? constant, string what, bool allowNone)
        {
            var value = constant is { Value: int v } ? v : 0;
            var valid = Enum.IsDefined(typeof(ActivationKind), value) && (allowNone || value != (int)ActivationKind.None);
            if (!valid)
            {
                Report(DiagnosticDescriptors.UnknownOption, attribute, what, value.ToString(CultureInfo.InvariantCulture),
                    allowNone ? "a named Activation member" : "a named Activation member other than None");
                return ActivationKind.None;
            }

            return (ActivationKind)value;
        }

        private InitializerKind ReadInitializer(AttributeData attribute)
        {
            var value = Named(attribute, "Initializer") is { Value: int v } ? v : 0;
            if (!Enum.IsDefined(typeof(InitializerKind), value))
            {
                Report(DiagnosticDescriptors.UnknownOption, attribute, "Dense Initializer", value.ToString(CultureInfo.InvariantCulture), "a named Initializer member");
                return InitializerKind.Auto;
            }

            return (InitializerKind)value;
        }

        private int PositiveInt(AttributeData attribute, string option, string what)
        {
            var value = Named(attribute, option) is { Value: int v } ? v : 0;
            if (value <= 0)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, attribute, what, value.ToString(CultureInfo.InvariantCulture));
                return 1;
            }

            return value;
        }

        private void CheckDuplicateOptions(AttributeData attribute, string name)
        {
            // The compiler rejects a repeated named argument (CS0643) but still hands us the attribute;
            // read the syntax so the declaration is reported and nothing is generated from it.
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } list })
            {
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var argument in list.Arguments)
            {
                var option = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
                if (option is not null && !seen.Add(option))
                {
                    Report(DiagnosticDescriptors.DuplicateOption, attribute, option, name);
                }
            }
        }

        private static LossKind? LossOf(string name) => name switch
        {
            "SoftmaxCrossEntropy" => LossKind.SoftmaxCrossEntropy,
            "MeanSquaredError" => LossKind.MeanSquaredError,
            "BinaryCrossEntropyWithLogits" => LossKind.BinaryCrossEntropyWithLogits,
            _ => null,
        };

        private static string ShortName(AttributeData attribute)
        {
            var name = attribute.AttributeClass?.Name ?? string.Empty;
            return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }

        private static TypedConstant? Named(AttributeData attribute, string name)
        {
            foreach (var pair in attribute.NamedArguments)
            {
                if (pair.Key == name && pair.Value.Kind != TypedConstantKind.Error)
                {
                    return pair.Value;
                }
            }

            return null;
        }

        private static TypedConstant? Constructor(AttributeData attribute, int index) =>
            index < attribute.ConstructorArguments.Length && attribute.ConstructorArguments[index].Kind != TypedConstantKind.Error
                ? attribute.ConstructorArguments[index]
                : null;

        private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private void Report(DiagnosticDescriptor descriptor, AttributeData attribute, params string[] arguments)
        {
            var location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();
            diagnostics.Add(new DiagnosticInfo(descriptor.Id, LocationInfo.From(location),
                new EquatableArray<string>(arguments.ToImmutableArray())));
        }
    }
}
