namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// How many state arenas an update keeps, as a type: the update loop is instantiated per count, so the
/// loads and stores of states a rule does not keep are not even branches in it.
/// </summary>
internal interface IStateCount
{
    static abstract int Count { get; }
}

/// <summary>No state (plain SGD).</summary>
internal readonly struct NoState : IStateCount
{
    public static int Count => 0;
}

/// <summary>One state arena (SGD momentum, Adagrad's sum, RMSprop's square average).</summary>
internal readonly struct OneState : IStateCount
{
    public static int Count => 1;
}

/// <summary>Two state arenas (Adam's moments; RMSprop with momentum).</summary>
internal readonly struct TwoStates : IStateCount
{
    public static int Count => 2;
}

/// <summary>Three state arenas (AMSGrad's maximum; centered RMSprop with momentum).</summary>
internal readonly struct ThreeStates : IStateCount
{
    public static int Count => 3;
}
