using System.Collections.Immutable;

namespace IommuVerify.Conformance;

/// <summary>Why a trace did not conform.</summary>
public enum FailureKind
{
    /// <summary>The implementation returned a result the trace does not expect.</summary>
    WrongResult,
    /// <summary>The trace's expected results are not what the spec allows: the trace itself is wrong.</summary>
    TraceDisagreesWithSpec,
    /// <summary>An invariant failed where the trace says none should, or not where it says one does.</summary>
    InvariantMismatch,
    /// <summary>The trace claims to cover a rule it never exercises, or names a rule the spec lacks.</summary>
    CoverageMismatch,
    /// <summary>The implementation crashed, hung or printed something that is not a result.</summary>
    ImplementationFailed,
}

/// <summary>One failure in one trace.</summary>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Step">The 1-based step, or 0 for the whole trace.</param>
/// <param name="Line">The line in the trace file, or 0.</param>
/// <param name="Message">What was expected and what happened.</param>
/// <param name="Rules">The spec rule IDs the failing step exercised on the reference model.</param>
public sealed record TraceFailure(FailureKind Kind, int Step, int Line, string Message, ImmutableArray<string> Rules);

/// <summary>The verdict on one trace.</summary>
/// <param name="File">The trace file.</param>
/// <param name="Name">The trace name.</param>
/// <param name="Steps">How many steps ran.</param>
/// <param name="Failures">Empty when the trace conforms.</param>
/// <param name="RulesExercised">Every rule the reference replay exercised.</param>
public sealed record TraceVerdict(string File, string Name, int Steps, ImmutableArray<TraceFailure> Failures, ImmutableSortedSet<string> RulesExercised)
{
    /// <summary>True when the trace conforms.</summary>
    public bool Passed => Failures.IsEmpty;
}
