namespace SimdDescent.Generators.Model;

/// <summary>A diagnostic to report: descriptor id, location and message arguments, all equatable values.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments);
