using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SimdDescent.Cli.Data;
using SimdDescent.Cli.Output;
using SimdDescent.Cli.Training;
using SimdDescent.IO.Checkpoints;
using SimdDescent.Networks;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Progress;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary><c>train</c>: fits a built-in network to a data set with live progress, then reports the test accuracy.</summary>
internal static class TrainCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var data = CommonOptions.Data();
        var classes = CommonOptions.Classes();
        var architecture = CommonOptions.Architecture();
        var optimizer = new Option<string>("--optimizer", "-o") { Description = "sgd, adam, adamw, rmsprop or adagrad.", DefaultValueFactory = _ => "sgd" }
            .AcceptOnlyFromAmong(OptimizerChoice.Names);
        var learningRate = new Option<double>("--lr") { Description = "Learning rate (> 0).", DefaultValueFactory = _ => 0.05 };
        var momentum = new Option<double>("--momentum") { Description = "Momentum in [0, 1) (sgd, rmsprop; other optimizers refuse it).", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Nesterov momentum (sgd with --momentum > 0 only)." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay ≥ 0 (default 0; 0.01 for adamw, decoupled)." };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: constant, cosine, step, exponential or onecycle.", DefaultValueFactory = _ => "constant" }
            .AcceptOnlyFromAmong(ScheduleChoice.Names);
        var stepSize = new Option<int>("--step-size") { Description = "Epochs between decays (step schedule; ≥ 1).", DefaultValueFactory = _ => 5 };
        var gamma = new Option<double>("--gamma") { Description = "Decay factor in (0, 1] (step, exponential).", DefaultValueFactory = _ => 0.5 };
        var cycleMomentum = new Option<bool>("--cycle-momentum")
        {
            Description = "With onecycle: cycle the momentum (sgd, rmsprop) or beta1 (adam, adamw) between 0.95 and 0.85, as PyTorch's cycle_momentum.",
        };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Rows per step (on --resume: the checkpoint's).", DefaultValueFactory = _ => RunSettings.DefaultBatchSize };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs to train (in total, when resuming).", DefaultValueFactory = _ => 20 };
        var seed = CommonOptions.Seed();
        var shards = new Option<int>("--shards")
        {
            Description = $"Data-parallel shards per batch, at most {RunSettings.MaxShards} (default: one per {RunSettings.DefaultRowsPerShard} rows of the batch). "
                + "The weights depend on the batch size and the shard count, never on --threads.",
        };
        var threads = new Option<int>("--threads", "-t")
        {
            Description = $"Threads that compute the shards, at most the {Environment.ProcessorCount} processors here; a speed setting only (bitwise the same weights for any count).",
            DefaultValueFactory = _ => 1,
        };
        var flip = new Option<bool>("--flip") { Description = "Mirror each training image left to right with probability 1/2, drawn from the seed (the test rows are left as they are)." };
        var shift = new Option<int>("--shift") { Description = "Shift each training image by up to this many pixels along each axis, zeros shifted in (default 0: none)." };
        var gradcheck = new Option<bool>("--gradcheck") { Description = "Check the gradients numerically on the first batch before training." };
        var output = new Option<string?>("--output") { Description = "Write the trained weights here (safetensors, PyTorch nn.Sequential names)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Write a full checkpoint (weights, optimizer, position) here after every epoch." };
        var resume = new Option<string?>("--resume") { Description = "Resume from a checkpoint written by --checkpoint (same options)." };
        var plot = new Option<string?>("--plot") { Description = "Write loss and accuracy curves to this PNG." };
        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop after this many epochs of this run (schedules still span --epochs); continue later with --resume." };

        var command = new Command("train", "Train a built-in network and report its test accuracy.")
        {
            data, classes, architecture, optimizer, learningRate, momentum, nesterov, weightDecay, schedule, stepSize, gamma, cycleMomentum,
            batchSize, epochs, seed, shards, threads, flip, shift, gradcheck, output, checkpoint, resume, plot, stopAfter,
        };
        command.SetAction(result =>
        {
            var choice = new OptimizerChoice(result.GetValue(optimizer)!, result.GetValue(learningRate), result.GetValue(momentum), result.GetValue(nesterov), result.GetValue(weightDecay));
            choice.Validate(momentumGiven: CommonOptions.Given(result, momentum) is not null);
            var run = new TrainRun(
                result.GetValue(data)!, result.GetValue(classes), result.GetValue(architecture), choice,
                new ScheduleChoice(result.GetValue(schedule)!, result.GetValue(stepSize), result.GetValue(gamma), result.GetValue(cycleMomentum)),
                CommonOptions.Given(result, batchSize), result.GetValue(epochs), CommonOptions.Given(result, seed), CommonOptions.Given(result, shards), result.GetValue(threads),
                result.GetValue(flip), result.GetValue(shift), result.GetValue(gradcheck), result.GetValue(output), result.GetValue(checkpoint), result.GetValue(resume), result.GetValue(plot), result.GetValue(stopAfter));
            return Execute(console, run);
        });
        return command;
    }

    private static int Execute(IAnsiConsole console, TrainRun run)
    {
        Expect.Positive(run.Epochs, "--epochs");
        if (run.StopAfter is { } stop)
        {
            Expect.Positive(stop, "--stop-after");
        }

        Expect.InRange(run.Threads, 1, Environment.ProcessorCount, "--threads", " (the processors of this machine)");
        Expect.Positive(run.Schedule.StepSize, "--step-size");
        Expect.DecayFactor(run.Schedule.Gamma, "--gamma");
        Expect.Positive(run.BatchSize ?? 1, "--batch-size");
        if (run.Shards is null)
        {
            Expect.InRange(
                run.BatchSize ?? 1, 1, RunSettings.MaxShards * RunSettings.DefaultRowsPerShard, "--batch-size", $" without --shards ({RunSettings.MaxShards} shards of {RunSettings.DefaultRowsPerShard} rows)");
        }

        OutputFile.CheckAll((run.Output, "--output"), (run.Checkpoint, "--checkpoint"), (run.Plot, "--plot"));

        var settings = RunSettings.Resolve(run.Seed, run.BatchSize, run.Shards, run.Resume);
        Expect.InRange(settings.Shards, 1, Math.Min(RunSettings.MaxShards, settings.BatchSize), "--shards", " (at most one shard per row of the batch)");
        var loading = Stopwatch.StartNew();
        var loaded = LoadedData.Load(run.Data, run.Classes);
        var loadingSeconds = loading.Elapsed.TotalSeconds;
        var architecture = CommonOptions.ResolveArchitecture(run.Architecture, null, loaded.Train.InputWidth);
        var network = architecture.Create();
        loaded.RequireOutputs(network.OutputWidth, architecture.Name);
        var augmentation = Augmentation(run, loaded.Train.InputWidth);
        if (network is IModelStatistics<float> && settings.Shards > 1)
        {
            // Shards would normalize with their own statistics and move the shared running ones once each.
            throw new UserError(string.Create(CultureInfo.InvariantCulture,
                $"The {architecture.Name} network has batch normalization, which needs the whole batch in one shard; pass --shards 1 (got {settings.Shards} shards)."));
        }

        Expect.InRange(
            settings.BatchSize, 1, network.MaxBatch * settings.Shards, "--batch-size", string.Create(CultureInfo.InvariantCulture, $" ({network.MaxBatch} rows per shard × {settings.Shards} shard(s))"));
        network.Initialize((ulong)settings.Seed);
        var optimizer = run.Optimizer.Create(network.ParameterCount);

        var startEpoch = 0;
        long steps = 0;
        if (run.Resume is { } resumeFrom)
        {
            var position = TrainingCheckpoint.Load(resumeFrom, network, optimizer);
            if (position.Epoch >= run.Epochs)
            {
                throw new UserError($"The checkpoint is at epoch {position.Epoch}; pass --epochs greater than that to train further.");
            }

            (startEpoch, steps) = (position.Epoch, position.Steps);
            console.MarkupLine($"resuming [bold]{Markup.Escape(resumeFrom)}[/] at epoch {startEpoch + 1}");
        }

        // Threads beyond the shards would have nothing to do; the shard count, not the threads, fixes the result.
        var threads = Math.Min(run.Threads, settings.Shards);
        if (threads < run.Threads)
        {
            console.MarkupLine(Markup.Escape(string.Create(
                CultureInfo.InvariantCulture,
                $"warning: a {settings.BatchSize}-row batch in {settings.Shards} shard(s) keeps {threads} of the {run.Threads} threads busy; pass --shards {run.Threads} to use them all (the weights then differ, as for any other shard count).")));
        }

        var batchesPerEpoch = (loaded.Train.Count + settings.BatchSize - 1) / settings.BatchSize;
        var (schedule, unit) = run.Schedule.Create(run.Epochs, batchesPerEpoch);
        console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{loaded.Description}: {loaded.Train.Count} training rows, {loaded.Test.Count} test rows; {architecture.Name} ({architecture.Description}), {network.ParameterCount} parameters; {run.Optimizer.Name} lr {run.Optimizer.LearningRate}, batch {settings.BatchSize} in {settings.Shards} shard(s), {run.Epochs} epochs, {threads} thread(s), {SimdDispatchName()}")));

        var checkpointWriter = run.Checkpoint is null ? null : new CheckpointWriter(run.Checkpoint, network, settings);
        TrainingResult? result = null;
        var clock = Stopwatch.StartNew();
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var callbacks = new List<ITrainingCallback> { new EpochProgressBars(context) };
                if (checkpointWriter is not null)
                {
                    callbacks.Add(checkpointWriter);
                }

                var stopper = run.StopAfter is { } epochsThisRun ? new EpochLimit(startEpoch + epochsThisRun) : null;
                if (stopper is not null)
                {
                    callbacks.Add(stopper);
                }

                var options = new TrainerOptions
                {
                    Epochs = run.Epochs,
                    StartEpoch = startEpoch,
                    BatchSize = settings.BatchSize,
                    Seed = settings.Seed,
                    Schedule = schedule,
                    ScheduleUnit = unit,
                    Shards = settings.Shards,
                    Threads = threads,
                    Augmentation = augmentation,
                    Callbacks = callbacks,
                };
                using var trainer = new Trainer<float>(network, optimizer, options, run.GradientCheck ? new NetworkGradientCheck(architecture) : null) { Steps = steps };
                checkpointWriter?.Trainer = trainer;
                stopper?.Trainer = trainer;
                result = trainer.Fit(loaded.Train, loaded.Test);
            });
        var seconds = clock.Elapsed.TotalSeconds;

        console.Write(HistoryTable(result!.History));
        var report = ClassificationReport.Compute(network, loaded.Test);
        console.WriteLine(report.Summary);
        // The steps apart from the rest of the training time (shuffles, batching, progress, the test rows' evaluation after every epoch).
        var stepSeconds = result.History.Sum(h => h.StepSeconds);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data loading time: {loadingSeconds:F2} s"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training time: {seconds:F2} s ({stepSeconds:F2} s in training steps, {seconds - stepSeconds:F2} s outside them)"));
        if (run.Output is { } weights)
        {
            NetworkCheckpoint.Save(network, weights, [new("architecture", architecture.Name), new("data", loaded.Name), .. ClassesMetadata(loaded)]);
            console.MarkupLine($"weights written to [bold]{Markup.Escape(weights)}[/]");
        }

        if (run.Plot is { } png)
        {
            CurvePlot.Save(png, $"{architecture.Name} on {loaded.Name} ({run.Optimizer.Name}, lr {run.Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture)})", result.History);
            console.MarkupLine($"plot written to [bold]{Markup.Escape(png)}[/]");
        }

        return 0;
    }

    /// <summary>
    /// --flip and --shift as trainer options; every data set here holds square single-channel images (the digits
    /// 8×8, IDX files such as Fashion-MNIST 28×28), flattened row by row.
    /// </summary>
    private static ImageAugmentationOptions? Augmentation(TrainRun run, int inputs)
    {
        if (!run.Flip && run.Shift == 0)
        {
            return null;
        }

        var side = (int)Math.Round(Math.Sqrt(inputs));
        if (side * side != inputs)
        {
            throw new UserError($"--flip and --shift need square images; the data have {inputs} values a row.");
        }

        Expect.InRange(run.Shift, 0, side - 1, "--shift", $" (below the images' side of {side} pixels)");
        return new ImageAugmentationOptions(1, side, side) { HorizontalFlip = run.Flip, MaxShift = run.Shift };
    }

    /// <summary>The classes trained on, when not all, so that evaluate and finetune read them back.</summary>
    internal static KeyValuePair<string, string>[] ClassesMetadata(LoadedData loaded) => loaded.Classes is { } selected ? [new("classes", selected.Text)] : [];

    private static string SimdDispatchName() => $"SIMD path {SimdDescent.Kernels.SimdDispatch.Current}";

    internal static Table HistoryTable(IReadOnlyList<EpochProgress> history)
    {
        var table = new Table().AddColumns("epoch", "train loss", "test loss", "test accuracy", "learning rate", "samples/s");
        foreach (var h in history)
        {
            table.AddRow(
                (h.Epoch + 1).ToString(CultureInfo.InvariantCulture),
                h.TrainingLoss.ToString("F4", CultureInfo.InvariantCulture),
                h.ValidationLoss.ToString("F4", CultureInfo.InvariantCulture),
                h.ValidationAccuracy.ToString("F4", CultureInfo.InvariantCulture),
                h.LearningRate.ToString("G4", CultureInfo.InvariantCulture),
                h.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private sealed record TrainRun(
        string Data, string? Classes, string? Architecture, OptimizerChoice Optimizer, ScheduleChoice Schedule, int? BatchSize, int Epochs, int? Seed, int? Shards, int Threads,
        bool Flip, int Shift,
        bool GradientCheck, string? Output, string? Checkpoint, string? Resume, string? Plot, int? StopAfter);
}
