namespace SimdDescent.Training;

/// <summary>A network's mean loss and accuracy on a data set.</summary>
/// <param name="Loss">Mean loss over all rows.</param>
/// <param name="Accuracy">Fraction of rows whose largest output is the label (NaN for real-valued targets).</param>
/// <param name="Count">Rows evaluated.</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy, int Count);
