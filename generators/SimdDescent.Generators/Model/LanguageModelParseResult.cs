namespace SimdDescent.Generators.Model;

/// <summary>What the parser makes of one [LanguageModel] class: a model when the declaration is valid, and its diagnostics.</summary>
internal sealed record LanguageModelParseResult(LanguageModelModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
