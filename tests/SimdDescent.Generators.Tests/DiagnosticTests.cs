using Microsoft.CodeAnalysis;
using SimdDescent.Generators.Tests.Infrastructure;

namespace SimdDescent.Generators.Tests;

/// <summary>
/// One test per diagnostic: the ID, that it points at the offending attribute, that the message says how
/// to fix it, and that nothing is generated (so a bad declaration never turns into broken generated code).
/// </summary>
public class DiagnosticTests
{
    private const string Usings = "using SimdDescent.Networks;\n";

    [Theory]
    [InlineData("SD0001", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[SoftmaxCrossEntropy]\npublic class Net;", "[Network(Inputs = 2, MaxBatch = 4)]", "add the 'partial' modifier")]
    [InlineData("SD0002", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\npublic partial class Net;", "[Network(Inputs = 2, MaxBatch = 4)]", "add [SoftmaxCrossEntropy]")]
    [InlineData("SD0003", "[Network(Inputs = 2, MaxBatch = 4)]\n[SoftmaxCrossEntropy]\n[Dense(2)]\npublic partial class Net;", "[SoftmaxCrossEntropy]", "move the loss after the last layer")]
    [InlineData("SD0004", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[SoftmaxCrossEntropy]\n[MeanSquaredError]\npublic partial class Net;", "[MeanSquaredError]", "keep exactly one loss")]
    [InlineData("SD0005", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(0)]\n[MeanSquaredError]\npublic partial class Net;", "[Dense(0)]", "must be a positive integer")]
    [InlineData("SD0005", "[Network(Inputs = -3, MaxBatch = 4)]\n[Dense(2)]\n[MeanSquaredError]\npublic partial class Net;", "[Network(Inputs = -3, MaxBatch = 4)]", "Network(Inputs = …) is -3")]
    [InlineData("SD0005", "[Network(Inputs = 3)]\n[Dense(2)]\n[MeanSquaredError]\npublic partial class Net;", "[Network(Inputs = 3)]", "Network(MaxBatch = …) is 0")]
    [InlineData("SD0006", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(1)]\n[SoftmaxCrossEntropy]\npublic partial class Net;", "[SoftmaxCrossEntropy]", "use [BinaryCrossEntropyWithLogits]")]
    [InlineData("SD0007", "[Network(Inputs = 2, MaxBatch = 4, ElementType = typeof(int))]\n[Dense(2)]\n[MeanSquaredError]\npublic partial class Net;", "[Network(Inputs = 2, MaxBatch = 4, ElementType = typeof(int))]", "use typeof(float) or typeof(double)")]
    [InlineData("SD0007", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2, (Activation)42)]\n[MeanSquaredError]\npublic partial class Net;", "[Dense(2, (Activation)42)]", "a named Activation member")]
    [InlineData("SD0007", "[Network(Inputs = 2, MaxBatch = 4)]\n[ActivationLayer(Activation.None)]\n[MeanSquaredError]\npublic partial class Net;", "[ActivationLayer(Activation.None)]", "other than None")]
    [InlineData("SD0007", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2, Initializer = (Initializer)9)]\n[MeanSquaredError]\npublic partial class Net;", "[Dense(2, Initializer = (Initializer)9)]", "a named Initializer member")]
    [InlineData("SD0008", "[Network(Inputs = 2, MaxBatch = 4, Inputs = 3)]\n[Dense(2)]\n[MeanSquaredError]\npublic partial class Net;", "[Network(Inputs = 2, MaxBatch = 4, Inputs = 3)]", "set it once")]
    [InlineData("SD0009", "public partial class Outer\n{\n[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[MeanSquaredError]\npublic partial class Net;\n}", "[Network(Inputs = 2, MaxBatch = 4)]", "nested in another type")]
    [InlineData("SD0009", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[MeanSquaredError]\npublic partial class Net<T>;", "[Network(Inputs = 2, MaxBatch = 4)]", "is generic")]
    [InlineData("SD0009", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[MeanSquaredError]\npublic static partial class Net;", "[Network(Inputs = 2, MaxBatch = 4)]", "is static")]
    [InlineData("SD0010", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dropout(1.0)]\n[Dense(2)]\n[MeanSquaredError]\npublic partial class Net;", "[Dropout(1.0)]", "in [0, 1)")]
    [InlineData("SD0010", "[Network(Inputs = 2, MaxBatch = 4)]\n[LayerNorm(Epsilon = 0)]\n[MeanSquaredError]\npublic partial class Net;", "[LayerNorm(Epsilon = 0)]", "a positive finite number")]
    [InlineData("SD0011", "[Network(Inputs = 2, MaxBatch = 4)]\n[MeanSquaredError]\npublic partial class Net;", "[MeanSquaredError]", "add at least one layer")]
    [InlineData("SD0001", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\npublic class Net;", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]", "add the 'partial' modifier")]
    [InlineData("SD0005", "[LanguageModel(Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\npublic partial class Net;", "[LanguageModel(Context = 5, Width = 8, MaxBatch = 2)]", "LanguageModel(Vocabulary = …) is 0")]
    [InlineData("SD0005", "[LanguageModel(Vocabulary = 11, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\npublic partial class Net;", "[LanguageModel(Vocabulary = 11, Width = 8, MaxBatch = 2)]", "LanguageModel(Context = …) is 0")]
    [InlineData("SD0005", "[LanguageModel(Vocabulary = 11, Context = 5, Width = -8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\npublic partial class Net;", "[LanguageModel(Vocabulary = 11, Context = 5, Width = -8, MaxBatch = 2)]", "LanguageModel(Width = …) is -8")]
    [InlineData("SD0005", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8)]\n[TransformerBlocks(1, Heads = 2)]\npublic partial class Net;", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8)]", "LanguageModel(MaxBatch = …) is 0")]
    [InlineData("SD0005", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(0, Heads = 2)]\npublic partial class Net;", "[TransformerBlocks(0, Heads = 2)]", "TransformerBlocks count is 0")]
    [InlineData("SD0005", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(2)]\npublic partial class Net;", "[TransformerBlocks(2)]", "TransformerBlocks(Heads = …) is 0")]
    [InlineData("SD0005", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(2, Heads = 2, MlpRatio = 0)]\npublic partial class Net;", "[TransformerBlocks(2, Heads = 2, MlpRatio = 0)]", "TransformerBlocks(MlpRatio = …) is 0")]
    [InlineData("SD0007", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2, ElementType = typeof(int))]\n[TransformerBlocks(1, Heads = 2)]\npublic partial class Net;", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2, ElementType = typeof(int))]", "LanguageModel(ElementType = …) has the unsupported value 'int'")]
    [InlineData("SD0008", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2, Heads = 4)]\npublic partial class Net;", "[TransformerBlocks(1, Heads = 2, Heads = 4)]", "set it once")]
    [InlineData("SD0010", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2, Epsilon = -1)]\npublic partial class Net;", "[TransformerBlocks(1, Heads = 2, Epsilon = -1)]", "a positive finite number")]
    [InlineData("SD0012", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 3)]\npublic partial class Net;", "[TransformerBlocks(1, Heads = 3)]", "choose heads among 1, 2, 4, 8")]
    [InlineData("SD0013", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\n[Dense(4)]\npublic partial class Net;", "[Dense(4)]", "remove [Dense]")]
    [InlineData("SD0013", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\n[SoftmaxCrossEntropy]\npublic partial class Net;", "[SoftmaxCrossEntropy]", "its loss (softmax cross-entropy at every position) is implied")]
    [InlineData("SD0013", "[Network(Inputs = 2, MaxBatch = 4)]\n[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\npublic partial class Net;", "[Network(Inputs = 2, MaxBatch = 4)]", "remove [Network]")]
    [InlineData("SD0014", "[Network(Inputs = 8, MaxBatch = 4)]\n[Dense(8)]\n[TransformerBlocks(2, Heads = 2)]\n[MeanSquaredError]\npublic partial class Net;", "[TransformerBlocks(2, Heads = 2)]", "declare the class with [LanguageModel(")]
    [InlineData("SD0015", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\npublic partial class Net;", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]", "add [TransformerBlocks(count, Heads = h)]")]
    [InlineData("SD0016", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\n[TransformerBlocks(1, Heads = 4)]\npublic partial class Net;", "[TransformerBlocks(1, Heads = 4)]", "give the total count in one")]
    [InlineData("SD0021", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(4, Activation.Relu)]\n[LayerNorm]\n[Dense(2)]\n[MeanSquaredError]\n[LoraAdapters(Rank = 2, Targets = [1, 2])]\npublic partial class Net;", "[LoraAdapters(Rank = 2, Targets = [1, 2])]", "by declaration index: 0, 2")]
    [InlineData("SD0022", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(4, Activation.Relu)]\n[LayerNorm]\n[Dense(2)]\n[MeanSquaredError]\n[LoraAdapters(Rank = 2, Targets = [0], Trainable = [1])]\npublic partial class Net;", "[LoraAdapters(Rank = 2, Targets = [0], Trainable = [1])]", "Trainable names layer 1, which is not a Dense layer of 'Net' without an adapter; trainable layers are Dense layers that Targets leaves out, by declaration index: 2")]
    [InlineData("SD0022", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(4, Activation.Relu)]\n[Dense(2)]\n[MeanSquaredError]\n[LoraAdapters(Rank = 2, Targets = [0, 1], Trainable = [1])]\npublic partial class Net;", "[LoraAdapters(Rank = 2, Targets = [0, 1], Trainable = [1])]", "Trainable names layer 1")]
    [InlineData("SD0010", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\n[LoraAdapters(Trainable = [0])]\npublic partial class Net;", "[LoraAdapters(Trainable = [0])]", "LoraAdapters Trainable on a language model")]
    [InlineData("SD0010", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[MeanSquaredError]\n[LoraAdapters(Rank = 4, MaxRank = 2)]\npublic partial class Net;", "[LoraAdapters(Rank = 4, MaxRank = 2)]", "LoraAdapters MaxRank is 2; it must be at least Rank (4), or unset")]
    [InlineData("SD0005", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[MeanSquaredError]\n[LoraAdapters(Rank = 0)]\npublic partial class Net;", "[LoraAdapters(Rank = 0)]", "LoraAdapters Rank is 0")]
    [InlineData("SD0010", "[Network(Inputs = 2, MaxBatch = 4)]\n[Dense(2)]\n[MeanSquaredError]\n[LoraAdapters(Dropout = 1.0)]\npublic partial class Net;", "[LoraAdapters(Dropout = 1.0)]", "in [0, 1)")]
    [InlineData("SD0007", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\n[LoraAdapters(Modules = [\"q_proj\"])]\npublic partial class Net;", "[LoraAdapters(Modules = [\"q_proj\"])]", "use c_attn, attn.c_proj, c_fc, mlp.c_proj or c_proj")]
    [InlineData("SD0010", "[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 2)]\n[LoraAdapters(Dropout = 0.1)]\npublic partial class Net;", "[LoraAdapters(Dropout = 0.1)]", "LoraAdapters Dropout on a language model is 0.1")]
    public void Bad_declaration_reports_its_diagnostic_on_the_attribute_and_generates_nothing(string id, string declaration, string attribute, string fix)
    {
        var source = Usings + declaration;
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(attribute, source.Substring(diagnostic.Location.SourceSpan.Start - 1, diagnostic.Location.SourceSpan.Length + 2));
        Assert.Contains(fix, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(outcome.GeneratedSources);
    }

    [Fact]
    public void An_invalid_width_is_reported_once_and_not_again_as_heads_that_do_not_divide_it()
    {
        var outcome = GeneratorHarness.Run(Usings + "[LanguageModel(Vocabulary = 11, Context = 5, Width = -8, MaxBatch = 2)]\n[TransformerBlocks(1, Heads = 3)]\npublic partial class Net;");
        Assert.Equal(["SD0005"], outcome.GeneratorDiagnostics.Select(d => d.Id));
    }

    [Fact]
    public void Descriptor_ids_are_consecutive_and_stable()
    {
        var all = DiagnosticDescriptors.All;
        Assert.Equal(all.Count, all.Select(d => d.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => "SD" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), all.Select(d => d.Id));
        Assert.All(all, d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
    }

    [Fact]
    public void A_valid_declaration_has_no_diagnostics_and_compiles()
    {
        var languageModel = GeneratorHarness.Run(Usings + "namespace Demo;\n[LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2, TiedHead = false)]\n[TransformerBlocks(2, Heads = 4, MlpRatio = 2, Epsilon = 1e-6)]\npublic partial class Gpt;");
        Assert.Empty(languageModel.GeneratorDiagnostics);
        Assert.Empty(languageModel.CompilerErrors);
        Assert.Single(languageModel.GeneratedSources);

        var outcome = GeneratorHarness.Run(Usings + "namespace Demo;\n[Network(Inputs = 3, MaxBatch = 4)]\n[Dense(5, Activation.Relu)]\n[LayerNorm]\n[Dropout(0.25, Seed = 7)]\n[ActivationLayer(Activation.Tanh)]\n[Dense(2)]\n[SoftmaxCrossEntropy]\npublic partial class Net;");
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilerErrors);
        Assert.Single(outcome.GeneratedSources);
    }
}
