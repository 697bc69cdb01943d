using System.Collections.Immutable;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Explorer;

/// <summary>Turns a path of operation indices into a counterexample by replaying it on the reference model.</summary>
public static class Counterexamples
{
    /// <summary>Replays <paramref name="path"/> from the initial state; the last state must violate <paramref name="invariantId"/> and no earlier one may.</summary>
    /// <exception cref="InvalidOperationException">When the replay disagrees with the search: a checker bug, never reported as a finding.</exception>
    public static Counterexample Replay(Search search, string invariantId, int[] path)
    {
        var model = search.Model;
        var state = model.Initial();
        var steps = ImmutableArray.CreateBuilder<CounterexampleStep>();
        foreach (int k in path)
        {
            var op = search.Ops[k];
            var r = model.Apply(state, op);
            state = r.Next;
            steps.Add(new CounterexampleStep(op, r.Allowed, r.Rules, search.Violations(state)));
        }

        if (steps.Count == 0 || !steps[^1].Violations.Contains(invariantId))
        {
            throw new InvalidOperationException($"the counterexample for {invariantId} does not violate it when replayed ({steps.Count} steps)");
        }

        if (steps.Take(steps.Count - 1).Any(s => s.Violations.Contains(invariantId)))
        {
            throw new InvalidOperationException($"the counterexample for {invariantId} violates it before its last step when replayed");
        }

        string witness = search.Checker.Check(state, invariantId).First().Witness;
        var firstBad = steps.FirstOrDefault(s => !s.Violations.IsEmpty);
        var covers = firstBad is not null && firstBad.Violations[0] == invariantId ? ImmutableArray.Create(invariantId) : [];
        var meta = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        meta["tool"] = "iommuverify-" + search.Options.ToolVersion;
        meta["checker"] = "explicit";
        foreach (var kv in search.Options.Strategy.Meta)
        {
            meta[kv.Key] = kv.Value;
        }

        meta["bind_bound"] = search.Options.MaxBindCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        meta["symmetry"] = search.Fingerprints.GroupSize > 1 ? "on" : "off";
        string name = $"{search.File.Name}-{invariantId.ToLowerInvariant()}";
        var trace = new Trace(name + ".trace", name, search.File.Path, search.File.Path, search.Model.Scope.Name, covers, meta.ToImmutable(),
            invariantId, steps.Count, [.. steps.Select(s => new TraceStep(s.Op, s.Allowed, 0))]);
        return new Counterexample(invariantId, witness, steps.ToImmutable(), trace);
    }
}
