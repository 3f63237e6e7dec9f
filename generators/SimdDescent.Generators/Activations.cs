using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>How the emitter names each activation's operator structs in SimdDescent.Kernels.Operators.</summary>
internal static class Activations
{
    /// <summary>PyTorch's default LeakyReLU slope, fixed so saved models load there unchanged.</summary>
    public const string LeakySlope = "0.01";

    /// <summary>GELU and SiLU derivatives need the activation's input; the others are computed from its output.</summary>
    public static bool SavesInput(ActivationKind activation) => activation is ActivationKind.GELU or ActivationKind.SiLU;

    public static string Forward(ActivationKind activation, string type) => activation switch
    {
        ActivationKind.ReLU => $"new ReluOperator<{type}>()",
        ActivationKind.LeakyReLU => $"new LeakyReluOperator<{type}>({Literal(type)})",
        ActivationKind.Sigmoid => $"new SigmoidOperator<{type}>()",
        ActivationKind.Tanh => $"new TanhOperator<{type}>()",
        ActivationKind.GELU => $"new GeluOperator<{type}>()",
        ActivationKind.SiLU => $"new SiluOperator<{type}>()",
        _ => $"new IdentityOperator<{type}>()",
    };

    public static string Backward(ActivationKind activation, string type) => activation switch
    {
        ActivationKind.ReLU => $"new ReluBackwardOperator<{type}>()",
        ActivationKind.LeakyReLU => $"new LeakyReluBackwardOperator<{type}>({Literal(type)})",
        ActivationKind.Sigmoid => $"new SigmoidBackwardOperator<{type}>()",
        ActivationKind.Tanh => $"new TanhBackwardOperator<{type}>()",
        ActivationKind.GELU => $"new GeluBackwardOperator<{type}>()",
        _ => $"new SiluBackwardOperator<{type}>()",
    };

    /// <summary>The derivative formula, for the comment above a backward call.</summary>
    public static string Derivative(ActivationKind activation) => activation switch
    {
        ActivationKind.ReLU => "relu'(y) = [y > 0]",
        ActivationKind.LeakyReLU => "leaky'(y) = y > 0 ? 1 : 0.01",
        ActivationKind.Sigmoid => "σ'(y) = y(1 − y)",
        ActivationKind.Tanh => "tanh'(y) = 1 − y²",
        ActivationKind.GELU => "gelu'(z), from the saved input",
        _ => "silu'(z) = σ(z)(1 + z(1 − σ(z))), from the saved input",
    };

    private static string Literal(string type) => type == "float" ? LeakySlope + "f" : LeakySlope;
}
