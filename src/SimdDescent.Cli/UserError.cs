namespace SimdDescent.Cli;

/// <summary>A mistake in the arguments or the files given: printed as one message, exit code 1, no stack trace.</summary>
internal sealed class UserError(string message) : Exception(message);
