using System.Collections.Immutable;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Vocabulary.Traces;

/// <summary>One step of a trace: an operation and the results it is expected to return (any of them).</summary>
/// <param name="Op">The operation.</param>
/// <param name="Expected">The expected results; more than one only for translations through caches.</param>
/// <param name="Line">The line of the step in its file (0 when built in memory).</param>
public sealed record TraceStep(Op Op, ImmutableArray<Result> Expected, int Line)
{
    /// <summary>True when two steps say the same (lines aside).</summary>
    public bool SameAs(TraceStep other) => Op == other.Op && Expected.SequenceEqual(other.Expected);
}

/// <summary>A trace: conformance vector, counterexample, or property-test failure (spec/trace-format.md).</summary>
/// <param name="File">Where it was read from, or where it will be written.</param>
/// <param name="Name">Its name.</param>
/// <param name="Model">The model file path as written in the trace.</param>
/// <param name="ModelPath">The model file path resolved against the trace's folder.</param>
/// <param name="Scope">The scope name.</param>
/// <param name="Covers">The spec rule IDs this trace is meant to exercise.</param>
/// <param name="Meta">Provenance: tool version, checker, strategy, bound, seed, solver.</param>
/// <param name="Violates">The invariant the trace ends up violating, or null when every state keeps every invariant.</param>
/// <param name="ViolatesAt">The step (1-based) after which <paramref name="Violates"/> first fails.</param>
/// <param name="Steps">The steps.</param>
public sealed record Trace(
    string File,
    string Name,
    string Model,
    string ModelPath,
    string Scope,
    ImmutableArray<string> Covers,
    ImmutableSortedDictionary<string, string> Meta,
    string? Violates,
    int ViolatesAt,
    ImmutableArray<TraceStep> Steps)
{
    /// <summary>True when two traces say the same (file and lines aside).</summary>
    public bool SameAs(Trace o) =>
        Name == o.Name && Model == o.Model && Scope == o.Scope && Covers.SequenceEqual(o.Covers) &&
        Meta.SequenceEqual(o.Meta) && Violates == o.Violates && ViolatesAt == o.ViolatesAt &&
        Steps.Length == o.Steps.Length && Steps.Zip(o.Steps).All(p => p.First.SameAs(p.Second));
}
