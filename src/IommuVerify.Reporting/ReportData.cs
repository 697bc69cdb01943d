using System.Collections.Immutable;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Reporting;

/// <summary>What a checker concluded about one invariant of one model.</summary>
public enum Outcome
{
    /// <summary>Every state the check covered keeps the invariant, and it covered the whole scope.</summary>
    Holds,
    /// <summary>A replayed counterexample exists.</summary>
    Violated,
    /// <summary>A limit stopped the search first.</summary>
    Inconclusive,
    /// <summary>No checker result was given for this cell.</summary>
    NotChecked,
}

/// <summary>One cell of the policy × invariant matrix.</summary>
/// <param name="Invariant">The invariant ID.</param>
/// <param name="Expected">What the model file expects.</param>
/// <param name="Outcome">What the check found.</param>
/// <param name="Length">The counterexample's number of steps, when violated.</param>
/// <param name="TraceFile">The counterexample trace file, when violated.</param>
public sealed record MatrixCell(string Invariant, Expectation Expected, Outcome Outcome, int? Length, string? TraceFile)
{
    /// <summary>True when the outcome is what the model expects.</summary>
    public bool MeetsExpectation =>
        (Expected == Expectation.Holds && Outcome == Outcome.Holds) ||
        (Expected == Expectation.Violated && Outcome == Outcome.Violated);
}

/// <summary>One row of the matrix: a model and its cells in invariant order.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="ModelFile">Its file.</param>
/// <param name="Kind">mainline or proposal.</param>
/// <param name="Platform">The platform.</param>
/// <param name="Scope">The scope checked.</param>
/// <param name="Cells">One cell per invariant.</param>
public sealed record MatrixRow(string Model, string ModelFile, string Kind, string Platform, string Scope, ImmutableArray<MatrixCell> Cells);

/// <summary>One step of a counterexample as the report shows it.</summary>
/// <param name="Index">1-based step number.</param>
/// <param name="Op">The operation.</param>
/// <param name="OpText">The operation in trace syntax.</param>
/// <param name="Result">The result the trace records (the first allowed one).</param>
/// <param name="Rules">The spec rules the step exercised.</param>
/// <param name="Changes">Human-readable state changes, one per line.</param>
public sealed record StepView(int Index, Op Op, string OpText, Result Result, ImmutableArray<string> Rules, ImmutableArray<string> Changes)
{
    /// <summary>True when the step returned an errno.</summary>
    public bool Failed => Result.Kind == ResultKind.Err;
}

/// <summary>A counterexample, replayed, ready to draw.</summary>
/// <param name="Trace">The trace.</param>
/// <param name="Model">The model it runs on.</param>
/// <param name="Scope">The scope.</param>
/// <param name="Steps">The steps with their effects.</param>
/// <param name="ViolationStep">The step after which the first invariant fails, or 0.</param>
/// <param name="InvariantId">The invariant that fails first, or empty.</param>
/// <param name="Witness">The witness of that violation, or empty.</param>
public sealed record CounterexampleView(Trace Trace, ModelFile Model, Scope Scope, ImmutableArray<StepView> Steps, int ViolationStep, string InvariantId, string Witness);
