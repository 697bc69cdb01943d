using System.Collections.Immutable;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Explorer;

/// <summary>What a search says about one invariant, or about the whole model.</summary>
public enum Outcome
{
    /// <summary>No reachable state in the scope violates it: the search covered every state.</summary>
    Holds,
    /// <summary>A reachable state violates it; a replayed counterexample comes with it.</summary>
    Violated,
    /// <summary>A limit or a non-exhaustive strategy stopped the search before it could say "holds".</summary>
    Inconclusive,
}

/// <summary>One step of a counterexample as replayed on the reference model.</summary>
/// <param name="Op">The operation.</param>
/// <param name="Allowed">The results the spec allows for it.</param>
/// <param name="Rules">The rule IDs it exercised.</param>
/// <param name="Violations">The invariant IDs the state after it violates.</param>
public sealed record CounterexampleStep(Op Op, ImmutableArray<Result> Allowed, ImmutableArray<string> Rules, ImmutableArray<string> Violations);

/// <summary>A replayed counterexample: the operations from the initial state to the first state that violates the invariant.</summary>
/// <param name="InvariantId">The invariant it violates.</param>
/// <param name="Witness">The invariant checker's witness in the last state.</param>
/// <param name="Steps">The steps, replayed on the reference model.</param>
/// <param name="Trace">The trace (file name and model path are filled in by whoever writes it).</param>
public sealed record Counterexample(string InvariantId, string Witness, ImmutableArray<CounterexampleStep> Steps, Trace Trace)
{
    /// <summary>The number of steps.</summary>
    public int Length => Steps.Length;
}

/// <summary>The outcome of one invariant.</summary>
/// <param name="Id">The invariant ID.</param>
/// <param name="Outcome">Holds, violated, or inconclusive.</param>
/// <param name="Counterexample">The shortest counterexample found (shortest overall for BFS), when violated.</param>
public sealed record InvariantResult(string Id, Outcome Outcome, Counterexample? Counterexample);

/// <summary>Which operations, errnos and spec rules the search exercised.</summary>
/// <param name="PerOperation">Transitions per operation name (failing ones included).</param>
/// <param name="PerErrno">Failed transitions per errno name.</param>
/// <param name="Exercised">Rule IDs some transition exercised.</param>
/// <param name="NeverExercised">Rule IDs of the spec list that no transition exercised (empty when no list was given).</param>
public sealed record Coverage(
    ImmutableSortedDictionary<string, long> PerOperation,
    ImmutableSortedDictionary<string, long> PerErrno,
    ImmutableSortedSet<string> Exercised,
    ImmutableSortedSet<string> NeverExercised);

/// <summary>Measurements of one search.</summary>
/// <param name="DistinctStates">Distinct states (fingerprints) found.</param>
/// <param name="Transitions">Operations applied, failing ones included.</param>
/// <param name="Generated">Successors that differed from their source state and were looked up in the seen-set.</param>
/// <param name="Depth">The deepest level reached (the diameter when the search completed).</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="SeenSetBytes">Bytes of the fingerprint table.</param>
/// <param name="PeakMemoryBytes">Peak working set of the process: the operating system's high-water mark (in a process that ran other work first, that work counts too).</param>
/// <param name="CollisionProbability">TLC-style optimistic estimate n*(m-n)/2^64 of a fingerprint collision, times
/// g^2/(2g-1) for a symmetry group of g elements: a canonical fingerprint is the least of up to g hashes, so two of
/// them meet about that much more often than two uniform values.</param>
/// <param name="Workers">Worker threads used.</param>
/// <param name="SymmetryGroupSize">Group elements fingerprints were canonicalized under (1 = symmetry off).</param>
/// <param name="Symmetry">The symmetry in words.</param>
/// <param name="Constrained">Successors dropped by the bind-count state constraint.</param>
/// <param name="CpuTime">Processor time the process used during the search (all threads).</param>
/// <param name="Successor">Which successor function the search used, and why when it is the reference.</param>
public sealed record SearchStats(
    long DistinctStates,
    long Transitions,
    long Generated,
    int Depth,
    TimeSpan Elapsed,
    long SeenSetBytes,
    long PeakMemoryBytes,
    double CollisionProbability,
    int Workers,
    int SymmetryGroupSize,
    string Symmetry,
    long Constrained,
    TimeSpan CpuTime,
    string Successor)
{
    /// <summary>Transitions per second.</summary>
    public double TransitionsPerSecond => Elapsed.TotalSeconds > 0 ? Transitions / Elapsed.TotalSeconds : 0;

    /// <summary>Transitions per second of processor time (robust when other processes share the cores).</summary>
    public double TransitionsPerCpuSecond => CpuTime.TotalSeconds > 0 ? Transitions / CpuTime.TotalSeconds : 0;

    /// <summary>Seen-set bytes per distinct state.</summary>
    public double BytesPerState => DistinctStates > 0 ? (double)SeenSetBytes / DistinctStates : 0;
}

/// <summary>The result of checking one model in one scope.</summary>
/// <param name="Model">The model name.</param>
/// <param name="ModelPath">The model file.</param>
/// <param name="Scope">The scope name.</param>
/// <param name="Strategy">The strategy description (with seed and bounds).</param>
/// <param name="Verdict">Violated if any invariant is; else inconclusive if the search was cut short; else holds.</param>
/// <param name="StopReason">Why the search stopped early (max-states, max-depth, time, non-exhaustive strategy), or null.</param>
/// <param name="Invariants">The outcome per invariant, in spec order.</param>
/// <param name="Stats">Measurements.</param>
/// <param name="Coverage">Coverage.</param>
public sealed record CheckResult(
    string Model,
    string ModelPath,
    string Scope,
    string Strategy,
    Outcome Verdict,
    string? StopReason,
    ImmutableArray<InvariantResult> Invariants,
    SearchStats Stats,
    Coverage Coverage);

/// <summary>A progress sample, reported every few seconds.</summary>
/// <param name="States">Distinct states so far.</param>
/// <param name="Depth">Current level.</param>
/// <param name="Transitions">Transitions so far.</param>
/// <param name="Queue">States waiting to be expanded.</param>
/// <param name="Elapsed">Time since the start.</param>
/// <param name="MemoryBytes">Current working set.</param>
public sealed record Progress(long States, int Depth, long Transitions, long Queue, TimeSpan Elapsed, long MemoryBytes)
{
    /// <summary>Transitions per second so far.</summary>
    public double TransitionsPerSecond => Elapsed.TotalSeconds > 0 ? Transitions / Elapsed.TotalSeconds : 0;
}
