namespace SimdDescent.Generators;

/// <summary>Names of the pipeline steps, so tests can assert that a second run is served from the cache.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Models = nameof(Models);
    public const string Diagnostics = nameof(Diagnostics);
    public const string ParseLanguageModel = nameof(ParseLanguageModel);
    public const string LanguageModels = nameof(LanguageModels);
    public const string LanguageModelDiagnostics = nameof(LanguageModelDiagnostics);
}
