using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

public sealed partial class NetworkGenerator
{
    private sealed partial class Parser
    {
        /// <summary>Reads [LoraAdapters] when present: rank, α, dropout and the targeted Dense layers.</summary>
        private LoraModel? ReadLora(List<LayerModel> layers)
        {
            var attribute = DeclaredAttributes().FirstOrDefault(a => ShortName(a) == "LoraAdapters");
            if (attribute is null)
            {
                return null;
            }

            CheckDuplicateOptions(attribute, "LoraAdapters");
            var rank = Named(attribute, "Rank") is { Value: int r } ? r : 8;
            if (rank <= 0)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, attribute, "LoraAdapters Rank", Text(rank));
            }

            var alpha = Named(attribute, "Alpha") is { Value: double a } ? a : 8;
            if (double.IsNaN(alpha) || double.IsInfinity(alpha))
            {
                Report(DiagnosticDescriptors.OutOfRange, attribute, "LoraAdapters Alpha", Format(alpha), "a finite number such as 16");
            }

            var dropout = Named(attribute, "Dropout") is { Value: double p } ? p : 0;
            if (!(dropout >= 0 && dropout < 1))
            {
                Report(DiagnosticDescriptors.OutOfRange, attribute, "LoraAdapters Dropout", Format(dropout), "in [0, 1), e.g. 0.05");
            }

            var seed = Named(attribute, "Seed") is { Value: ulong s } ? s : 0UL;
            var dense = Enumerable.Range(0, layers.Count).Where(i => layers[i].Kind == LayerKind.Dense).ToList();
            var declared = Named(attribute, "Targets") is { Kind: TypedConstantKind.Array } array
                ? array.Values.Select(v => v.Value is int i ? i : -1).ToList()
                : [];
            foreach (var target in declared.Where(t => !dense.Contains(t)))
            {
                Report(DiagnosticDescriptors.LoraTargetNotDense, attribute, Text(target), type.Name,
                    string.Join(", ", dense.Select(Text)));
            }

            var targets = declared.Count == 0 ? dense : declared.Where(dense.Contains).Distinct().OrderBy(t => t).ToList();
            return new LoraModel(rank, alpha, dropout, seed, new EquatableArray<int>(targets.ToImmutableArray()));
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
