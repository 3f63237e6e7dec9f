namespace SimdDescent.Cli.Training;

/// <summary>
/// The learning rate of <c>train-lm</c>, exactly as benchmarks/peers/pytorch_gpt.py computes it: at step s
/// (0-based) of S with W warm-up steps, lr · (s + 1) / W while s &lt; W, then a cosine from lr at step W down
/// to minLr at the last step, S − 1.
/// </summary>
internal sealed record WarmupCosine(double LearningRate, double MinimumLearningRate, int WarmupSteps, int Steps)
{
    public double At(int step)
    {
        if (step < WarmupSteps)
        {
            return LearningRate * (step + 1) / WarmupSteps;
        }

        var span = Steps - 1 - WarmupSteps;
        var progress = span > 0 ? (double)(step - WarmupSteps) / span : 1.0;
        return MinimumLearningRate + ((LearningRate - MinimumLearningRate) * 0.5 * (1.0 + Math.Cos(Math.PI * progress)));
    }
}
