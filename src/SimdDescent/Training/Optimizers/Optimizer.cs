using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Training.Optimizers;

/// <summary>
/// An element-wise first-order optimizer over a flat parameter arena. State (momentum, moments) lives
/// in arenas of the parameter layout, allocated once; a <see cref="Step"/> is one vectorized pass per
/// parameter group and allocates nothing. A checkpoint persists and restores the state through
/// <see cref="SaveState"/> and <see cref="RestoreState"/>: the kind, <see cref="StepCount"/> and the
/// arenas under PyTorch's names. State that decays (momentum,
/// moving averages) is flushed to zero once it drops below the smallest normal number, as PyTorch does
/// under <c>torch.set_flush_denormal(True)</c>: the parameters of dead units would otherwise keep
/// subnormal state, on which every step runs several times slower; such state moves a parameter by
/// less than γ·2⁻¹²⁶ (SGD) or about γ·2⁻¹²⁶/ε (Adam, RMSprop) in float.
/// </summary>
public abstract class Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[][] _states;
    private readonly string[] _stateNames;
    private readonly OptimizerGroup[] _groups;
    private readonly ParameterSegment[] _segments;

    /// <summary>Sets up the groups, without momentum, and allocates one zeroed arena per state name.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate or weight decay is negative or not finite.</exception>
    protected Optimizer(ParameterLayout layout, double learningRate, double weightDecay, params string[] stateNames)
        : this(layout, learningRate, weightDecay, MomentumKind.None, 0, stateNames)
    {
    }

    /// <summary>
    /// Sets up the groups with a <paramref name="momentum"/> of the given kind (each group's
    /// <see cref="OptimizerGroup.Momentum"/>, read at every step) and allocates one zeroed arena per state name.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate or weight decay is negative or not finite.</exception>
    protected Optimizer(ParameterLayout layout, double learningRate, double weightDecay, MomentumKind momentumKind, double momentum, params string[] stateNames)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(stateNames);
        Hyperparameter.NonNegative(learningRate, nameof(learningRate));
        Hyperparameter.NonNegative(weightDecay, nameof(weightDecay));
        Layout = layout;
        _segments = layout.Segments;
        _groups = new OptimizerGroup[layout.Groups.Count];
        for (var g = 0; g < _groups.Length; g++)
        {
            var definition = layout.Groups[g];
            var groupLearningRate = definition?.LearningRate ?? learningRate;
            var groupWeightDecay = definition?.WeightDecay ?? weightDecay;
            Hyperparameter.NonNegative(groupLearningRate, nameof(ParameterGroup.LearningRate));
            Hyperparameter.NonNegative(groupWeightDecay, nameof(ParameterGroup.WeightDecay));
            var name = definition is null ? "default" : string.Join(",", definition.TensorNames);
            _groups[g] = new OptimizerGroup(name, groupLearningRate, groupWeightDecay, definition?.IsFrozen ?? false, momentumKind, momentum);
        }

        _stateNames = stateNames;
        _states = new T[stateNames.Length][];
        for (var s = 0; s < _states.Length; s++)
        {
            _states[s] = new T[layout.ParameterCount];
        }
    }

    /// <summary>Elements in the parameter arena this optimizer updates.</summary>
    public int ParameterCount => Layout.ParameterCount;

    /// <summary>The arena layout and its groups.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>The live settings per group; index 0 is the default group.</summary>
    public IReadOnlyList<OptimizerGroup> Groups => _groups;

    /// <summary>Steps taken so far (PyTorch's <c>step</c>); bias corrections and first-step rules read it.</summary>
    /// <remarks><see cref="RestoreState"/> sets it together with the state arenas.</remarks>
    public long StepCount { get; private set; }

    /// <summary>The kind of optimizer, its class name without type arguments (<c>Sgd</c>, <c>Adam</c>, <c>AdamW</c>…), as checkpoints record it.</summary>
    public string Kind
    {
        get
        {
            var name = GetType().Name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick < 0 ? name : name[..tick];
        }
    }

    /// <summary>The names of the state arenas, in order (e.g. <c>exp_avg</c>, <c>exp_avg_sq</c>).</summary>
    public IReadOnlyList<string> StateNames => _stateNames;

    /// <summary>Sets every group's current learning rate (schedules still start from each group's <see cref="OptimizerGroup.InitialLearningRate"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    public void SetLearningRate(double learningRate)
    {
        Hyperparameter.NonNegative(learningRate, nameof(learningRate));
        foreach (var group in _groups)
        {
            group.LearningRate = learningRate;
        }
    }

    /// <summary>The state arena at <paramref name="index"/> in <see cref="StateNames"/>, for reading or restoring.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such state.</exception>
    public Span<T> GetState(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _states.Length);
        return _states[index];
    }

    /// <summary>The state arena called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">This optimizer keeps no state of that name.</exception>
    public Span<T> GetState(string name)
    {
        var index = Array.IndexOf(_stateNames, name);
        if (index < 0)
        {
            throw new ArgumentException($"This optimizer has no state '{name}'; expected one of: {string.Join(", ", _stateNames)}.", nameof(name));
        }

        return _states[index];
    }

    /// <summary>
    /// Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> and advances <see cref="StepCount"/>.
    /// A large arena is updated in ranges over the <see cref="Kernels.Gemm.MaxThreads"/> threads, bitwise as on one.
    /// </summary>
    /// <exception cref="ArgumentException">Either span is shorter than <see cref="ParameterCount"/>.</exception>
    public unsafe void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        BeginStep(parameters, gradients);
        fixed (T* p = parameters, g = gradients)
        {
            ParallelRanges.Run(new UpdateRanges(this, p, g), ParameterCount, ParallelRanges.ElementwiseWork, UpdateAlignment);
        }
    }

    /// <summary>Checks the arenas and advances <see cref="StepCount"/>; <see cref="UpdateRange"/> calls then do the update, possibly on several threads.</summary>
    internal void BeginStep(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        Hyperparameter.Arena(parameters.Length, ParameterCount, nameof(parameters));
        Hyperparameter.Arena(gradients.Length, ParameterCount, nameof(gradients));
        StepCount++;
    }

    /// <summary>
    /// The update of the elements near [<paramref name="begin"/>, <paramref name="end"/>). Inside each
    /// segment the range is moved to the next multiple of <see cref="UpdateAlignment"/> counted from the
    /// segment's start, so ranges that tile the arena also tile every segment, and each piece splits into
    /// whole registers and a tail exactly where the whole segment would: any tiling updates every element
    /// bitwise as one <see cref="Step"/> does.
    /// </summary>
    internal void UpdateRange(Span<T> parameters, ReadOnlySpan<T> gradients, int begin, int end)
    {
        foreach (var segment in _segments)
        {
            var group = _groups[segment.Group];
            var first = PieceBoundary(segment, begin);
            var length = PieceBoundary(segment, end) - first;
            if (group.IsFrozen || length == 0)
            {
                continue;
            }

            Update(
                parameters.Slice(segment.Offset + first, length),
                gradients.Slice(segment.Offset + first, length),
                StateSlice(0, segment, first, length),
                StateSlice(1, segment, first, length),
                StateSlice(2, segment, first, length),
                group);
        }
    }

    /// <summary>Zeroes the gradients of frozen groups, so they count in neither the norm nor clipping.</summary>
    internal void ClearFrozenGradients(Span<T> gradients) => ClearFrozenGradients(gradients, 0, ParameterCount);

    /// <summary>Zeroes the frozen groups' gradients inside arena elements [<paramref name="begin"/>, <paramref name="end"/>).</summary>
    internal void ClearFrozenGradients(Span<T> gradients, int begin, int end)
    {
        foreach (var segment in _segments)
        {
            var first = Math.Max(segment.Offset, begin);
            var last = Math.Min(segment.Offset + segment.Length, end);
            if (_groups[segment.Group].IsFrozen && first < last)
            {
                gradients[first..last].Clear();
            }
        }
    }

    /// <summary>A copy of the kind, step count and state arenas.</summary>
    public OptimizerSnapshot<T> SaveState() =>
        new(Kind, StepCount, _stateNames, [.. _states.Select(s => (T[])s.Clone())]);

    /// <summary>Restores state saved by <see cref="SaveState"/> from an optimizer of the same kind and layout.</summary>
    /// <exception cref="ArgumentException">The snapshot's kind, state names or lengths differ from this optimizer's, or its step count is negative.</exception>
    public void RestoreState(OptimizerSnapshot<T> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Kind != Kind || !snapshot.StateNames.SequenceEqual(_stateNames)
            || snapshot.States.Count != _states.Length || snapshot.States.Any(s => s.Length != ParameterCount) || snapshot.StepCount < 0)
        {
            throw new ArgumentException(
                $"Expected a {Kind} snapshot with states [{string.Join(", ", _stateNames)}] of {ParameterCount} elements each and a step count ≥ 0, "
                + $"got a {snapshot.Kind} one with [{string.Join(", ", snapshot.StateNames)}] and step count {snapshot.StepCount}.",
                nameof(snapshot));
        }

        for (var s = 0; s < _states.Length; s++)
        {
            snapshot.States[s].CopyTo(_states[s], 0);
        }

        StepCount = snapshot.StepCount;
    }

    /// <summary>
    /// Updates one run of the arena that belongs to <paramref name="group"/>: a whole segment, or a piece
    /// of one when a trainer spreads the update over threads (then several calls run at once on disjoint
    /// pieces, so an update must be element-wise). States the optimizer does not keep arrive as empty
    /// spans. <see cref="StepCount"/> is already the number of this step.
    /// </summary>
    protected abstract void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state0, Span<T> state1, Span<T> state2, OptimizerGroup group);

    /// <summary>
    /// The kind of a μ that needs a momentum buffer (SGD, RMSprop): the buffer is allocated only for μ ≠ 0,
    /// so only then can the group's momentum be driven.
    /// </summary>
    private protected static MomentumKind BufferedMomentumKind(double momentum) => momentum != 0 ? MomentumKind.Momentum : MomentumKind.None;

    /// <summary>Converts a hyperparameter to the element type.</summary>
    protected static T Convert(double value) => T.CreateTruncating(value);

    /// <summary>Elements of every piece but a segment's last are a multiple of this: whole registers of every width.</summary>
    internal const int UpdateAlignment = 64;

    /// <summary>Where <paramref name="position"/> of the arena cuts <paramref name="segment"/>, relative to its start.</summary>
    private static int PieceBoundary(ParameterSegment segment, int position)
    {
        var relative = Math.Clamp(position - segment.Offset, 0, segment.Length);
        return Math.Min((relative + UpdateAlignment - 1) / UpdateAlignment * UpdateAlignment, segment.Length);
    }

    private Span<T> StateSlice(int index, ParameterSegment segment, int first, int length) =>
        index < _states.Length ? _states[index].AsSpan(segment.Offset + first, length) : [];

    /// <summary>A range of <see cref="Step"/>'s update (pinned arenas of ParameterCount elements).</summary>
    private readonly unsafe struct UpdateRanges(Optimizer<T> optimizer, T* parameters, T* gradients) : IRangeWork
    {
        public void Run(int first, int end, int part) =>
            optimizer.UpdateRange(
                new Span<T>(parameters, optimizer.ParameterCount), new ReadOnlySpan<T>(gradients, optimizer.ParameterCount), first, end);
    }
}
