using System.CommandLine;
using System.Globalization;
using SimdDescent.Cli.Architectures;
using SimdDescent.Cli.Generation;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Text;
using SimdDescent.Networks;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary>
/// <c>generate</c>: samples bytes from a language model trained by <c>train-lm</c>, printing each as it arrives.
/// The prompt runs through the model's key/value-cached decoder, one token at a time; once the cache holds a whole
/// context, each further token is a full forward over the last context bytes (what nanoGPT does for every token).
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(IAnsiConsole console, TextWriter output)
    {
        var weights = CommonOptions.RequiredFile("--weights", "A weights file written by train-lm --output.");
        var prompt = new Option<string>("--prompt", "-p") { Description = "The text to continue (at least one byte, at most the model's context).", DefaultValueFactory = _ => "\n" };
        var tokens = new Option<int>("--tokens", "-n") { Description = "Bytes to generate.", DefaultValueFactory = _ => 200 };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature (≥ 0); 0 picks the most likely byte.", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely bytes (0: all of them).", DefaultValueFactory = _ => 40 };
        var seed = new Option<int>("--seed") { Description = "Seed (≥ 0) of the sampling.", DefaultValueFactory = _ => TrainLmCommand.DefaultSeed };

        var command = new Command("generate", "Generate text with a language model trained by train-lm.") { weights, prompt, tokens, temperature, topK, seed };
        command.SetAction(result => Execute(
            console, output, result.GetValue(weights)!, result.GetValue(prompt)!, result.GetValue(tokens), result.GetValue(temperature), result.GetValue(topK), result.GetValue(seed)));
        return command;
    }

    private static int Execute(IAnsiConsole console, TextWriter output, string weights, string prompt, int count, double temperature, int topK, int seed)
    {
        Expect.InRange(count, 0, int.MaxValue, "--tokens");
        Expect.NonNegativeFinite(temperature, "--temperature");
        Expect.InRange(topK, 0, int.MaxValue, "--top-k");
        Expect.InRange(seed, 0, int.MaxValue, "--seed");
        var promptTokens = ByteTokenizer.Encode(prompt);
        if (promptTokens.Length == 0)
        {
            throw new UserError("--prompt needs at least one byte: the model continues a text.");
        }

        var model = Load(weights);
        if (promptTokens.Length > model.Context)
        {
            throw new UserError($"--prompt holds {promptTokens.Length} bytes; the model reads at most {model.Context} (its context).");
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sample (temperature {temperature}, top-k {topK}, seed {seed}):"));
        var sampler = new TokenSampler(model.Vocabulary, temperature, topK, (ulong)seed);
        var decoder = model.CreateDecoder();
        var text = new TokenTextWriter(output);
        var sequence = new int[promptTokens.Length + count];
        promptTokens.CopyTo(sequence, 0);
        var full = new float[model.Context * model.Vocabulary];
        ReadOnlySpan<float> logits = default;
        foreach (var token in promptTokens)
        {
            text.Write(token);
            logits = decoder.Append(token);
        }

        for (var length = promptTokens.Length; length < sequence.Length; length++)
        {
            var next = sampler.Next(logits);
            sequence[length] = next;
            text.Write(next);
            if (length + 1 == sequence.Length)
            {
                break;
            }

            if (decoder.Position < model.Context)
            {
                logits = decoder.Append(next);
            }
            else
            {
                model.Predict(sequence.AsSpan(length + 1 - model.Context, model.Context), full, 1, model.Context);
                logits = full.AsSpan((model.Context - 1) * model.Vocabulary);
            }
        }

        text.Flush();
        output.WriteLine();
        return 0;
    }

    /// <summary>The language model the file's metadata names, with the file's weights.</summary>
    private static ILanguageModel<float> Load(string path)
    {
        var model = ArchitectureOf(path).Create();
        NetworkCheckpoint.Load(model, path);
        return model;
    }

    /// <summary>The built-in language model a weights file of train-lm (or finetune) was written from, by its metadata.</summary>
    internal static LanguageModelArchitecture ArchitectureOf(string path)
    {
        var file = WeightsFile.Open(path);
        var name = file.Metadata.TryGetValue("architecture", out var recorded) ? recorded : null;
        return LanguageModelArchitecture.All.FirstOrDefault(a => a.Name == name)
            ?? throw new UserError(
                $"'{path}' is not a language model written by train-lm: its metadata names {(name is null ? "no architecture" : $"architecture '{name}'")}; expected one of: {string.Join(", ", LanguageModelArchitecture.Names)}.");
    }
}
