using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;

namespace SimdDescent.Cli.Tests;

/// <summary>
/// <c>finetune</c> on an image base: a cnn trained on classes 0–7 of a small 28×28 data set, fine-tuned on classes 8
/// and 9 under a new two-class head with LoRA, the head alone, or fully.
/// </summary>
public sealed class ImageFinetuneCommandTests
{
    private static (string Data, string Base) TrainBase(TemporaryFolder folder)
    {
        var data = IdxFiles.WriteFashionLike(folder.File("idx"), trainRows: 400, testRows: 100);
        var path = folder.File("cnn.safetensors");
        CliRun.Invoke("train", "--data", data, "--arch", "cnn", "--classes", "0-7", "--epochs", "1", "--batch-size", "32", "--output", path).Succeeded();
        return (data, path);
    }

    private static CliRun Finetune(string basePath, params string[] extra) =>
        CliRun.Invoke(["finetune", "--base", basePath, "--classes", "8,9", "--epochs", "4", "--batch-size", "16", "--lr", "3e-3", .. extra]);

    [Fact]
    public void Lora_trains_adapters_and_the_new_head_and_writes_peft_files_and_a_merged_cnn2_that_evaluate_reads()
    {
        using var folder = new TemporaryFolder();
        var (_, basePath) = TrainBase(folder);
        var adapters = folder.File("adapters.safetensors");
        var merged = folder.File("merged.safetensors");

        var run = Finetune(basePath, "--adapters", adapters, "--output", merged).Succeeded();

        // A [8, 3136] and B [128, 8] on layer 9, the head 128 → 2 (258); the base cnn2 has 420,706 parameters.
        Assert.Contains("trained parameters: 26,370 of 446,818 (5.90%)", run.Output, StringComparison.Ordinal);
        Assert.Contains("LoRA rank 8, α 16 on 9, new head trained whole", run.Output, StringComparison.Ordinal);
        Assert.True(Metric(run.Output, "after", "loss") < Metric(run.Output, "before", "loss"), run.Output);
        using (var file = SafetensorsFile.Open(adapters))
        {
            Assert.Equal(
                ["base_model.model.11.bias", "base_model.model.11.weight", "base_model.model.9.lora_A.weight", "base_model.model.9.lora_B.weight"],
                file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
            Assert.Equal([8, 3136], file.GetTensor("base_model.model.9.lora_A.weight").Shape.ToArray());
            Assert.Equal([128, 8], file.GetTensor("base_model.model.9.lora_B.weight").Shape.ToArray());
            Assert.Equal([2, 128], file.GetTensor("base_model.model.11.weight").Shape.ToArray());
        }

        // The merged file is a plain cnn2: the convolutions, batch normalizations and their statistics are the base's, bitwise.
        var pretrained = new Cnn();
        NetworkCheckpoint.Load(pretrained, basePath);
        var tuned = new CnnHead2();
        NetworkCheckpoint.Load(tuned, merged);
        AssertSameTensors(pretrained, tuned, ["0.weight", "1.weight", "1.bias", "4.weight", "5.weight", "5.bias"], same: true);
        AssertSameTensors(pretrained, tuned, ["9.weight"], same: false);
        Assert.Equal(pretrained.Statistics.ToArray(), tuned.Statistics.ToArray());

        var evaluate = CliRun.Invoke("evaluate", "--weights", merged).Succeeded();
        Assert.Contains("classes 8,9", evaluate.Output, StringComparison.Ordinal);
        Assert.Equal(Metric(run.Output, "after", "accuracy"), evaluate.TestAccuracy, 4);
    }

    [Fact]
    public void Rank_and_alpha_choose_the_adapter_and_no_target_trains_the_head_alone_on_a_frozen_base()
    {
        using var folder = new TemporaryFolder();
        var (_, basePath) = TrainBase(folder);

        var rank4 = Finetune(basePath, "--rank", "4", "--alpha", "4").Succeeded();
        var none = Finetune(basePath, "--targets", "").Succeeded();

        Assert.Contains("LoRA rank 4, α 4 on 9, new head trained whole", rank4.Output, StringComparison.Ordinal);
        Assert.Contains("trained parameters: 13,314 of 433,762", rank4.Output, StringComparison.Ordinal); // 4·3136 + 128·4 + 258
        Assert.Contains("on no layer, new head trained whole", none.Output, StringComparison.Ordinal);
        Assert.Contains("trained parameters: 258 of 420,706", none.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Head_only_trains_the_new_head_and_keeps_every_base_tensor_and_statistic_bitwise()
    {
        using var folder = new TemporaryFolder();
        var (_, basePath) = TrainBase(folder);
        var output = folder.File("head.safetensors");

        var run = Finetune(basePath, "--method", "head", "--output", output).Succeeded();

        Assert.Contains("trained parameters: 258 of 420,706 (0.06%)", run.Output, StringComparison.Ordinal);
        Assert.True(Metric(run.Output, "after", "loss") < Metric(run.Output, "before", "loss"), run.Output);
        var pretrained = new Cnn();
        NetworkCheckpoint.Load(pretrained, basePath);
        var tuned = new CnnHead2();
        NetworkCheckpoint.Load(tuned, output);
        AssertSameTensors(pretrained, tuned, ["0.weight", "1.weight", "1.bias", "4.weight", "5.weight", "5.bias", "9.weight", "9.bias"], same: true);
        Assert.Equal(pretrained.Statistics.ToArray(), tuned.Statistics.ToArray()); // a frozen base normalizes with its running statistics
    }

    [Fact]
    public void Full_fine_tuning_trains_every_tensor_not_frozen()
    {
        using var folder = new TemporaryFolder();
        var (_, basePath) = TrainBase(folder);
        var output = folder.File("full.safetensors");

        var run = Finetune(basePath, "--method", "full", "--freeze", "0,1", "--output", output).Succeeded();

        Assert.Contains("trained parameters: 420,354 of 420,706", run.Output, StringComparison.Ordinal); // 0.weight 288, 1.* 64 frozen
        var pretrained = new Cnn();
        NetworkCheckpoint.Load(pretrained, basePath);
        var tuned = new CnnHead2();
        NetworkCheckpoint.Load(tuned, output);
        AssertSameTensors(pretrained, tuned, ["0.weight", "1.weight", "1.bias"], same: true);
        AssertSameTensors(pretrained, tuned, ["4.weight", "9.weight"], same: false);
    }

    [Theory]
    [InlineData("--classes", "8")] // one class
    [InlineData("--classes", "8,10")] // out of range
    [InlineData("--classes", "7-9")] // three classes for a two-class head
    [InlineData("--classes", "9-8")]
    [InlineData("--classes", "eight")]
    [InlineData("--steps", "5")] // a language model's option
    [InlineData("--method", "head", "--freeze", "0")]
    [InlineData("--method", "full", "--freeze", "3")] // names no tensor (3 is a pooling layer)
    [InlineData("--method", "head", "--adapters", "a.safetensors")]
    [InlineData("--rank", "33")] // above the declared MaxRank 32
    [InlineData("--targets", "11")] // the head is trained whole, not adapted
    public void Bad_options_end_with_one_error_line(params string[] options)
    {
        using var folder = new TemporaryFolder();
        var (_, basePath) = TrainBase(folder);
        CliRun.Invoke(["finetune", "--base", basePath, "--epochs", "1", .. options.Contains("--classes") ? options : ["--classes", "8,9", .. options]]).FailedWithOneErrorLine();
    }

    [Fact]
    public void An_image_base_without_classes_or_of_another_architecture_is_refused()
    {
        using var folder = new TemporaryFolder();
        var (_, basePath) = TrainBase(folder);
        var noClasses = CliRun.Invoke("finetune", "--base", basePath).FailedWithOneErrorLine();
        Assert.Contains("--classes is required", noClasses.Error, StringComparison.Ordinal);

        var digits = CliRun.Invoke("finetune", "--base", CliRun.TrainedDigitsWeights(folder), "--classes", "8,9").FailedWithOneErrorLine();
        Assert.Contains("the base file's is 'digits'", digits.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_on_some_classes_records_them_and_evaluate_and_predict_read_them_back()
    {
        using var folder = new TemporaryFolder();
        var data = IdxFiles.WriteDigitsLike(folder.File("idx"), trainRows: 100, testRows: 40);
        var weights = folder.File("some.safetensors");
        CliRun.Invoke("train", "--data", data, "--classes", "2-4,7", "--epochs", "1", "--output", weights).Succeeded();

        using (var file = SafetensorsFile.Open(weights))
        {
            Assert.Equal("2,3,4,7", file.Metadata["classes"]);
        }

        var evaluate = CliRun.Invoke("evaluate", "--weights", weights).Succeeded();
        var all = CliRun.Invoke("evaluate", "--weights", weights, "--classes", "0-9").Succeeded();
        Assert.Contains("(classes 2,3,4,7)", evaluate.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("(40 rows)", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains("(40 rows)", all.Output, StringComparison.Ordinal);
        var predict = CliRun.Invoke("predict", "--weights", weights, "--index", "0").Succeeded();
        Assert.Contains("classes: 0 2, 1 3, 2 4, 3 7", predict.Output, StringComparison.Ordinal);
        CliRun.Invoke("train", "--data", data, "--classes", "0-10", "--epochs", "1").FailedWithOneErrorLine();
    }

    private static void AssertSameTensors(Cnn pretrained, CnnHead2 tuned, string[] names, bool same)
    {
        foreach (var name in names)
        {
            var a = pretrained.Tensors.Single(t => t.PyTorchName == name);
            var b = tuned.Tensors.Single(t => t.PyTorchName == name);
            var equal = MemoryMarshal.AsBytes(pretrained.Parameters.Slice(a.Offset, a.Length)).SequenceEqual(MemoryMarshal.AsBytes(tuned.Parameters.Slice(b.Offset, b.Length)));
            Assert.True(equal == same, $"{name}: bitwise equal {equal}, expected {same}");
        }
    }

    private static double Metric(string output, string when, string metric) =>
        double.Parse(Regex.Match(output, "validation " + when + @":.*?" + metric + @" ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
}
