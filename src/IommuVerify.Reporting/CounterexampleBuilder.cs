using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Reporting;

/// <summary>Replays a trace on the reference model to collect, per step, its result, rules, state changes and the first violation.</summary>
public static class CounterexampleBuilder
{
    /// <summary>Builds the view of a trace.</summary>
    public static CounterexampleView Build(Trace trace, ModelFile model)
    {
        var scope = model.GetScope(trace.Scope);
        var reference = new ReferenceModel(model.Policy, scope);
        var checker = new InvariantChecker(reference);
        var state = reference.Initial();
        var before = StateExport.Export(reference, state);
        var steps = ImmutableArray.CreateBuilder<StepView>();
        int violationStep = 0;
        string inv = "", witness = "";
        for (int i = 0; i < trace.Steps.Length; i++)
        {
            var op = trace.Steps[i].Op;
            var r = reference.Apply(state, op);
            state = r.Next;
            var after = StateExport.Export(reference, state);
            steps.Add(new StepView(i + 1, op, OpText.Render(op, scope), r.Primary, r.Rules, Diff(before, after)));
            before = after;
            if (violationStep == 0)
            {
                var v = checker.Check(state);
                if (!v.IsEmpty)
                {
                    violationStep = i + 1;
                    inv = v[0].InvariantId;
                    witness = v[0].Witness;
                }
            }
        }

        return new CounterexampleView(trace, model, scope, steps.ToImmutable(), violationStep, inv, witness);
    }

    /// <summary>The differences between two exported states, one line per variable entry added, removed or changed.</summary>
    public static ImmutableArray<string> Diff(JsonObject before, JsonObject after)
    {
        var lines = ImmutableArray.CreateBuilder<string>();
        foreach (var (name, a) in after)
        {
            var b = before[name];
            var oldItems = Items(b);
            var newItems = Items(a);
            foreach (var (k, v) in newItems)
            {
                if (!oldItems.TryGetValue(k, out var ov))
                {
                    lines.Add($"{name}: + {k}{(v.Length > 0 ? " = " + v : "")}");
                }
                else if (ov != v)
                {
                    lines.Add($"{name}: {k} {ov} -> {v}");
                }
            }

            foreach (var (k, v) in oldItems)
            {
                if (!newItems.ContainsKey(k))
                {
                    lines.Add($"{name}: - {k}{(v.Length > 0 ? " = " + v : "")}");
                }
            }
        }

        return lines.ToImmutable();
    }

    private static SortedDictionary<string, string> Items(JsonNode? n)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (n is not JsonObject o)
        {
            return d;
        }

        if (o["#set"] is JsonArray set)
        {
            foreach (var e in set)
            {
                d[Compact(e)] = "";
            }
        }
        else if (o["#map"] is JsonArray map)
        {
            foreach (var e in map)
            {
                if (e is JsonArray pair && pair.Count == 2)
                {
                    d[Compact(pair[0])] = Compact(pair[1]);
                }
            }
        }
        else
        {
            foreach (var (k, v) in o)
            {
                d[k] = Compact(v);
            }
        }

        return d;
    }

    private static string Compact(JsonNode? n) => n?.ToJsonString() ?? "null";
}
