using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SimdDescent.Cli.Architectures;
using SimdDescent.Cli.Data;
using SimdDescent.Cli.Output;
using SimdDescent.Cli.Training;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.IO.Text;
using SimdDescent.Networks;
using SimdDescent.Randomness;
using SimdDescent.Kernels;
using SimdDescent.Training.Clipping;
using SimdDescent.Training.Optimizers;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary>
/// <c>train-lm</c>: trains a built-in byte-level language model on text, the run benchmarks/peers/pytorch_gpt.py's
/// <c>train</c> makes: the same split, the same training windows for a seed, the same learning rates and the
/// same validation rule, so that the two validation losses compare like for like.
/// </summary>
internal static class TrainLmCommand
{
    public const int DefaultSeed = 1337;

    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<string>("--data", "-d")
        {
            Description = "A directory of fortunes-style category files or one text file (raw or gzip).",
            DefaultValueFactory = _ => FortunesCorpus.DefaultDirectory,
        };
        var categories = new Option<string?>("--categories") { Description = "Comma-separated category files of the --data directory to use (default: all)." };
        var exclude = new Option<string?>("--exclude") { Description = "Comma-separated category files of the --data directory to leave out." };
        var architecture = new Option<string>("--arch", "-a")
        {
            Description = string.Join("; ", LanguageModelArchitecture.All.Select(a => $"{a.Name}: {a.Description}")),
            DefaultValueFactory = _ => LanguageModelArchitecture.DefaultName,
        }.AcceptOnlyFromAmong([.. LanguageModelArchitecture.Names]);
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate of AdamW (> 0), reached at the end of the warm-up.", DefaultValueFactory = _ => 1e-3 };
        var minimumLearningRate = new Option<double>("--min-lr") { Description = "Learning rate of the last step, where the cosine decay ends (≥ 0).", DefaultValueFactory = _ => 1e-4 };
        var warmup = new Option<int>("--warmup") { Description = "Steps of linear warm-up: step s (0-based) uses lr · (s + 1) / warmup.", DefaultValueFactory = _ => 100 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW's decoupled weight decay of the matrices and embeddings (biases and LayerNorms: none).", DefaultValueFactory = _ => 0.1 };
        var clip = new Option<double>("--clip") { Description = "Clip the gradient to this global norm before each step; 0 for no clipping.", DefaultValueFactory = _ => 1.0 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Training windows per step.", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 1000 };
        var evalInterval = new Option<int>("--eval-interval") { Description = "Estimate the validation loss every N steps on the first --eval-windows windows (0: only the full evaluation at the end)." };
        var evalWindows = new Option<int>("--eval-windows") { Description = "Validation windows of each interval estimate.", DefaultValueFactory = _ => 64 };
        var logInterval = new Option<int>("--log-interval") { Description = "Print the training loss every N steps.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed (≥ 0) of the initial weights and of the training windows.", DefaultValueFactory = _ => DefaultSeed };
        var output = new Option<string?>("--output") { Description = "Write the trained weights here (safetensors, nanoGPT names)." };
        var plot = new Option<string?>("--plot") { Description = "Write the training and validation loss curves to this PNG." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Write a full checkpoint (weights, AdamW state, step) here every --log-interval steps and after the last." };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint written by --checkpoint with the same settings: bitwise the weights of an uninterrupted run." };
        var threads = new Option<int>("--threads", "-t")
        {
            Description = $"Threads for the large products and the attention heads, at most the {Environment.ProcessorCount} processors here; a speed setting only (bitwise the same weights for any count).",
            DefaultValueFactory = _ => 1,
        };
        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop after this many steps of this run (the schedule still spans --steps); continue later with --resume." };

        var command = new Command("train-lm", "Train a built-in byte-level language model on text and report its validation loss in nats and bits per byte.")
        {
            data, categories, exclude, architecture, learningRate, minimumLearningRate, warmup, weightDecay, clip, batchSize, steps,
            evalInterval, evalWindows, logInterval, seed, threads, output, plot, checkpoint, resume, stopAfter,
        };
        command.SetAction(result => Execute(console, new TrainLmRun(
            result.GetValue(data)!, TextData.Names(result.GetValue(categories)), TextData.Names(result.GetValue(exclude)),
            LanguageModelArchitecture.Named(result.GetValue(architecture)!),
            result.GetValue(learningRate), result.GetValue(minimumLearningRate), result.GetValue(warmup), result.GetValue(weightDecay), result.GetValue(clip),
            result.GetValue(batchSize), result.GetValue(steps), result.GetValue(evalInterval), result.GetValue(evalWindows), result.GetValue(logInterval),
            result.GetValue(seed), result.GetValue(threads), result.GetValue(output), result.GetValue(plot), result.GetValue(checkpoint), result.GetValue(resume),
            result.GetValue(stopAfter))));
        return command;
    }

    private static int Execute(IAnsiConsole console, TrainLmRun run)
    {
        Validate(run);
        var previousThreads = Gemm.MaxThreads;
        Gemm.MaxThreads = run.Threads;
        try
        {
            return Train(console, run);
        }
        finally
        {
            Gemm.MaxThreads = previousThreads;
        }
    }

    private static int Train(IAnsiConsole console, TrainLmRun run)
    {
        var started = Stopwatch.GetTimestamp();
        var model = run.Architecture.Create();
        Expect.InRange(run.BatchSize, 1, model.MaxBatch, "--batch-size", $" (the {run.Architecture.Name} model's largest batch)");
        OutputFile.CheckAll((run.Output, "--output"), (run.Plot, "--plot"), (run.Checkpoint, "--checkpoint"));

        var corpus = TextData.Load(run.Data, run.Categories, run.Exclude);
        var training = Windows(corpus.Training, model.Context, "training");
        var validation = Windows(corpus.Validation, model.Context, "validation");
        console.WriteLine(Invariant($"text: {corpus.Sources.Count} file(s); {corpus.Training.Length:N0} bytes to train on, {corpus.Validation.Length:N0} to validate"));
        console.WriteLine(Invariant($"model: {run.Architecture.Name}, {model.ParameterCount:N0} parameters, SIMD path {SimdDescent.Kernels.SimdDispatch.Current}"));
        console.WriteLine(Invariant(
            $"AdamW: lr {run.LearningRate} → {run.MinimumLearningRate} (warm-up {run.Warmup}), weight decay {run.WeightDecay}, clip {run.Clip}"));
        console.WriteLine(Invariant($"steps: {run.Steps} of {run.BatchSize} windows of {model.Context} bytes, {run.Threads} thread(s)"));

        model.Initialize((ulong)run.Seed);
        var optimizer = new AdamW<float>(
            ParameterLayout.For(model, [.. NoDecay(model)]),
            new AdamWOptions { LearningRate = run.LearningRate, Beta1 = 0.9, Beta2 = 0.95, Epsilon = 1e-8, WeightDecay = run.WeightDecay });
        var schedule = new WarmupCosine(run.LearningRate, run.MinimumLearningRate, run.Warmup, run.Steps);
        var tokens = run.BatchSize * model.Context;
        var inputs = new int[tokens];
        var targets = new int[tokens];
        var random = new SplitMix64((ulong)run.Seed);
        var firstStep = run.Resume is { } resumeFrom ? Resume(console, run, resumeFrom, model, optimizer) : 0;
        for (var draw = 0L; draw < (long)firstStep * run.BatchSize; draw++)
        {
            // The windows the checkpointed steps drew, so the run goes on with the windows an uninterrupted one takes.
            random.NextUInt64();
        }

        var lastStep = run.StopAfter is { } stop ? Math.Min(run.Steps, firstStep + stop) : run.Steps;
        var losses = new List<double>();
        var estimates = new List<(int Step, double Loss)>();
        var trainingTicks = 0L;
        for (var step = firstStep; step < lastStep; step++)
        {
            var stepStart = Stopwatch.GetTimestamp();
            training.Sample(ref random, run.BatchSize, inputs, targets);
            optimizer.SetLearningRate(schedule.At(step));
            var loss = model.Forward(inputs, targets, run.BatchSize, model.Context);
            if (!float.IsFinite(loss))
            {
                throw new UserError(Invariant($"Training diverged: the loss of step {step + 1} is {loss}. Try a lower --lr."));
            }

            model.Backward();
            if (run.Clip > 0)
            {
                GradientClipping.ClipByGlobalNorm(model.Gradients, run.Clip);
            }

            optimizer.Step(model.Parameters, model.Gradients);
            trainingTicks += Stopwatch.GetTimestamp() - stepStart;
            losses.Add(loss);
            var done = step + 1;
            if (step == 0 || done % run.LogInterval == 0 || done == lastStep)
            {
                console.WriteLine(Invariant($"step {done,5}/{run.Steps}: train loss {loss:F4}, lr {schedule.At(step):G3}"));
                if (run.Checkpoint is { } path)
                {
                    TrainingCheckpoint.Save(path, model, optimizer, new TrainingPosition(0, done, run.Seed), [new(SettingsKey, Settings(run))]);
                }
            }

            if (run.EvalInterval > 0 && done % run.EvalInterval == 0 && done < run.Steps)
            {
                var estimate = ValidationLoss(model, validation, run.BatchSize, Math.Min(run.EvalWindows, validation.SequentialCount), inputs, targets);
                estimates.Add((done, estimate));
                console.WriteLine(Invariant($"step {done,5}/{run.Steps}: validation loss {estimate:F4} nats/byte on the first {run.EvalWindows} windows"));
            }
        }

        if (lastStep < run.Steps)
        {
            console.WriteLine(Invariant($"stopped after step {lastStep} of {run.Steps}; continue with --resume {run.Checkpoint}"));
            return 0;
        }

        var nats = ValidationLoss(model, validation, run.BatchSize, validation.SequentialCount, inputs, targets);
        estimates.Add((run.Steps, nats));
        var recent = losses[Math.Max(0, losses.Count - 100)..];
        var trainingSeconds = Stopwatch.GetElapsedTime(0, trainingTicks).TotalSeconds;
        console.WriteLine(Invariant($"validation loss: {nats:F4} nats/byte, {nats / Math.Log(2):F4} bits/byte ({validation.SequentialCount:N0} windows)"));
        console.WriteLine(Invariant($"train loss: {recent.Average():F4} (mean of the last {recent.Count} steps)"));
        console.WriteLine(Invariant($"training: {(double)losses.Count * tokens / trainingSeconds:N0} tokens/s over {trainingSeconds:F1} s of steps"));
        console.WriteLine(Invariant($"wall time: {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));

        if (run.Output is { } weights)
        {
            NetworkCheckpoint.Save(model, weights, [
                new("architecture", run.Architecture.Name),
                new("data", run.Data),
                new("n_head", run.Architecture.Heads.ToString(CultureInfo.InvariantCulture))]);
            console.MarkupLine($"weights written to [bold]{Markup.Escape(weights)}[/]");
        }

        if (run.Plot is { } png)
        {
            CurvePlot.SaveLosses(png, Invariant($"{run.Architecture.Name} (AdamW, lr {run.LearningRate}, batch {run.BatchSize})"), firstStep, losses, estimates);
            console.MarkupLine($"plot written to [bold]{Markup.Escape(png)}[/]");
        }

        return 0;
    }

    private static void Validate(TrainLmRun run)
    {
        Expect.Positive(run.Steps, "--steps");
        Expect.Positive(run.BatchSize, "--batch-size");
        Expect.InRange(run.Threads, 1, Environment.ProcessorCount, "--threads", " (the processors of this machine)");
        Expect.InRange(run.Warmup, 0, int.MaxValue, "--warmup");
        Expect.InRange(run.EvalInterval, 0, int.MaxValue, "--eval-interval");
        Expect.Positive(run.EvalWindows, "--eval-windows");
        Expect.Positive(run.LogInterval, "--log-interval");
        Expect.InRange(run.Seed, 0, int.MaxValue, "--seed");
        Expect.PositiveFinite(run.LearningRate, "--lr");
        Expect.NonNegativeFinite(run.MinimumLearningRate, "--min-lr");
        Expect.NonNegativeFinite(run.WeightDecay, "--weight-decay");
        Expect.NonNegativeFinite(run.Clip, "--clip");
        if (run.StopAfter is { } stop)
        {
            Expect.Positive(stop, "--stop-after");
            if (run.Checkpoint is null)
            {
                throw new UserError("--stop-after needs --checkpoint: the run continues from it with --resume.");
            }
        }

        if (run.Resume is { } resume && !File.Exists(resume))
        {
            throw new UserError($"--resume '{resume}' does not exist.");
        }
    }

    /// <summary>Restores the model and AdamW from a checkpoint of a run with the same settings and returns the steps it had taken.</summary>
    private static int Resume(IAnsiConsole console, TrainLmRun run, string path, ILanguageModel<float> model, AdamW<float> optimizer)
    {
        using (var file = SafetensorsFile.Open(path))
        {
            var recorded = file.Metadata.TryGetValue(SettingsKey, out var settings) ? settings : "none";
            if (recorded != Settings(run))
            {
                throw new UserError($"--resume '{path}' was written with the settings [{recorded}]; this run has [{Settings(run)}]. Resume with the same options.");
            }
        }

        var steps = TrainingCheckpoint.Load(path, model, optimizer).Steps;
        if (steps >= run.Steps)
        {
            throw new UserError(Invariant($"The checkpoint is at step {steps}; pass --steps greater than that to train further."));
        }

        console.MarkupLine(Markup.Escape(Invariant($"resuming {path} after step {steps}")));
        return (int)steps;
    }

    /// <summary>The options that decide a run's weights, which a checkpoint records and a resumed run must repeat.</summary>
    private static string Settings(TrainLmRun run) => Invariant(
        $"arch {run.Architecture.Name}; data {run.Data}; categories {string.Join(",", run.Categories)}; exclude {string.Join(",", run.Exclude)}; lr {run.LearningRate:R}; min-lr {run.MinimumLearningRate:R}; warmup {run.Warmup}; weight decay {run.WeightDecay:R}; clip {run.Clip:R}; batch {run.BatchSize}; steps {run.Steps}; seed {run.Seed}");

    /// <summary>The windows of one text, which must hold a window and its shifted targets.</summary>
    internal static TextWindows Windows(ReadOnlyMemory<byte> text, int context, string part) =>
        text.Length > context
            ? new TextWindows(text, context)
            : throw new UserError(Invariant($"The {part} text holds {text.Length} bytes; the model's windows need at least {context + 1} (context + 1). Give --data more text."));

    /// <summary>nanoGPT's grouping: matrices and embeddings decay, biases and LayerNorm parameters (1-D) do not.</summary>
    private static IEnumerable<ParameterGroup> NoDecay(ILanguageModel<float> model)
    {
        var vectors = model.Tensors.Where(t => t.Shape.Length < 2).Select(t => t.Name).ToArray();
        return vectors.Length == 0 ? [] : [new ParameterGroup(vectors) { WeightDecay = 0 }];
    }

    /// <summary>
    /// The mean cross-entropy over every position of the first <paramref name="count"/> sequential windows, in
    /// batches of <paramref name="batch"/>, as pytorch_gpt.py's validation_loss sums it.
    /// </summary>
    internal static double ValidationLoss(ILanguageModel<float> model, TextWindows windows, int batch, int count, int[] inputs, int[] targets)
    {
        var total = 0.0;
        for (var first = 0; first < count; first += batch)
        {
            var rows = windows.CopySequential(first, Math.Min(batch, count - first), inputs, targets);
            var length = rows * windows.Context;
            total += (double)model.Forward(inputs.AsSpan(0, length), targets.AsSpan(0, length), rows, windows.Context) * length;
        }

        return total / ((double)count * windows.Context);
    }

    private const string SettingsKey = "train_lm_settings";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record TrainLmRun(
        string Data, IReadOnlyList<string> Categories, IReadOnlyList<string> Exclude, LanguageModelArchitecture Architecture,
        double LearningRate, double MinimumLearningRate, int Warmup, double WeightDecay, double Clip, int BatchSize, int Steps,
        int EvalInterval, int EvalWindows, int LogInterval, int Seed, int Threads, string? Output, string? Plot, string? Checkpoint, string? Resume, int? StopAfter);
}
