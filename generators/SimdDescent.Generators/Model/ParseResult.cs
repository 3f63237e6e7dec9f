namespace SimdDescent.Generators.Model;

/// <summary>What the parser makes of one [Network] class: a model when the declaration is valid, and its diagnostics.</summary>
internal sealed record ParseResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
