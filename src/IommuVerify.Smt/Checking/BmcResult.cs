using System.Collections.Immutable;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Smt.Checking;

/// <summary>Which solver answers the queries.</summary>
public enum SolverKind
{
    /// <summary>libz3 through our binding, incrementally.</summary>
    Z3,
    /// <summary>cvc5 as a process on each exported query.</summary>
    Cvc5,
}

/// <summary>What a bounded check says about one invariant.</summary>
public enum BmcVerdict
{
    /// <summary>No path up to <see cref="InvariantOutcome.Depth"/> steps violates it, over every encoded operation of the scope.</summary>
    HoldsToDepth,
    /// <summary>A replayed counterexample of <see cref="InvariantOutcome.Depth"/> steps violates it.</summary>
    Violated,
    /// <summary>A query timed out or came back unknown, or the scope has operations the encoding lacks: nothing is claimed.</summary>
    Inconclusive,
    /// <summary>The solver's path does not replay on the reference model: a bug in the encoding, not a finding.</summary>
    EncodingBug,
}

/// <summary>The outcome for one invariant.</summary>
/// <param name="Id">The invariant ID.</param>
/// <param name="Verdict">The verdict.</param>
/// <param name="Depth">Depth covered without violation, or the counterexample length.</param>
/// <param name="Counterexample">The replayed counterexample, for Violated.</param>
/// <param name="Detail">Why inconclusive, or what the encoding bug was.</param>
/// <param name="Elapsed">Time from the start of the check to this verdict.</param>
public sealed record InvariantOutcome(string Id, BmcVerdict Verdict, int Depth, Trace? Counterexample, string Detail, TimeSpan Elapsed);

/// <summary>Progress after one depth.</summary>
/// <param name="Depth">The depth just checked.</param>
/// <param name="BuildTime">Time to build the step's transition constraint.</param>
/// <param name="LastQuery">Time of the slowest query at this depth.</param>
/// <param name="DepthTime">Time for the whole depth.</param>
/// <param name="Total">Time since the start.</param>
/// <param name="Found">Invariants found violated (or inconclusive) at this depth.</param>
public sealed record DepthProgress(int Depth, TimeSpan BuildTime, TimeSpan LastQuery, TimeSpan DepthTime, TimeSpan Total, ImmutableArray<string> Found);

/// <summary>The result of a bounded model check.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Scope">The scope name.</param>
/// <param name="Solver">The solver and its version.</param>
/// <param name="DepthReached">The deepest depth fully checked.</param>
/// <param name="Operations">How many concrete operations one step chooses from (on the full path; the reduced path of the
/// non-TLB invariants leaves out map, unmap, invalidate and translate).</param>
/// <param name="Unencoded">Operation codes of the scope the encoding lacks (then nothing "holds").</param>
/// <param name="Invariants">One outcome per invariant, in spec order.</param>
/// <param name="Depths">Progress per depth.</param>
public sealed record BmcResult(
    string Model,
    string Scope,
    string Solver,
    int DepthReached,
    int Operations,
    ImmutableArray<OpCode> Unencoded,
    ImmutableArray<InvariantOutcome> Invariants,
    ImmutableArray<DepthProgress> Depths)
{
    /// <summary>The outcome of each of the model's lemmas ("lemma N"), in file order: HoldsToDepth (no path of up to
    /// <see cref="InvariantOutcome.Depth"/> steps violates it, and it was assumed there), Violated (the lemma is wrong:
    /// the detail gives the path and the state), Inconclusive or EncodingBug.</summary>
    public ImmutableArray<InvariantOutcome> Lemmas { get; init; } = [];

    /// <summary>The outcome of one invariant.</summary>
    public InvariantOutcome this[string id] => Invariants.First(o => o.Id == id);
}
