using System.Globalization;
using SimdDescent.IO.Safetensors;

namespace SimdDescent.Cli.Training;

/// <summary>
/// The settings that fix a run's arithmetic: the seed (initial weights and shuffles), the batch size and the shard
/// count (the batches and the order of every sum). A checkpoint records them, and a resumed run refuses others.
/// </summary>
internal sealed record RunSettings(int Seed, int BatchSize, int Shards)
{
    public const int DefaultSeed = 0;

    public const int DefaultBatchSize = 32;

    /// <summary>Rows per shard when --shards is not given: one shard holds a 64-row batch, so small batches pay no reduction.</summary>
    public const int DefaultRowsPerShard = 64;

    /// <summary>More shards than this only multiply workspaces and reductions.</summary>
    public const int MaxShards = 64;

    public static int DefaultShards(int batchSize) => (batchSize + DefaultRowsPerShard - 1) / DefaultRowsPerShard;

    /// <summary>
    /// The settings of this run: the values given, else on resume the checkpoint's, else the defaults. A value given
    /// that differs from the checkpoint's is an error naming both: the resumed run would silently diverge from the
    /// interrupted one.
    /// </summary>
    public static RunSettings Resolve(int? seed, int? batchSize, int? shards, string? checkpoint)
    {
        var stored = checkpoint is null ? default : Read(checkpoint);
        var resolvedSeed = Pick(seed, stored.Seed, DefaultSeed, "--seed", "seed");
        var resolvedBatch = Pick(batchSize, stored.BatchSize, DefaultBatchSize, "--batch-size", "batch size");
        return new RunSettings(resolvedSeed, resolvedBatch, Pick(shards, stored.Shards, DefaultShards(resolvedBatch), "--shards", "shard count"));
    }

    public IEnumerable<KeyValuePair<string, string>> ToMetadata() =>
        [new("batch_size", Invariant(BatchSize)), new("shards", Invariant(Shards))];

    private static int Pick(int? given, int? stored, int fallback, string option, string what)
    {
        if (given is { } value && stored is { } recorded && value != recorded)
        {
            throw new UserError(string.Create(
                CultureInfo.InvariantCulture, $"{option} {value} differs from the checkpoint's {what} {recorded}; resume with the checkpoint's (leave out {option} or pass {option} {recorded})."));
        }

        return given ?? stored ?? fallback;
    }

    /// <summary>What a checkpoint records; the batch size and shard count are missing (null) from checkpoints of other writers.</summary>
    private static (int? Seed, int? BatchSize, int? Shards) Read(string checkpoint)
    {
        using var file = SafetensorsFile.Open(checkpoint);
        return (Number(file, "shuffle_seed"), Number(file, "batch_size"), Number(file, "shards"));
    }

    private static int? Number(SafetensorsFile file, string key) =>
        file.Metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
