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
/// <c>finetune</c>: loads a language model's pretrained weights (train-lm's file, nanoGPT names) and trains it
/// further on new text, either with LoRA adapters on a frozen base (rank 4, α 8, on every block's c_attn,
/// attn.c_proj, c_fc and mlp.c_proj) or fully, optionally with some tensors frozen. Reports the validation loss
/// of the new text before and after, the trained parameters and the time, and writes the adapters (PEFT's names)
/// and the merged or fine-tuned model (nanoGPT's names, which <c>generate</c> reads).
/// </summary>
internal static class FinetuneCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var weights = CommonOptions.RequiredFile("--base", "Pretrained weights written by train-lm --output (nanoGPT names; the architecture is read from the file).");
        var data = new Option<string>("--data", "-d")
        {
            Description = "A directory of fortunes-style category files or one text file (raw or gzip): the new text.",
            DefaultValueFactory = _ => FortunesCorpus.DefaultDirectory,
        };
        var categories = new Option<string?>("--categories") { Description = "Comma-separated category files of the --data directory to fine-tune on (default: all)." };
        var method = new Option<string>("--method")
        {
            Description = "lora: train rank-4 adapters (α 8) on a frozen base; full: train every parameter not named by --freeze.",
            DefaultValueFactory = _ => "lora",
        }.AcceptOnlyFromAmong("lora", "full");
        var freeze = new Option<string?>("--freeze") { Description = "With --method full: comma-separated prefixes of the nanoGPT tensor names to keep frozen, e.g. transformer.wte,transformer.h.0." };
        var learningRate = new Option<double>("--lr") { Description = "AdamW's learning rate (> 0), constant.", DefaultValueFactory = _ => 1e-3 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Training windows per step.", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 200 };
        var logInterval = new Option<int>("--log-interval") { Description = "Print the training loss every N steps.", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed (≥ 0) of the adapters' initialization and of the training windows.", DefaultValueFactory = _ => TrainLmCommand.DefaultSeed };
        var adapters = new Option<string?>("--adapters") { Description = "With --method lora: write the adapters alone here (safetensors, PEFT's base_model.model.….lora_A/B.weight names)." };
        var output = new Option<string?>("--output") { Description = "Write the fine-tuned model here (safetensors, nanoGPT names; LoRA adapters merged into the base)." };

        var command = new Command("finetune", "Fine-tune a pretrained language model on new text with LoRA adapters or fully, and report the validation loss before and after.")
        {
            weights, data, categories, method, freeze, learningRate, batchSize, steps, logInterval, seed, adapters, output,
        };
        command.SetAction(result => Execute(console, new FinetuneRun(
            result.GetValue(weights)!, result.GetValue(data)!, TextData.Names(result.GetValue(categories)), result.GetValue(method) == "lora",
            TextData.Names(result.GetValue(freeze)), result.GetValue(learningRate), result.GetValue(batchSize), result.GetValue(steps),
            result.GetValue(logInterval), result.GetValue(seed), result.GetValue(adapters), result.GetValue(output))));
        return command;
    }

    private static int Execute(IAnsiConsole console, FinetuneRun run)
    {
        var started = Stopwatch.GetTimestamp();
        Validate(run);
        var architecture = GenerateCommand.ArchitectureOf(run.Base);
        var model = run.Lora ? architecture.CreateWithAdapters() : architecture.Create();
        Expect.InRange(run.BatchSize, 1, model.MaxBatch, "--batch-size", $" (the {architecture.Name} model's largest batch)");
        OutputFile.CheckAll((run.Adapters, "--adapters"), (run.Output, "--output"));

        var adapted = model as IAdaptedModel<float>;
        if (adapted is not null)
        {
            model.Initialize((ulong)run.Seed);
        }

        NetworkCheckpoint.Load(adapted?.Base ?? model, run.Base);
        var frozen = FrozenTensors(model, run.Freeze);
        var corpus = TextData.Load(run.Data, run.Categories, []);
        var training = TrainLmCommand.Windows(corpus.Training, model.Context, "training");
        var validation = TrainLmCommand.Windows(corpus.Validation, model.Context, "validation");
        var frozenCount = frozen.Sum(t => t.Length);
        var trained = model.ParameterCount - frozenCount;
        var total = (adapted?.Base.ParameterCount ?? 0) + model.ParameterCount;
        console.WriteLine(Invariant($"text: {corpus.Sources.Count} file(s); {corpus.Training.Length:N0} bytes to train on, {corpus.Validation.Length:N0} to validate"));
        console.WriteLine(Invariant($"model: {architecture.Name} from {run.Base}; method {(run.Lora ? $"LoRA rank {adapted!.AdapterRank}, α {adapted.AdapterAlpha}" : "full")}"));
        console.WriteLine(Invariant($"trained parameters: {trained:N0} of {total:N0} ({100.0 * trained / total:F2}%)"));

        var tokens = run.BatchSize * model.Context;
        var inputs = new int[tokens];
        var targets = new int[tokens];
        var before = TrainLmCommand.ValidationLoss(model, validation, run.BatchSize, validation.SequentialCount, inputs, targets);
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
            training.Sample(ref random, run.BatchSize, inputs, targets);
            var loss = model.Forward(inputs, targets, run.BatchSize, model.Context);
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

        var after = TrainLmCommand.ValidationLoss(model, validation, run.BatchSize, validation.SequentialCount, inputs, targets);
        var seconds = Stopwatch.GetElapsedTime(0, trainingTicks).TotalSeconds;
        console.WriteLine(Invariant($"validation loss after: {after:F4} nats/byte ({after - before:+0.0000;-0.0000} from {before:F4})"));
        console.WriteLine(Invariant($"training: {run.Steps} steps in {seconds:F1} s, {1000 * seconds / run.Steps:F1} ms per step"));
        console.WriteLine(Invariant($"wall time: {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));

        var metadata = new KeyValuePair<string, string>[]
        {
            new("architecture", architecture.Name),
            new("data", run.Data),
            new("n_head", architecture.Heads.ToString(CultureInfo.InvariantCulture)),
        };
        if (run.Adapters is { } adapterPath)
        {
            NetworkCheckpoint.Save(model, adapterPath, [.. metadata, new("lora_rank", Invariant($"{adapted!.AdapterRank}")), new("lora_alpha", Invariant($"{adapted.AdapterAlpha}"))]);
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
        Expect.Positive(run.BatchSize, "--batch-size");
        Expect.Positive(run.LogInterval, "--log-interval");
        Expect.InRange(run.Seed, 0, int.MaxValue, "--seed");
        Expect.PositiveFinite(run.LearningRate, "--lr");
        if (run.Lora && run.Freeze.Count > 0)
        {
            throw new UserError("--freeze applies to --method full; with LoRA the whole base is frozen.");
        }

        if (!run.Lora && run.Adapters is not null)
        {
            throw new UserError("--adapters needs --method lora: full fine-tuning trains no adapters; write the model with --output.");
        }
    }

    /// <summary>The tensors whose names start with one of the prefixes; a prefix matching none is an error.</summary>
    private static List<TensorInfo> FrozenTensors(ILanguageModel<float> model, IReadOnlyList<string> prefixes)
    {
        var frozen = new List<TensorInfo>();
        foreach (var prefix in prefixes)
        {
            var matches = model.Tensors.Where(t => (t.PyTorchName ?? t.Name).StartsWith(prefix, StringComparison.Ordinal)).ToList();
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

    private sealed record FinetuneRun(
        string Base, string Data, IReadOnlyList<string> Categories, bool Lora, IReadOnlyList<string> Freeze, double LearningRate,
        int BatchSize, int Steps, int LogInterval, int Seed, string? Adapters, string? Output);
}
