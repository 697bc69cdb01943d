using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Smt.Encoding;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Smt.Checking;

/// <summary>Turns a solver's path into a trace and replays it on the reference model before anyone sees it.</summary>
public static class Counterexamples
{
    /// <summary>Replays operations on the reference model; returns the trace when <paramref name="invariant"/> fails at the
    /// last step and not before, else the reason it is an encoding bug.</summary>
    /// <param name="model">The model file.</param>
    /// <param name="scope">The scope name.</param>
    /// <param name="ops">The operations the solver chose.</param>
    /// <param name="invariant">The invariant the solver claims fails after the last step.</param>
    /// <param name="meta">Provenance for the trace header.</param>
    /// <param name="solverStates">The solver's state after each step (index 0 = initial), compared cell by cell when given.</param>
    /// <param name="requireFirst">Require that the invariant does not fail before the last step (false when the solver
    /// searched for one half of an invariant, which may find a path on which the other half failed earlier).</param>
    public static (Trace? Trace, string? Bug) Replay(ModelFile model, string scope, IReadOnlyList<Op> ops, string invariant,
        ImmutableSortedDictionary<string, string> meta, IReadOnlyList<ConcreteState>? solverStates = null, bool requireFirst = true)
    {
        var reference = ReferenceModel.For(model, scope);
        var checker = new InvariantChecker(reference);
        var state = reference.Initial();
        var steps = ImmutableArray.CreateBuilder<TraceStep>();
        if (solverStates is not null && solverStates[0].DiffFrom(state) is { } d0)
        {
            return (null, $"initial state differs: {d0}");
        }

        for (int i = 0; i < ops.Count; i++)
        {
            if (requireFirst && checker.Check(state, invariant).Any())
            {
                return (null, $"{invariant} already fails on the reference model after step {i}, before the solver's last step {ops.Count}");
            }

            var r = reference.Apply(state, ops[i]);
            steps.Add(new TraceStep(ops[i], r.Allowed, 0));
            state = r.Next;
            if (solverStates is not null && solverStates[i + 1].DiffFrom(state) is { } diff)
            {
                return (null, $"after step {i + 1} ({OpText.Render(ops[i], reference.Scope)}) the solver's state differs from the reference: {diff}");
            }
        }

        if (!checker.Check(state, invariant).Any())
        {
            return (null, $"the solver's path of {ops.Count} steps does not violate {invariant} on the reference model");
        }

        int first = ops.Count;
        var again = reference.Initial();
        for (int i = 0; i < ops.Count; i++)
        {
            again = reference.Apply(again, ops[i]).Next;
            if (checker.Check(again, invariant).Any())
            {
                first = i + 1;
                break;
            }
        }

        string name = $"{model.Name}-{scope}-{invariant.ToLowerInvariant()}";
        var trace = new Trace($"{name}.trace", name, model.Path, Path.GetFullPath(model.Path), scope, [invariant], meta, invariant, first, steps.ToImmutable());
        return (trace, null);
    }

    /// <summary>Renders a counterexample in trace text form.</summary>
    public static string Render(Trace t, ModelFile model) => TraceText.Render(t, model.GetScope(t.Scope));
}
