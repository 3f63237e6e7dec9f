using System;
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
        /// <summary>Reads [LoraAdapters] on a network when present: the common options and the targeted Dense layers.</summary>
        private LoraModel? ReadLora(List<LayerModel> layers)
        {
            if (ReadLoraOptions() is not { } options)
            {
                return null;
            }

            var dense = Enumerable.Range(0, layers.Count).Where(i => layers[i].Kind == LayerKind.Dense).ToList();
            var declared = Named(options.Attribute, "Targets") is { Kind: TypedConstantKind.Array } array
                ? array.Values.Select(v => v.Value is int i ? i : -1).ToList()
                : [];
            foreach (var target in declared.Where(t => !dense.Contains(t)))
            {
                Report(DiagnosticDescriptors.LoraTargetNotDense, options.Attribute, Text(target), type.Name,
                    string.Join(", ", dense.Select(Text)));
            }

            var trainable = Named(options.Attribute, "Trainable") is { Kind: TypedConstantKind.Array } trainableArray
                ? trainableArray.Values.Select(v => v.Value is int i ? i : -1).Distinct().OrderBy(t => t).ToList()
                : [];
            var targets = (declared.Count == 0 ? dense : declared.Where(dense.Contains)).Except(trainable).Distinct().OrderBy(t => t).ToList();
            foreach (var layer in trainable.Where(t => !dense.Contains(t) || declared.Contains(t)))
            {
                Report(DiagnosticDescriptors.LoraTrainableNotDense, options.Attribute, Text(layer), type.Name,
                    string.Join(", ", dense.Where(d => !declared.Contains(d)).Select(Text)));
            }

            return options.Model with
            {
                Targets = new EquatableArray<int>(targets.ToImmutableArray()),
                Trainable = new EquatableArray<int>(trainable.Where(dense.Contains).ToImmutableArray()),
            };
        }

        /// <summary>Reads [LoraAdapters] on a language model when present: the targeted modules of every block, no dropout.</summary>
        private LoraModel? ReadLanguageModelLora()
        {
            if (ReadLoraOptions() is not { } options)
            {
                return null;
            }

            if (options.Model.Dropout != 0)
            {
                Report(DiagnosticDescriptors.OutOfRange, options.Attribute, "LoraAdapters Dropout on a language model", Format(options.Model.Dropout), "0");
            }

            if (Named(options.Attribute, "Trainable") is { Kind: TypedConstantKind.Array } trainable && trainable.Values.Length > 0)
            {
                Report(DiagnosticDescriptors.OutOfRange, options.Attribute, "LoraAdapters Trainable on a language model", "[" + Text(trainable.Values.Length) + " layers]", "empty");
            }

            var names = Named(options.Attribute, "Modules") is { Kind: TypedConstantKind.Array } array
                ? array.Values.Select(v => v.Value as string ?? string.Empty).ToList()
                : [];
            var targets = new SortedSet<int>();
            foreach (var name in names)
            {
                var matches = Enumerable.Range(0, LanguageModelModules.Names.Length)
                    .Where(m => LanguageModelModules.Names[m] == name || LanguageModelModules.Names[m].EndsWith("." + name, StringComparison.Ordinal))
                    .ToList();
                if (matches.Count == 0)
                {
                    Report(DiagnosticDescriptors.UnknownOption, options.Attribute, "LoraAdapters Modules", name, "c_attn, attn.c_proj, c_fc, mlp.c_proj or c_proj");
                }

                targets.UnionWith(matches);
            }

            var all = names.Count == 0 ? Enumerable.Range(0, LanguageModelModules.Names.Length) : targets;
            return options.Model with { Targets = new EquatableArray<int>(all.ToImmutableArray()) };
        }

        /// <summary>Rank, α, dropout and seed of [LoraAdapters], checked, or null without the attribute.</summary>
        private (AttributeData Attribute, LoraModel Model)? ReadLoraOptions()
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

            var maxRank = Named(attribute, "MaxRank") is { Value: int m } ? m : 0;
            if (maxRank != 0 && maxRank < rank)
            {
                Report(DiagnosticDescriptors.OutOfRange, attribute, "LoraAdapters MaxRank", Text(maxRank), "at least Rank (" + Text(rank) + "), or unset");
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
            return (attribute, new LoraModel(Math.Max(rank, 1), Math.Max(Math.Max(rank, 1), maxRank), alpha, dropout, seed, EquatableArray<int>.Empty, EquatableArray<int>.Empty));
        }

    }
}
