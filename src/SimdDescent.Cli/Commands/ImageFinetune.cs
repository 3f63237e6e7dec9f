using System.Globalization;
using SimdDescent.Cli.Architectures;
using SimdDescent.Cli.Data;
using SimdDescent.Cli.Output;
using SimdDescent.IO.Checkpoints;
using SimdDescent.Networks;
using SimdDescent.Training;
using SimdDescent.Training.Optimizers;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary>
/// <c>finetune</c> on an image base (train's file): the base network under a new head with one output per class of
/// <c>--classes</c>, freshly initialized, trained on those classes' training rows with AdamW (no weight decay) and
/// measured on their test rows before and after. <c>lora</c> trains the adapters of <see cref="CnnHead2Lora"/> and
/// the head, <c>head</c> the head alone (the same network without adapters), both on a frozen base whose batch
/// normalization uses its running statistics and whose backward pass stops at the lowest trained layer; <c>full</c>
/// trains every tensor not frozen of the plain network, whose batch normalization runs as PyTorch's train() mode does
/// (batch statistics, running statistics updated).
/// </summary>
internal static class ImageFinetune
{
    public const int DefaultBatchSize = 64;

    public static int Execute(IAnsiConsole console, FinetuneCommand.FinetuneRun run, WeightsFile file)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (run.Classes is null)
        {
            throw new UserError("--classes is required with an image base: name the classes to fine-tune on, e.g. --classes 8,9.");
        }

        var baseArchitecture = Architecture.Named(file.Metadata["architecture"]);
        var loaded = LoadedData.Load(file.DataSet(run.Data), run.Classes);
        if (loaded.Train.InputWidth != baseArchitecture.Inputs)
        {
            throw new UserError(Invariant($"The {baseArchitecture.Name} base takes {baseArchitecture.Inputs} inputs, but {loaded.Name} has {loaded.Train.InputWidth} features."));
        }

        var target = ImageFinetuneArchitecture.For(baseArchitecture.Name, loaded.ClassNames.Count);
        // The head alone is the adapted network without adapters: its backward stops at the head, its base stays frozen.
        var network = run.Method switch
        {
            "lora" => FinetuneCommand.CreateAdapted(target.CreateWithAdapters, run.LoraOptions),
            "head" => target.CreateWithAdapters(new LoraOptions { Targets = [] }),
            _ => target.Plain.Create(),
        };
        var batchSize = run.BatchSize ?? DefaultBatchSize;
        Expect.InRange(batchSize, 1, network.MaxBatch, "--batch-size", $" (the {target.Plain.Name} network's largest batch)");
        OutputFile.CheckAll((run.Adapters, "--adapters"), (run.Output, "--output"));

        // The new head starts from the network's own initializer; every other tensor comes from the base file.
        network.Initialize((ulong)run.Seed);
        var adapted = network as IAdaptedModel<float>;
        var whole = adapted?.Base ?? network;
        var head = HeadTensors(whole);
        NetworkCheckpoint.Load(whole, run.Base, [.. head.Select(t => t.PyTorchName!)]);

        var frozen = run.Method == "full" ? FinetuneCommand.FrozenTensors(network, run.Freeze) : [];
        var trained = network.ParameterCount - frozen.Sum(t => t.Length);
        // The head trained whole sits in both arenas of an adapted network: counted once.
        var total = whole.ParameterCount + (adapted is null ? 0 : network.Tensors.Where(t => t.Name.Contains(".lora_", StringComparison.Ordinal)).Sum(t => t.Length));
        var method = run.Method switch
        {
            "lora" => Invariant($"LoRA rank {adapted!.AdapterRank}, α {adapted.AdapterAlpha} on {(adapted.AdapterTargets.Count == 0 ? "no layer" : string.Join(", ", adapted.AdapterTargets))}, new head trained whole"),
            "head" => "new head alone, base frozen",
            _ => frozen.Count == 0 ? "full" : $"full, frozen: {string.Join(", ", frozen.Select(t => t.PyTorchName))}",
        };
        console.WriteLine(Invariant($"data: {loaded.Description}: {loaded.Train.Count:N0} training rows, {loaded.Test.Count:N0} validation rows (its test rows)"));
        console.WriteLine(Invariant($"model: {target.Plain.Name} from {run.Base} ({baseArchitecture.Name}; new head {string.Join(", ", head.Select(t => t.PyTorchName))}); {method}"));
        console.WriteLine(Invariant($"trained parameters: {trained:N0} of {total:N0} ({100.0 * trained / total:F2}%)"));
        var before = ClassificationReport.Compute(network, loaded.Test);
        console.WriteLine(Invariant($"validation before: loss {before.Loss:F4}, accuracy {before.Accuracy:F4} (the new head untrained)"));

        var groups = frozen.Count == 0 ? [] : new[] { new ParameterGroup([.. frozen.Select(t => t.Name)]) { IsFrozen = true } };
        var optimizer = new AdamW<float>(ParameterLayout.For(network, groups), new AdamWOptions { LearningRate = run.LearningRate, WeightDecay = 0 });
        var options = new TrainerOptions { Epochs = run.Epochs, BatchSize = batchSize, Seed = run.Seed };
        TrainingResult result;
        using (var trainer = new Trainer<float>(network, optimizer, options))
        {
            result = trainer.Fit(loaded.Train, loaded.Test);
        }

        console.Write(TrainCommand.HistoryTable(result.History));
        var after = ClassificationReport.Compute(network, loaded.Test);
        var seconds = result.History.Sum(h => loaded.Train.Count / h.SamplesPerSecond);
        console.WriteLine(Invariant($"validation after: loss {after.Loss:F4}, accuracy {after.Accuracy:F4} (from {before.Accuracy:F4})"));
        console.WriteLine(Invariant($"training: {run.Epochs} epoch(s), {result.Steps} steps in {seconds:F1} s, {1000 * seconds / result.Steps:F1} ms per step"));
        console.WriteLine(Invariant($"wall time: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));

        KeyValuePair<string, string>[] metadata = [new("architecture", target.Plain.Name), new("data", loaded.Name), .. TrainCommand.ClassesMetadata(loaded), new("base", baseArchitecture.Name)];
        if (run.Adapters is { } adapterPath)
        {
            NetworkCheckpoint.Save(network, adapterPath, [.. metadata, .. FinetuneCommand.AdapterMetadata(adapted!)]);
            console.MarkupLine($"adapters and head written to [bold]{Markup.Escape(adapterPath)}[/]");
        }

        if (run.Output is { } path)
        {
            adapted?.MergeAdapters();
            NetworkCheckpoint.Save(whole, path, metadata);
            console.MarkupLine($"{(adapted is null ? "fine-tuned" : "merged")} model written to [bold]{Markup.Escape(path)}[/]");
        }

        return 0;
    }

    /// <summary>The last layer's tensors (nn.Sequential's last module): the head the base file's tensors do not fit.</summary>
    private static List<TensorInfo> HeadTensors(IModel<float> model)
    {
        var last = Module(model.Tensors[^1].PyTorchName!);
        return [.. model.Tensors.Where(t => Module(t.PyTorchName!) == last)];
    }

    /// <summary>The module of a tensor name: "base_model.model.9.lora_A.weight" → "9", "11.weight" → "11".</summary>
    private static string Module(string name)
    {
        var parts = name.Replace("base_model.model.", string.Empty, StringComparison.Ordinal).Split('.');
        return parts[0];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
