using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;

namespace SimdDescent.Cli.Tests;

/// <summary><c>finetune</c> on the tiny model: a base from train-lm, LoRA and full fine-tuning on the small text the tests ship.</summary>
public sealed class FinetuneCommandTests
{
    private static readonly string s_sayings = Path.Combine(AppContext.BaseDirectory, "Data", "sayings.txt.gz");

    private static string TrainBase(TemporaryFolder folder)
    {
        var path = folder.File("base.safetensors");
        CliRun.Invoke("train-lm", "--data", s_sayings, "--arch", "gpt-tiny", "--steps", "30", "--warmup", "5", "--lr", "3e-3", "--output", path).Succeeded();
        return path;
    }

    private static CliRun Finetune(string basePath, params string[] extra) =>
        CliRun.Invoke(["finetune", "--base", basePath, "--data", s_sayings, "--steps", "40", "--lr", "3e-3", "--log-interval", "20", .. extra]);

    [Fact]
    public void Lora_lowers_the_validation_loss_and_writes_peft_adapters_and_a_merged_model()
    {
        using var folder = new TemporaryFolder();
        var basePath = TrainBase(folder);
        var adapters = folder.File("adapters.safetensors");
        var merged = folder.File("merged.safetensors");

        var run = Finetune(basePath, "--adapters", adapters, "--output", merged).Succeeded();

        var (before, after) = (Loss(run.Output, "before"), Loss(run.Output, "after"));
        Assert.True(after < before, run.Output);
        Assert.Contains("trained parameters: 4,096 of ", run.Output, StringComparison.Ordinal); // 2 blocks × (4·32 + 96·4 + 4·32 + 32·4 + 4·32 + 128·4 + 4·128 + 32·4)
        using (var file = SafetensorsFile.Open(adapters))
        {
            Assert.Equal(16, file.Tensors.Count);
            Assert.Equal([4, 32], file.GetTensor("base_model.model.transformer.h.1.attn.c_attn.lora_A.weight").Shape.ToArray());
            Assert.Equal([128, 4], file.GetTensor("base_model.model.transformer.h.0.mlp.c_fc.lora_B.weight").Shape.ToArray());
        }

        // The merged file is a plain model: it loads, reproduces the reported loss's improvement, and generates.
        var plain = new TinyByteGpt();
        NetworkCheckpoint.Load(plain, merged);
        var pretrained = new TinyByteGpt();
        NetworkCheckpoint.Load(pretrained, basePath);
        Assert.NotEqual(pretrained.Parameters.ToArray(), plain.Parameters.ToArray());
        CliRun.Invoke("generate", "--weights", merged, "--prompt", "The ", "--tokens", "10").Succeeded();
    }

    [Fact]
    public void Rank_alpha_and_targets_choose_the_adapters()
    {
        using var folder = new TemporaryFolder();
        var basePath = TrainBase(folder);
        var adapters = folder.File("adapters.safetensors");

        var run = Finetune(basePath, "--rank", "2", "--alpha", "6", "--targets", "c_attn", "--adapters", adapters).Succeeded();

        Assert.Contains("LoRA rank 2, α 6 on attn.c_attn", run.Output, StringComparison.Ordinal);
        Assert.Contains("trained parameters: 512 of ", run.Output, StringComparison.Ordinal); // 2 blocks × (2·32 + 96·2)
        Assert.True(Loss(run.Output, "after") < Loss(run.Output, "before"), run.Output);
        using var file = SafetensorsFile.Open(adapters);
        Assert.Equal(4, file.Tensors.Count);
        Assert.Equal([96, 2], file.GetTensor("base_model.model.transformer.h.1.attn.c_attn.lora_B.weight").Shape.ToArray());
        Assert.Equal(("2", "6", "attn.c_attn"), (file.Metadata["lora_rank"], file.Metadata["lora_alpha"], file.Metadata["lora_targets"]));
    }

    [Fact]
    public void Full_fine_tuning_keeps_frozen_tensors_bitwise()
    {
        using var folder = new TemporaryFolder();
        var basePath = TrainBase(folder);
        var output = folder.File("full.safetensors");

        var run = Finetune(basePath, "--method", "full", "--freeze", "transformer.wte,transformer.h.0", "--output", output).Succeeded();

        Assert.True(Loss(run.Output, "after") < Loss(run.Output, "before"), run.Output);
        var pretrained = new TinyByteGpt();
        NetworkCheckpoint.Load(pretrained, basePath);
        var tuned = new TinyByteGpt();
        NetworkCheckpoint.Load(tuned, output);
        foreach (var tensor in pretrained.Tensors)
        {
            var same = MemoryMarshal.AsBytes(pretrained.Parameters.Slice(tensor.Offset, tensor.Length))
                .SequenceEqual(MemoryMarshal.AsBytes(tuned.Parameters.Slice(tensor.Offset, tensor.Length)));
            var frozen = tensor.Name.StartsWith("transformer.wte", StringComparison.Ordinal) || tensor.Name.StartsWith("transformer.h.0.", StringComparison.Ordinal);
            Assert.True(same == frozen, $"{tensor.Name}: unchanged {same}, frozen {frozen}");
        }
    }

    [Theory]
    [InlineData("--method", "full", "--adapters", "a.safetensors")]
    [InlineData("--freeze", "transformer.wte")]
    [InlineData("--method", "full", "--freeze", "transformer.nothing")]
    [InlineData("--steps", "0")]
    [InlineData("--method", "head")] // image models only
    [InlineData("--rank", "17")] // above the declared MaxRank 16
    [InlineData("--rank", "0")]
    [InlineData("--alpha", "NaN")]
    [InlineData("--targets", "wte")]
    [InlineData("--method", "full", "--rank", "2")]
    [InlineData("--classes", "8,9")]
    [InlineData("--epochs", "2")]
    public void Bad_options_end_with_one_error_line(params string[] options)
    {
        using var folder = new TemporaryFolder();
        Finetune(TrainBase(folder), options).FailedWithOneErrorLine();
    }

    [Fact]
    public void A_base_that_is_not_a_language_model_is_refused()
    {
        using var folder = new TemporaryFolder();
        Finetune(CliRun.TrainedDigitsWeights(folder)).FailedWithOneErrorLine();
    }

    private static double Loss(string output, string when) =>
        double.Parse(Regex.Match(output, "validation loss " + when + @": ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
}
