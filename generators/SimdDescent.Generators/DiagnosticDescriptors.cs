using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SimdDescent.Generators;

/// <summary>
/// Every diagnostic the network generator reports. IDs are stable: add new ones at the end, never renumber.
/// Each message says what to change.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "SimdDescent.Networks";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "SD0001", "Network class must be partial",
        "Class '{0}' carries [Network] but is not partial; add the 'partial' modifier so the generator can add its members");

    public static readonly DiagnosticDescriptor MissingLoss = Error(
        "SD0002", "Network has no loss",
        "Network '{0}' declares no loss; add [SoftmaxCrossEntropy], [MeanSquaredError] or [BinaryCrossEntropyWithLogits] after the last layer");

    public static readonly DiagnosticDescriptor LossNotLast = Error(
        "SD0003", "Loss must be the last attribute",
        "The loss [{0}] is followed by layer [{1}]; move the loss after the last layer");

    public static readonly DiagnosticDescriptor MultipleLosses = Error(
        "SD0004", "More than one loss",
        "Network '{0}' declares a second loss [{1}]; keep exactly one loss attribute");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error(
        "SD0005", "Size must be positive",
        "{0} is {1}; it must be a positive integer");

    public static readonly DiagnosticDescriptor LossIncompatibleWithOutput = Error(
        "SD0006", "Loss does not fit the output width",
        "[{0}] needs {1}, but the last layer produces {2} output(s); {3}");

    public static readonly DiagnosticDescriptor UnknownOption = Error(
        "SD0007", "Unknown option value",
        "{0} has the unsupported value '{1}'; use {2}");

    public static readonly DiagnosticDescriptor DuplicateOption = Error(
        "SD0008", "Option given twice",
        "Option '{0}' is set more than once on [{1}]; set it once");

    public static readonly DiagnosticDescriptor UnsupportedClass = Error(
        "SD0009", "Unsupported network class",
        "Network '{0}' is {1}, which the generator does not support; declare it as a non-generic, non-static, top-level partial class");

    public static readonly DiagnosticDescriptor OutOfRange = Error(
        "SD0010", "Option value out of range",
        "{0} is {1}; it must be {2}");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "SD0011", "Network has no layers",
        "Network '{0}' has a loss but no layers; add at least one layer such as [Dense(units)] before the loss");

    public static readonly DiagnosticDescriptor HeadsDoNotDivideWidth = Error(
        "SD0012", "Heads must divide the width",
        "Width {0} is not a multiple of Heads = {1}; every head takes an equal share of the channels, so choose heads among {2}");

    public static readonly DiagnosticDescriptor NotForLanguageModel = Error(
        "SD0013", "Attribute does not apply to a language model",
        "[{0}] does not apply to language model '{1}': its layers come from [TransformerBlocks] and its loss (softmax cross-entropy at every position) is implied; remove [{0}]");

    public static readonly DiagnosticDescriptor SequenceLayerInNetwork = Error(
        "SD0014", "Sequence layer in a network of feature rows",
        "[TransformerBlocks] needs token sequences, but '{0}' is a [Network] of feature rows; declare the class with [LanguageModel(Vocabulary = …, Context = …, Width = …, MaxBatch = …)] instead");

    public static readonly DiagnosticDescriptor MissingBlocks = Error(
        "SD0015", "Language model has no transformer blocks",
        "Language model '{0}' declares no transformer blocks; add [TransformerBlocks(count, Heads = h)]");

    public static readonly DiagnosticDescriptor RepeatedBlocks = Error(
        "SD0016", "Transformer blocks declared twice",
        "Language model '{0}' declares [TransformerBlocks] more than once; give the total count in one [TransformerBlocks(count, Heads = h)]");

    public static readonly DiagnosticDescriptor NeedsImage = Error(
        "SD0017", "Layer needs an image",
        "[{0}] reads an image [channels, height, width], but {1}; {2}");

    public static readonly DiagnosticDescriptor WindowDoesNotFit = Error(
        "SD0018", "Window does not fit the image",
        "[{0}] has a {1}×{1} window, which does not fit its {2}×{3} input{4}; use a window of at most {5}{6}");

    public static readonly DiagnosticDescriptor NeedsRows = Error(
        "SD0019", "Layer needs flat rows",
        "[{0}] works on flat rows, but the layer before it produces an image [{1}]; add [Flatten] or [GlobalAvgPool] before it");

    public static readonly DiagnosticDescriptor InputShapeMismatch = Error(
        "SD0020", "Inputs disagree with the image shape",
        "Network(Inputs = {0}) disagrees with Channels · Height · Width = {1}; leave Inputs out for an image input or make them agree");

    public static readonly DiagnosticDescriptor LoraTargetNotDense = Error(
        "SD0021", "LoRA target is not a Dense layer",
        "[LoraAdapters] targets layer {0}, which is not a Dense layer of '{1}'; adapters go on Dense layers, by declaration index: {2}");

    public static readonly DiagnosticDescriptor LoraTrainableNotDense = Error(
        "SD0022", "LoRA trainable layer is not a Dense layer without an adapter",
        "[LoraAdapters] Trainable names layer {0}, which is not a Dense layer of '{1}' without an adapter; trainable layers are Dense layers that Targets leaves out, by declaration index: {2}");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        NotPartial, MissingLoss, LossNotLast, MultipleLosses, NonPositiveSize, LossIncompatibleWithOutput,
        UnknownOption, DuplicateOption, UnsupportedClass, OutOfRange, NoLayers, HeadsDoNotDivideWidth,
        NotForLanguageModel, SequenceLayerInNetwork, MissingBlocks, RepeatedBlocks,
        NeedsImage, WindowDoesNotFit, NeedsRows, InputShapeMismatch, LoraTargetNotDense,
        LoraTrainableNotDense,
    ];

    public static DiagnosticDescriptor ById(string id) => All.First(d => d.Id == id);

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
