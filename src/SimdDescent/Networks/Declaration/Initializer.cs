namespace SimdDescent.Networks;

/// <summary>How a dense layer's weights are initialized (biases always start at zero).</summary>
public enum Initializer
{
    /// <summary>He for the ReLU family (ReLU, LeakyReLU, GELU, SiLU, fused or in the next layer), Glorot otherwise.</summary>
    Auto,

    /// <summary>He uniform: U(−√(6/fanIn), √(6/fanIn)).</summary>
    He,

    /// <summary>Glorot (Xavier) uniform: U(−√(6/(fanIn+fanOut)), √(6/(fanIn+fanOut))).</summary>
    Glorot,

    /// <summary>All zeros (a convex model such as linear regression needs no symmetry breaking).</summary>
    Zeros,
}
