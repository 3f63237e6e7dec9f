using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

/// <summary>How the emitter names each activation's operator structs in SimdDescent.Kernels.Operators.</summary>
internal static class Activations
{
    /// <summary>PyTorch's default LeakyReLU slope, fixed so saved models load there unchanged.</summary>
    public const string LeakySlope = "0.01";

    /// <summary>GELU and SiLU derivatives need the activation's input; the others are computed from its output.</summary>
    public static bool SavesInput(ActivationKind activation) => activation is ActivationKind.Gelu or ActivationKind.Silu;

    /// <summary>The forward operator's type, e.g. <c>ReluOperator&lt;float&gt;</c>.</summary>
    public static string ForwardType(ActivationKind activation, string type) => Stem(activation) + "Operator<" + type + ">";

    /// <summary>The derivative operator's type, e.g. <c>ReluBackwardOperator&lt;float&gt;</c>.</summary>
    public static string BackwardType(ActivationKind activation, string type) => Stem(activation) + "BackwardOperator<" + type + ">";

    /// <summary>An expression constructing the forward operator.</summary>
    public static string Forward(ActivationKind activation, string type) => "new " + ForwardType(activation, type) + Arguments(activation, type);

    /// <summary>An expression constructing the derivative operator.</summary>
    public static string Backward(ActivationKind activation, string type) => "new " + BackwardType(activation, type) + Arguments(activation, type);

    /// <summary>The derivative formula, for the comment above a backward call.</summary>
    public static string Derivative(ActivationKind activation) => activation switch
    {
        ActivationKind.Relu => "relu'(y) = [y > 0]",
        ActivationKind.LeakyRelu => "leaky'(y) = y > 0 ? 1 : 0.01",
        ActivationKind.Sigmoid => "σ'(y) = y(1 − y)",
        ActivationKind.Tanh => "tanh'(y) = 1 − y²",
        ActivationKind.Gelu => "gelu'(z), from the saved input",
        _ => "silu'(z) = σ(z)(1 + z(1 − σ(z))), from the saved input",
    };

    // The operators are named after the enum members (Relu → ReluOperator), so the name is the stem.
    private static string Stem(ActivationKind activation) => activation == ActivationKind.None ? "Identity" : activation.ToString();

    private static string Arguments(ActivationKind activation, string type) =>
        activation != ActivationKind.LeakyRelu ? "()" : "(" + LeakySlope + (type == "float" ? "f" : "") + ")";
}
