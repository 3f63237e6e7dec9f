using System.Globalization;
using System.Text;

namespace SimdDescent.Training.Search;

/// <summary>The trials of a search, best (lowest validation loss) first.</summary>
/// <param name="Trials">Every trial, sorted by validation loss; diverged trials last.</param>
public sealed record SearchResult(IReadOnlyList<Trial> Trials)
{
    /// <summary>The trial with the lowest validation loss.</summary>
    public Trial Best => Trials[0];

    /// <summary>The trials as an aligned text table, one row per trial, best first.</summary>
    public string ToTable()
    {
        var table = new StringBuilder();
        table.AppendLine("  rank  learning rate  batch  val loss    val acc  train loss  best epoch");
        for (var i = 0; i < Trials.Count; i++)
        {
            var t = Trials[i];
            table.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{i + 1,6}  {t.LearningRate,13:G4}  {t.BatchSize,5}  {t.ValidationLoss,-10:G5}  {t.ValidationAccuracy,7:P1}  {t.TrainingLoss,-10:G5}  {(t.Diverged ? "diverged" : t.BestEpoch.ToString(CultureInfo.InvariantCulture)),10}"));
        }

        return table.ToString();
    }
}
