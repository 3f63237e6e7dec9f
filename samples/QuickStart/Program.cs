// Trains a small network on the digits embedded in the SimdDescent package, saves it, loads it into a fresh
// instance and checks that both predict the same logits. Exit code 0 only if they do. Prints the start-up
// cost (JIT or NativeAOT): time from process start to Main, to the decoded data, to the first prediction (the fresh
// network, before training) and to the first training step, and how long each of those first calls took.
using System.Diagnostics;
using System.Globalization;
using QuickStart;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Datasets;
using SimdDescent.Training.Optimizers;

const int batch = 32;
const int steps = 300;

var clock = StartupClock.Start();
var entered = clock.Elapsed;
var (train, test) = DigitsDataset.LoadSplit();
var decoded = clock.Elapsed;

var network = new DigitsNetwork();
var logits = new float[10];
network.Predict(test.InputRows(0, 1), logits, 1);
var firstPrediction = clock.Elapsed;

var sgd = new Sgd<float>(network.ParameterCount, new SgdOptions { LearningRate = 0.1, Momentum = 0.9 });
var inputs = new float[batch * train.InputWidth];
var labels = new int[batch];
var firstStep = TimeSpan.Zero;
float loss = 0;
for (var step = 0; step < steps; step++)
{
    var first = step * batch % (train.Count - batch);
    train.InputRows(first, batch).CopyTo(inputs);
    train.LabelRows(first, batch).CopyTo(labels);
    loss = network.Forward(inputs, labels, batch);
    network.Backward();
    sgd.Step(network.Parameters, network.Gradients);
    if (step == 0)
    {
        firstStep = clock.Elapsed;
    }
}

var path = Path.Combine(Path.GetTempPath(), $"quickstart-{Environment.ProcessId}.safetensors");
NetworkCheckpoint.Save(network, path);
var reloaded = new DigitsNetwork();
NetworkCheckpoint.Load(reloaded, path);
File.Delete(path);

var reloadedLogits = new float[10];
var correct = 0;
var identical = true;
for (var i = 0; i < test.Count; i++)
{
    reloaded.Predict(test.InputRows(i, 1), reloadedLogits, 1);
    network.Predict(test.InputRows(i, 1), logits, 1);
    identical &= logits.AsSpan().SequenceEqual(reloadedLogits);
    correct += ArgMax(reloadedLogits) == test.Labels[i] ? 1 : 0;
}

var accuracy = (double)correct / test.Count;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{steps} steps of {batch}: last loss {loss:F4}, test accuracy {accuracy:F4} ({test.Count} rows)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"start-up ({clock.Origin}): Main entered at {entered.TotalMilliseconds:F1} ms, data decoded at {decoded.TotalMilliseconds:F1} ms, first prediction at {firstPrediction.TotalMilliseconds:F1} ms (+{(firstPrediction - decoded).TotalMilliseconds:F1}), first training step at {firstStep.TotalMilliseconds:F1} ms (+{(firstStep - firstPrediction).TotalMilliseconds:F1})"));
if (!identical)
{
    Console.Error.WriteLine("error: the reloaded network predicts different logits than the one it was saved from");
    return 1;
}

if (accuracy < 0.9)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: test accuracy {accuracy:F4} is below 0.9"));
    return 1;
}

Console.WriteLine("reloaded predictions identical: ok");
return 0;

static int ArgMax(ReadOnlySpan<float> values)
{
    var best = 0;
    for (var i = 1; i < values.Length; i++)
    {
        best = values[i] > values[best] ? i : best;
    }

    return best;
}

/// <summary>
/// Time since the process started: from QUICKSTART_LAUNCHED_NS (a launcher's `date +%s%N`, to the nanosecond)
/// when set, else from the process start time the OS records (10 ms resolution on Linux).
/// </summary>
internal readonly record struct StartupClock(DateTime Launched, string Origin)
{
    public TimeSpan Elapsed => DateTime.UtcNow - Launched;

    public static StartupClock Start() =>
        long.TryParse(Environment.GetEnvironmentVariable("QUICKSTART_LAUNCHED_NS"), out var nanoseconds)
            ? new(DateTime.UnixEpoch.AddTicks(nanoseconds / 100), "from QUICKSTART_LAUNCHED_NS")
            : new(Process.GetCurrentProcess().StartTime.ToUniversalTime(), "from the process start time");
}
