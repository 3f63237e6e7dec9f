using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SimdDescent.Cli.Architectures;
using SimdDescent.Cli.Data;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Text;
using SimdDescent.Networks;
using SimdDescent.Randomness;
using SimdDescent.Training.Clipping;
using SimdDescent.Training.Optimizers;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary>
/// <c>finetune</c>: loads pretrained weights and trains them further on new data. A language model's base (train-lm's
/// file, nanoGPT names) trains on new text, with LoRA adapters on a frozen base (rank 4, α 8, on every block's c_attn,
/// attn.c_proj, c_fc and mlp.c_proj) or fully, optionally with some tensors frozen; an image base (train's file) trains
/// on some classes of its data set under a new head (<see cref="ImageFinetune"/>). Reports the validation metrics before
/// and after, the trained parameters and the time, and writes the adapters (PEFT's names) and the merged or fine-tuned
/// model (the base's names).
/// </summary>
internal static class FinetuneCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var weights = CommonOptions.RequiredFile("--base", "Pretrained weights: train-lm's --output (a language model) or train's --output (an image model); the architecture is read from the file.");
        var data = new Option<string?>("--data", "-d")
        {
            Description = $"Language models: a directory of fortunes-style category files or one text file (raw or gzip), default {FortunesCorpus.DefaultDirectory}. "
                + $"Image models: {LoadedData.Help}, default the base's.",
        };
        var categories = new Option<string?>("--categories") { Description = "Language models: comma-separated category files of the --data directory to fine-tune on (default: all)." };
        var classes = new Option<string?>("--classes") { Description = "Image models (required): " + ClassSelection.Help + " The new head has one output per class." };
        var method = new Option<string>("--method")
        {
            Description = "lora: train adapters on a frozen base (image models: and the new head); full: train every parameter not named by --freeze; "
                + "head (image models): train the new head alone.",
            DefaultValueFactory = _ => "lora",
        }.AcceptOnlyFromAmong("lora", "full", "head");
        var rank = new Option<int?>("--rank") { Description = "With --method lora: the adapters' rank (default: the architecture's, 4 for language models and 8 for the cnn; at most 16 and 32)." };
        var alpha = new Option<double?>("--alpha") { Description = "With --method lora: the adapters' α, their output scaled by α/rank (default: twice the default rank)." };
        var targets = new Option<string?>("--targets")
        {
            Description = "With --method lora: comma-separated modules that get adapters (default: all the architecture declares): a language model's "
                + "c_attn, attn.c_proj, c_fc, mlp.c_proj (c_proj: both projections) in every block; the cnn's 9 (its hidden Dense layer).",
        };
        var freeze = new Option<string?>("--freeze")
        {
            Description = "With --method full: comma-separated tensor-name prefixes to keep frozen, whole name parts, e.g. transformer.wte,transformer.h.0 or 0,1,4,5.",
        };
        var learningRate = new Option<double>("--lr") { Description = "AdamW's learning rate (> 0), constant.", DefaultValueFactory = _ => 1e-3 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Language models: training windows per step (default 16); image models: rows per step (default 64)." };
        var steps = new Option<int>("--steps") { Description = "Language models: training steps.", DefaultValueFactory = _ => 200 };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Image models: passes over the selected classes' training rows.", DefaultValueFactory = _ => 2 };
        var logInterval = new Option<int>("--log-interval") { Description = "Language models: print the training loss every N steps.", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed (≥ 0) of the new head, the adapters' initialization and the training order.", DefaultValueFactory = _ => TrainLmCommand.DefaultSeed };
        var adapters = new Option<string?>("--adapters") { Description = "With --method lora: write the adapters alone here (safetensors, PEFT's base_model.model.….lora_A/B.weight names, and an image model's new head)." };
        var output = new Option<string?>("--output") { Description = "Write the fine-tuned model here (safetensors, the base's names; LoRA adapters merged into the base)." };

        var command = new Command("finetune", "Fine-tune a pretrained model on new data with LoRA adapters, fully or (image models) its new head alone, and report the validation metrics before and after.")
        {
            weights, data, categories, classes, method, rank, alpha, targets, freeze, learningRate, batchSize, steps, epochs, logInterval, seed, adapters, output,
        };
        command.SetAction(result =>
        {
            var run = new FinetuneRun(
                result.GetValue(weights)!, result.GetValue(data), TextData.Names(result.GetValue(categories)), result.GetValue(classes), result.GetValue(method)!,
                new LoraOptions { Rank = result.GetValue(rank), Alpha = result.GetValue(alpha), Targets = result.GetValue(targets) is { } t ? TextData.Names(t) : null },
                TextData.Names(result.GetValue(freeze)), result.GetValue(learningRate), CommonOptions.Given(result, batchSize), result.GetValue(steps), result.GetValue(epochs),
                result.GetValue(logInterval), result.GetValue(seed), result.GetValue(adapters), result.GetValue(output));
            Validate(run);
            var file = WeightsFile.Open(run.Base);
            var recorded = file.Metadata.TryGetValue("architecture", out var name) ? name : null;
            if (Architecture.All.Any(a => a.Name == recorded))
            {
                RefuseGiven(result, "an image model", (categories, "--categories"), (steps, "--steps"), (logInterval, "--log-interval"));
                return ImageFinetune.Execute(console, run, file);
            }

            RefuseGiven(result, "a language model", (classes, "--classes"), (epochs, "--epochs"));
            if (run.Method == "head")
            {
                throw new UserError("--method head applies to image models: a language model's head is tied to its embedding.");
            }

            return Execute(console, run);
        });
        return command;
    }

    /// <summary>Options of the other kind of base are an error, not silently ignored.</summary>
    private static void RefuseGiven(ParseResult result, string kind, params (Option Option, string Name)[] options)
    {
        foreach (var (option, name) in options)
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                throw new UserError($"{name} does not apply when the base is {kind}.");
            }
        }
    }

    private static int Execute(IAnsiConsole console, FinetuneRun run)
    {
        var started = Stopwatch.GetTimestamp();
        var architecture = GenerateCommand.ArchitectureOf(run.Base);
        var model = run.Lora ? CreateAdapted(architecture.CreateWithAdapters, run.LoraOptions) : architecture.Create();
        var batchSize = run.BatchSize ?? 16;
        Expect.InRange(batchSize, 1, model.MaxBatch, "--batch-size", $" (the {architecture.Name} model's largest batch)");
        OutputFile.CheckAll((run.Adapters, "--adapters"), (run.Output, "--output"));

        var adapted = model as IAdaptedModel<float>;
        if (adapted is not null)
        {
            model.Initialize((ulong)run.Seed);
        }

        NetworkCheckpoint.Load(adapted?.Base ?? model, run.Base);
        var frozen = FrozenTensors(model, run.Freeze);
        var corpus = TextData.Load(run.Data ?? FortunesCorpus.DefaultDirectory, run.Categories, []);
        var training = TrainLmCommand.Windows(corpus.Training, model.Context, "training");
        var validation = TrainLmCommand.Windows(corpus.Validation, model.Context, "validation");
        var frozenCount = frozen.Sum(t => t.Length);
        var trained = model.ParameterCount - frozenCount;
        var total = (adapted?.Base.ParameterCount ?? 0) + model.ParameterCount;
        console.WriteLine(Invariant($"text: {corpus.Sources.Count} file(s); {corpus.Training.Length:N0} bytes to train on, {corpus.Validation.Length:N0} to validate"));
        console.WriteLine(Invariant($"model: {architecture.Name} from {run.Base}; method {(run.Lora ? $"LoRA rank {adapted!.AdapterRank}, α {adapted.AdapterAlpha} on {string.Join(", ", adapted.AdapterTargets)}" : "full")}"));
        console.WriteLine(Invariant($"trained parameters: {trained:N0} of {total:N0} ({100.0 * trained / total:F2}%)"));

        var tokens = batchSize * model.Context;
        var inputs = new int[tokens];
        var targets = new int[tokens];
        var before = TrainLmCommand.ValidationLoss(model, validation, batchSize, validation.SequentialCount, inputs, targets);
        console.WriteLine(Invariant($"validation loss before: {before:F4} nats/byte"));

        // nanoGPT's grouping as in train-lm (vectors do not decay), with the frozen tensors in a group of their own.
        var groups = new List<ParameterGroup>();
        var vectors = model.Tensors.Where(t => t.Shape.Length < 2 && !frozen.Contains(t)).Select(t => t.Name).ToArray();
        if (vectors.Length > 0)
        {
            groups.Add(new ParameterGroup(vectors) { WeightDecay = 0 });
        }

        if (frozen.Count > 0)
        {
            groups.Add(new ParameterGroup([.. frozen.Select(t => t.Name)]) { IsFrozen = true });
        }

        var optimizer = new AdamW<float>(
            ParameterLayout.For(model, [.. groups]),
            new AdamWOptions { LearningRate = run.LearningRate, Beta1 = 0.9, Beta2 = 0.95, WeightDecay = run.Lora ? 0 : 0.1 });
        var random = new SplitMix64((ulong)run.Seed);
        var trainingTicks = 0L;
        for (var step = 0; step < run.Steps; step++)
        {
            var stepStart = Stopwatch.GetTimestamp();
            training.Sample(ref random, batchSize, inputs, targets);
            var loss = model.Forward(inputs, targets, batchSize, model.Context);
            if (!float.IsFinite(loss))
            {
                throw new UserError(Invariant($"Fine-tuning diverged: the loss of step {step + 1} is {loss}. Try a lower --lr."));
            }

            model.Backward();
            foreach (var tensor in frozen)
            {
                // A frozen tensor's gradient must not count in the clipping norm.
                model.Gradients.Slice(tensor.Offset, tensor.Length).Clear();
            }

            GradientClipping.ClipByGlobalNorm(model.Gradients, 1.0);
            optimizer.Step(model.Parameters, model.Gradients);
            trainingTicks += Stopwatch.GetTimestamp() - stepStart;
            if (step == 0 || (step + 1) % run.LogInterval == 0 || step + 1 == run.Steps)
            {
                console.WriteLine(Invariant($"step {step + 1,5}/{run.Steps}: train loss {loss:F4}"));
            }
        }

        var after = TrainLmCommand.ValidationLoss(model, validation, batchSize, validation.SequentialCount, inputs, targets);
        var seconds = Stopwatch.GetElapsedTime(0, trainingTicks).TotalSeconds;
        console.WriteLine(Invariant($"validation loss after: {after:F4} nats/byte ({after - before:+0.0000;-0.0000} from {before:F4})"));
        console.WriteLine(Invariant($"training: {run.Steps} steps in {seconds:F1} s, {1000 * seconds / run.Steps:F1} ms per step"));
        console.WriteLine(Invariant($"wall time: {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));

        var metadata = new KeyValuePair<string, string>[]
        {
            new("architecture", architecture.Name),
            new("data", run.Data ?? FortunesCorpus.DefaultDirectory),
            new("n_head", architecture.Heads.ToString(CultureInfo.InvariantCulture)),
        };
        if (run.Adapters is { } adapterPath)
        {
            NetworkCheckpoint.Save(model, adapterPath, [.. metadata, .. AdapterMetadata(adapted!)]);
            console.MarkupLine($"adapters written to [bold]{Markup.Escape(adapterPath)}[/]");
        }

        if (run.Output is { } path)
        {
            adapted?.MergeAdapters();
            NetworkCheckpoint.Save(adapted?.Base ?? model, path, metadata);
            console.MarkupLine($"{(adapted is null ? "fine-tuned" : "merged")} model written to [bold]{Markup.Escape(path)}[/]");
        }

        return 0;
    }

    private static void Validate(FinetuneRun run)
    {
        Expect.Positive(run.Steps, "--steps");
        Expect.Positive(run.Epochs, "--epochs");
        Expect.Positive(run.BatchSize ?? 1, "--batch-size");
        Expect.Positive(run.LogInterval, "--log-interval");
        Expect.InRange(run.Seed, 0, int.MaxValue, "--seed");
        Expect.PositiveFinite(run.LearningRate, "--lr");
        if (run.Method != "full" && run.Freeze.Count > 0)
        {
            throw new UserError($"--freeze applies to --method full; --method {run.Method} freezes the whole base.");
        }

        if (!run.Lora && (run.LoraOptions.Rank is not null || run.LoraOptions.Alpha is not null || run.LoraOptions.Targets is not null))
        {
            throw new UserError($"--rank, --alpha and --targets choose adapters: they need --method lora, not {run.Method}.");
        }

        if (!run.Lora && run.Adapters is not null)
        {
            throw new UserError($"--adapters needs --method lora: --method {run.Method} trains no adapters; write the model with --output.");
        }
    }

    /// <summary>Builds a model with the adapters the options choose; options the declaration refuses are the user's error.</summary>
    internal static TModel CreateAdapted<TModel>(Func<LoraOptions, TModel> create, LoraOptions options)
    {
        try
        {
            return create(options);
        }
        catch (ArgumentException e) when (e.ParamName is nameof(LoraOptions.Rank) or nameof(LoraOptions.Alpha) or nameof(LoraOptions.Targets))
        {
            var given = e.ParamName switch
            {
                nameof(LoraOptions.Rank) => Invariant($"{options.Rank}"),
                nameof(LoraOptions.Alpha) => Invariant($"{options.Alpha}"),
                _ => string.Join(",", options.Targets ?? []),
            };
            throw new UserError($"--{e.ParamName.ToLowerInvariant()} {given}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    /// <summary>What an adapters file records of its adapters, as PEFT's adapter_config.json holds them.</summary>
    internal static KeyValuePair<string, string>[] AdapterMetadata<T>(IAdaptedModel<T> adapted)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
    [
        new("lora_rank", Invariant($"{adapted.AdapterRank}")),
        new("lora_alpha", Invariant($"{adapted.AdapterAlpha}")),
        new("lora_targets", string.Join(",", adapted.AdapterTargets)),
    ];

    /// <summary>
    /// The tensors whose PyTorch names start with one of the prefixes as whole name parts ("0" names 0.weight, not
    /// 01.weight); a prefix matching none is an error, and so is freezing everything.
    /// </summary>
    internal static List<TensorInfo> FrozenTensors<T>(IModel<T> model, IReadOnlyList<string> prefixes)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var frozen = new List<TensorInfo>();
        foreach (var prefix in prefixes)
        {
            var matches = model.Tensors.Where(t => t.PyTorchName is { } name && (name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal))).ToList();
            if (matches.Count == 0)
            {
                throw new UserError($"--freeze '{prefix}' names no tensor; the model's tensors are: {string.Join(", ", model.Tensors.Select(t => t.PyTorchName))}.");
            }

            frozen.AddRange(matches.Except(frozen));
        }

        if (frozen.Count == model.Tensors.Count)
        {
            throw new UserError("--freeze leaves nothing to train.");
        }

        return frozen;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal sealed record FinetuneRun(
        string Base, string? Data, IReadOnlyList<string> Categories, string? Classes, string Method, LoraOptions LoraOptions, IReadOnlyList<string> Freeze, double LearningRate,
        int? BatchSize, int Steps, int Epochs, int LogInterval, int Seed, string? Adapters, string? Output)
    {
        public bool Lora => Method == "lora";
    }
}
