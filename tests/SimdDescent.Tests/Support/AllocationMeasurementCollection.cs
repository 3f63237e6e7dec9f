namespace SimdDescent.Tests.Support;

/// <summary>
/// Tests that count allocated bytes run alone. While other tests run, the runtime keeps compiling new
/// methods, which postpones the tier-up of the measured ones (the tiering delay restarts with every new
/// tier-0 method); a late tier-up or on-stack replacement then compiles on the measured thread, and what
/// the compiler allocates there (string literals, statics) is counted as if the step had allocated it.
/// Under QEMU, where everything is twenty times slower, that happened often enough to fail a run.
/// </summary>
[CollectionDefinition(nameof(AllocationMeasurementCollection), DisableParallelization = true)]
public sealed class AllocationMeasurementCollection;
