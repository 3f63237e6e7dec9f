using System.Globalization;
using System.Text.RegularExpressions;
using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.IO.Text;

namespace SimdDescent.Cli.Tests;

/// <summary><c>train-lm</c> and <c>generate</c> on the tiny model and the small text the tests ship.</summary>
public sealed partial class LanguageModelCommandTests
{
    private static readonly string s_sayings = Path.Combine(AppContext.BaseDirectory, "Data", "sayings.txt.gz");

    private static CliRun TrainTiny(string? output, params string[] extra) =>
        CliRun.Invoke([
            "train-lm", "--data", s_sayings, "--arch", "gpt-tiny", "--steps", "60", "--warmup", "10", "--lr", "3e-3", "--eval-interval", "20",
            .. output is null ? Array.Empty<string>() : ["--output", output], .. extra]);

    [Fact]
    public void Train_lm_lowers_the_loss_and_writes_nanogpt_names()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("tiny.safetensors");
        var run = TrainTiny(weights, "--plot", folder.File("curves.png")).Succeeded();

        // Uniform guessing over 256 bytes costs ln 256 ≈ 5.55 nats; 60 steps on English text must do much better.
        var estimates = ValidationEstimates().Matches(run.Output).Select(m => Parse(m.Groups[1].Value)).ToArray();
        Assert.Equal(2, estimates.Length);
        var final = FinalValidation(run.Output);
        Assert.True(estimates[0] > estimates[1] && estimates[1] > final && final < 4.0, run.Output);
        Assert.Equal(final / Math.Log(2), Parse(BitsPerByte().Match(run.Output).Groups[1].Value), 1e-4);
        Assert.Matches(@"training: [0-9,]+ tokens/s", run.Output);
        Assert.True(new FileInfo(folder.File("curves.png")).Length > 0);

        using var file = SafetensorsFile.Open(weights);
        var names = file.Tensors.Select(t => t.Name).ToHashSet();
        Assert.Superset(new HashSet<string> {"transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.attn.c_attn.weight", "transformer.h.1.mlp.c_proj.bias", "transformer.ln_f.weight", "lm_head.weight" }, names);
        Assert.Equal("gpt-tiny", file.Metadata["architecture"]);
        Assert.Equal("2", file.Metadata["n_head"]);
    }

    [Fact]
    public void The_reported_validation_loss_is_the_mean_cross_entropy_of_the_sequential_validation_windows()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("tiny.safetensors");
        var reported = FinalValidation(TrainTiny(weights).Succeeded().Output);

        // Independently: the logits of every window by Predict, a log-softmax in double, the offset split of the text.
        var model = new TinyByteGpt();
        NetworkCheckpoint.Load(model, weights);
        using var stream = new System.IO.Compression.GZipStream(File.OpenRead(s_sayings), System.IO.Compression.CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        var text = bytes.ToArray();
        var validation = text[(9 * text.Length / 10)..];
        var (context, vocabulary) = (model.Context, model.Vocabulary);
        var logits = new float[context * vocabulary];
        double total = 0;
        var windows = (validation.Length - 1) / context;
        for (var w = 0; w < windows; w++)
        {
            model.Predict(validation.AsSpan(w * context, context).ToArray().Select(b => (int)b).ToArray(), logits, 1, context);
            for (var t = 0; t < context; t++)
            {
                var row = logits.AsSpan(t * vocabulary, vocabulary).ToArray().Select(v => (double)v).ToArray();
                var max = row.Max();
                total += max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[validation[(w * context) + t + 1]];
            }
        }

        Assert.Equal(total / (windows * context), reported, 1e-4);
    }

    [Fact]
    public void The_same_seed_gives_a_bitwise_identical_weights_file_and_another_seed_does_not()
    {
        using var folder = new TemporaryFolder();
        string Train(string name, string seed)
        {
            var path = folder.File(name);
            CliRun.Invoke("train-lm", "--data", s_sayings, "--arch", "gpt-tiny", "--steps", "8", "--seed", seed, "--output", path).Succeeded();
            return path;
        }

        var first = File.ReadAllBytes(Train("a.safetensors", "5"));
        Assert.Equal(first, File.ReadAllBytes(Train("b.safetensors", "5")));
        Assert.NotEqual(first, File.ReadAllBytes(Train("c.safetensors", "6")));
    }

    [Fact]
    public void The_thread_count_never_changes_the_weights()
    {
        // The benchmark model at batch 16: its products and attention heads are large enough to be split.
        using var folder = new TemporaryFolder();
        string Train(string threads)
        {
            var path = folder.File("w" + threads + ".safetensors");
            CliRun.Invoke("train-lm", "--data", s_sayings, "--steps", "2", "--batch-size", "16", "--threads", threads, "--output", path).Succeeded();
            return path;
        }

        var one = File.ReadAllBytes(Train("1"));
        Assert.Equal(one, File.ReadAllBytes(Train(Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void A_run_stopped_and_resumed_from_its_checkpoint_writes_the_weights_of_an_uninterrupted_run()
    {
        using var folder = new TemporaryFolder();
        string[] run = ["train-lm", "--data", s_sayings, "--arch", "gpt-tiny", "--steps", "12", "--warmup", "3"];
        var (whole, resumed, checkpoint) = (folder.File("whole.safetensors"), folder.File("resumed.safetensors"), folder.File("run.ckpt"));
        CliRun.Invoke([.. run, "--output", whole]).Succeeded();

        var stopped = CliRun.Invoke([.. run, "--checkpoint", checkpoint, "--stop-after", "5"]).Succeeded();
        Assert.Contains("stopped after step 5 of 12", stopped.Output, StringComparison.Ordinal);
        Assert.Contains("settings [arch gpt-tiny", CliRun.Invoke([.. run, "--resume", checkpoint, "--seed", "9"]).FailedWithOneErrorLine().Error, StringComparison.Ordinal);
        var continued = CliRun.Invoke([.. run, "--resume", checkpoint, "--checkpoint", checkpoint, "--output", resumed]).Succeeded();

        Assert.Contains("resuming", continued.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
    }

    [Fact]
    public void Greedy_generation_prints_the_prompt_and_the_bytes_a_full_forward_without_cache_chooses()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("tiny.safetensors");
        TrainTiny(weights).Succeeded();
        const int Count = 45;

        var run = CliRun.Invoke("generate", "--weights", weights, "--prompt", "The ", "--tokens", Count.ToString(CultureInfo.InvariantCulture), "--temperature", "0").Succeeded();

        // The second path: each token the argmax of a full forward over the last (at most) context bytes.
        var model = new TinyByteGpt();
        NetworkCheckpoint.Load(model, weights);
        var sequence = ByteTokenizer.Encode("The ").ToList();
        var logits = new float[model.Context * model.Vocabulary];
        for (var i = 0; i < Count; i++)
        {
            var window = sequence.TakeLast(model.Context).ToArray();
            model.Predict(window, logits, 1, window.Length);
            var last = logits.AsSpan((window.Length - 1) * model.Vocabulary, model.Vocabulary).ToArray();
            sequence.Add(Array.IndexOf(last, last.Max()));
        }

        Assert.Equal(Count + 4, sequence.Count);
        Assert.EndsWith(ByteTokenizer.DecodeForDisplay([.. sequence]) + Environment.NewLine, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sampling_is_deterministic_for_a_seed()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("tiny.safetensors");
        TrainTiny(weights).Succeeded();
        string Sample(string seed) => CliRun.Invoke("generate", "--weights", weights, "--tokens", "60", "--seed", seed).Succeeded().Output;

        var first = Sample("3");
        Assert.StartsWith("sample (temperature 0.8, top-k 40, seed 3):", first, StringComparison.Ordinal);
        Assert.Equal(first, Sample("3"));
        Assert.NotEqual(first.Split('\n', 2)[1], Sample("4").Split('\n', 2)[1]);
    }

    [Fact]
    public void Categories_and_exclude_choose_category_files_of_a_directory()
    {
        using var folder = new TemporaryFolder();
        var text = string.Join("\n%\n", Enumerable.Range(0, 40).Select(i => $"Saying number {i} of a small test file."));
        File.WriteAllText(folder.File("alpha"), text);
        File.WriteAllText(folder.File("beta"), text + text);
        File.WriteAllBytes(folder.File("alpha.dat"), [0, 0, 0, 2]);
        string[] run = ["train-lm", "--data", folder.Path, "--arch", "gpt-tiny", "--steps", "2"];

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"text: 2 file(s); {Split(text.Length) + Split(2 * text.Length):N0} bytes"), CliRun.Invoke(run).Succeeded().Output, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"text: 1 file(s); {Split(2 * text.Length):N0} bytes"), CliRun.Invoke([.. run, "--exclude", "alpha"]).Succeeded().Output, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"text: 1 file(s); {Split(text.Length):N0} bytes"), CliRun.Invoke([.. run, "--categories", "alpha"]).Succeeded().Output, StringComparison.Ordinal);
        Assert.Contains("'gamma'", CliRun.Invoke([.. run, "--categories", "gamma"]).FailedWithOneErrorLine().Error, StringComparison.Ordinal);
        Assert.Contains("'alpha.dat'", CliRun.Invoke([.. run, "--exclude", "alpha.dat"]).FailedWithOneErrorLine().Error, StringComparison.Ordinal);
        CliRun.Invoke([.. run, "--categories", "alpha", "--exclude", "alpha"]).FailedWithOneErrorLine();

        static int Split(int length) => 9 * length / 10;
    }

    [Theory]
    [InlineData("--steps", "0", "--steps")]
    [InlineData("--batch-size", "33", "--batch-size")]
    [InlineData("--lr", "0", "--lr")]
    [InlineData("--clip", "-1", "--clip")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--threads", "100000", "--threads")]
    [InlineData("--eval-windows", "0", "--eval-windows")]
    [InlineData("--categories", "art", "--categories")]
    [InlineData("--output", "/nonexistent-folder/w.safetensors", "--output")]
    [InlineData("--stop-after", "3", "--checkpoint")]
    [InlineData("--resume", "/nonexistent-folder/run.ckpt", "--resume")]
    public void Bad_train_lm_options_fail_with_one_error_line_before_any_step(string option, string value, string named)
    {
        var run = TrainTiny(null, option, value).FailedWithOneErrorLine();
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("step ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_validation_text_shorter_than_a_window_fails_with_one_error_line()
    {
        using var folder = new TemporaryFolder();
        var text = folder.File("short.txt");
        File.WriteAllText(text, new string('a', 300));
        var run = CliRun.Invoke("train-lm", "--data", text, "--arch", "gpt-tiny", "--steps", "2").FailedWithOneErrorLine();
        Assert.Contains("validation text holds 30 bytes", run.Error, StringComparison.Ordinal);
        CliRun.Invoke("train-lm", "--data", folder.File("missing"), "--steps", "2").FailedWithOneErrorLine();
    }

    [Fact]
    public void Bad_generate_inputs_fail_with_one_error_line()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("tiny.safetensors");
        CliRun.Invoke("train-lm", "--data", s_sayings, "--arch", "gpt-tiny", "--steps", "1", "--output", weights).Succeeded();
        var corrupt = folder.File("corrupt.safetensors");
        File.WriteAllBytes(corrupt, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var digits = CliRun.TrainedDigitsWeights(folder);

        Assert.Contains("context", Generate(weights, "--prompt", new string('x', 33)).Error, StringComparison.Ordinal);
        Assert.Contains("--prompt", Generate(weights, "--prompt", string.Empty).Error, StringComparison.Ordinal);
        Assert.Contains("--temperature", Generate(weights, "--temperature", "-1").Error, StringComparison.Ordinal);
        Assert.Contains("--tokens", Generate(weights, "--tokens", "-1").Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", Generate(folder.File("missing.safetensors")).Error, StringComparison.Ordinal);
        Generate(corrupt);
        Assert.Contains("architecture 'digits'", Generate(digits).Error, StringComparison.Ordinal);
    }

    private static CliRun Generate(string weights, params string[] extra) =>
        CliRun.Invoke(["generate", "--weights", weights, "--tokens", "5", .. extra]).FailedWithOneErrorLine();

    private static double FinalValidation(string output)
    {
        var match = FinalValidationLine().Match(output);
        Assert.True(match.Success, output);
        return Parse(match.Groups[1].Value);
    }

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"validation loss ([0-9.]+) nats/byte on the first")]
    private static partial Regex ValidationEstimates();

    [GeneratedRegex(@"nats/byte, ([0-9.]+) bits/byte")]
    private static partial Regex BitsPerByte();

    [GeneratedRegex(@"validation loss: ([0-9.]+) nats/byte")]
    private static partial Regex FinalValidationLine();
}
