using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using IommuVerify.Reference;
using IommuVerify.Smt.Encoding;
using IommuVerify.Smt.Native;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Checking;

/// <summary>Options of a bounded model check.</summary>
/// <param name="Depth">The largest number of steps.</param>
/// <param name="QueryTimeout">The time limit of each solver query.</param>
/// <param name="Smt2Out">A folder to write every query to as SMT-LIB2, or null.</param>
/// <param name="Solver">Which solver answers.</param>
/// <param name="TimeBudget">Stop starting new depths after this long, or null for no limit.</param>
/// <param name="Progress">Called after each depth.</param>
/// <param name="Only">Check only these invariants (the others are reported Inconclusive, "not checked"), or null for all.</param>
/// <param name="OneStep">Try the one-step check first at each depth (see <see cref="BmcChecker"/>); off, every depth is
/// asked on the whole path. It is off anyway with another solver than Z3 or when the queries are exported.</param>
public sealed record BmcOptions(int Depth, TimeSpan QueryTimeout, string? Smt2Out = null, SolverKind Solver = SolverKind.Z3, TimeSpan? TimeBudget = null, Action<DepthProgress>? Progress = null, IReadOnlyCollection<string>? Only = null, bool OneStep = true);

/// <summary>Incremental bounded model checking of every invariant: one push/pop query per invariant and depth.</summary>
/// <remarks>The path constraint grows by one transition per depth; each query asks for a state at exactly that depth
/// violating one invariant that no shallower query violated. An invariant shown to hold at depth j (an Unsat answer)
/// holds in every state reachable in j steps, so it is asserted at step j for every deeper query: no path the solver
/// must consider is lost, and the shortest counterexample is still found at its own depth, while the solver no longer
/// re-derives what the earlier depths showed (measured: 2-4 times faster per depth on the SVA models). Every Sat answer is replayed on the reference model
/// (<see cref="Counterexamples.Replay"/>) before it counts.
/// <para>A model's lemmas (<see cref="LemmaParser"/>) are checked the same way, before the invariants of each depth:
/// a lemma that no depth-k state violates is asserted at step k for the invariant queries of that depth and every
/// query after it; a lemma some path violates is reported as a violated lemma, with that path, and never assumed again.
/// Since only what holds in every reachable state at step k is assumed there, no verdict and no counterexample length
/// of an invariant changes; a wrong lemma costs its speed-up, nothing else.</para>
/// <para>The one-step check: before the path queries of depth k, a second solver asks whether one transition from any
/// well-typed state satisfying everything shown at depth k-1 can reach a state where an open lemma or invariant fails.
/// Everything shown at depth k-1 holds in every state reachable in k-1 steps, so when no such transition exists
/// (Unsat), every open property holds in every state reachable in k steps, and depth k is done without a path query.
/// When one exists (Sat), it may start from an unreachable state, so depth k is asked on the path as before, which
/// finds any real counterexample at its own depth: the shortcut only ever concludes "holds". When the lemmas and
/// invariants are inductive together (what <c>prove</c> shows), each depth costs one small query, and the same query
/// (same assumptions, same properties) is answered once. The type bounds it assumes (<see cref="SymModel.WellTyped"/>,
/// which caps use counts at 64) hold on paths of at most 64 steps, so deeper it is not used.</para></remarks>
public static class BmcChecker
{
    /// <summary>Runs a bounded check of a model's scope (the public entry point for other commands).</summary>
    public static BmcResult Run(ModelFile model, string scopeName, int depth, TimeSpan timeout) =>
        Run(model, scopeName, new BmcOptions(depth, timeout));

    /// <summary>Runs a bounded check with full options.</summary>
    public static BmcResult Run(ModelFile model, string scopeName, BmcOptions o)
    {
        var scope = model.GetScope(scopeName);
        var reference = ReferenceModel.For(model, scopeName);
        var unencoded = OpCatalog.Unencoded(scope);
        var ops = OpCatalog.For(scope);
        string solverName = o.Solver == SolverKind.Z3 ? "z3 " + Z3Context.Version() : "cvc5 (process)";
        using var ctx = new Z3Context();
        var terms = new Terms(ctx);
        var m = new SymModel(terms, reference);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, InvariantOutcome>(StringComparer.Ordinal);
        var depths = ImmutableArray.CreateBuilder<DepthProgress>();
        var lemmas = LemmaParser.ParseAll(model, scope).ToDictionary(l => l.Name, StringComparer.Ordinal);
        var lemmaOutcomes = new Dictionary<string, InvariantOutcome>(StringComparer.Ordinal);
        var lemmaDepth = lemmas.Keys.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        Expr Holds(SymState st, string id) => lemmas.TryGetValue(id, out var l) ? l.Holds(m, st) : m.Invariant(st, id);

        // Cone of influence: no operation reads the IOTLB or device TLB to decide anything but other cache cells, so
        // every invariant but INV-TLB-COH, and the tag-aliasing half of INV-TLB-COH, are checked on a path without
        // cache cells (lane 0); the stale-entry half of INV-TLB-COH on the full path (lane 1).
        var lanes = new[]
        {
            new Lane(new Unrolling(m, ops, withCaches: false), new Z3Solver(terms), [.. InvariantIds.All.Where(id => id != InvariantIds.TlbCoh), SymModel.TlbCohAlias],
                [.. lemmas.Values.Where(l => !l.ReadsCaches).Select(l => l.Name)]),
            new Lane(new Unrolling(m, ops, withCaches: true), new Z3Solver(terms), [SymModel.TlbCohStale], [.. lemmas.Values.Where(l => l.ReadsCaches).Select(l => l.Name)]),
        };
        bool oneStep = o.OneStep && o.Solver == SolverKind.Z3 && o.Smt2Out is null;
        if (o.Only is { } only)
        {
            foreach (var lane in lanes)
            {
                foreach (string id in lane.Open.Where(id => !only.Contains(SymModel.WholeInvariant(id))).ToList())
                {
                    lane.Open.Remove(id);
                    outcomes[id] = new InvariantOutcome(id, BmcVerdict.Inconclusive, 0, null, "not checked (not selected)", TimeSpan.Zero);
                }
            }
        }

        try
        {
            foreach (var lane in lanes)
            {
                lane.Path.Start(m.Initial());
                foreach (string id in lane.Open.ToList())
                {
                    if (m.Invariant(lane.Path.States[0], id).IsFalse)
                    {
                        outcomes[id] = new InvariantOutcome(id, BmcVerdict.Violated, 0, null, "the initial state violates it", clock.Elapsed);
                        lane.Open.Remove(id);
                    }
                }

                foreach (string id in lane.Lemmas.ToList())
                {
                    if (Holds(lane.Path.States[0], id).IsFalse)
                    {
                        lemmaOutcomes[id] = new InvariantOutcome(id, BmcVerdict.Violated, 0, null, "the initial state violates it", clock.Elapsed);
                        lane.Lemmas.Remove(id);
                    }
                }
            }

            // What holds at step 0 (the initial state is concrete): the one-step check's first assumptions.
            lanes[0].Held.AddRange([.. lanes[0].Open, .. lanes[0].Lemmas]);
            lanes[1].Held.AddRange([.. lanes[1].Open, .. lanes[1].Lemmas, .. lanes[0].Held]);
            int reached = 0;
            var reducedProved = new Dictionary<int, List<string>>();
            for (int k = 1; k <= o.Depth && lanes.Any(l => l.Open.Count > 0); k++)
            {
                if (o.TimeBudget is { } budget && clock.Elapsed > budget)
                {
                    break;
                }

                var depthStart = clock.Elapsed;
                var built = TimeSpan.Zero;
                var slowest = TimeSpan.Zero;
                bool complete = true;
                var found = ImmutableArray.CreateBuilder<string>();
                foreach (var lane in lanes.Where(l => l.Open.Count > 0))
                {
                    var b = clock.Elapsed;
                    lane.Solver.Assert(lane.Path.Extend());
                    if (lane.Path.WithCaches && reducedProved.TryGetValue(k, out var proved))
                    {
                        lane.Solver.Assert(terms.And(proved.Select(id => Holds(lane.Path.States[k], id))));
                    }

                    built += clock.Elapsed - b;
                    if (oneStep && k <= 64 && OneStepHolds(lane, m, ops, terms, Holds, reducedProved.GetValueOrDefault(k) ?? [], o.QueryTimeout, ref slowest))
                    {
                        List<string> asked = [.. lane.Lemmas, .. lane.Open];
                        foreach (string id in lane.Lemmas)
                        {
                            lemmaDepth[id] = k;
                        }

                        lane.Solver.Assert(terms.And(asked.Select(id => Holds(lane.Path.States[k], id))));
                        if (!lane.Path.WithCaches)
                        {
                            reducedProved[k] = asked;
                        }

                        lane.Held.Clear();
                        lane.Held.AddRange([.. asked, .. lane.Path.WithCaches ? reducedProved.GetValueOrDefault(k) ?? [] : []]);
                        continue;
                    }

                    // The lemmas first: what they show at depth k the invariant queries of depth k may assume. A lemma
                    // some path violates leaves (reported as a lemma violation); one whose query gives no answer
                    // leaves too (inconclusive), and neither is assumed from then on.
                    if (lane.Lemmas.Count > 0)
                    {
                        var lemmaFound = ImmutableArray.CreateBuilder<string>();
                        var groups = o.Solver == SolverKind.Z3 ? [lane.Lemmas.ToList()] : lane.Lemmas.Select(id => new List<string> { id }).ToList();
                        var shown = new List<string>();
                        foreach (var part in groups)
                        {
                            if (CheckDepth(model, scopeName, o, lane, part, Holds, terms, k, solverName, clock, lemmaOutcomes, lemmaFound, ref slowest, lemmas))
                            {
                                shown.AddRange(part);
                            }
                        }

                        lane.Lemmas.RemoveAll(id => !shown.Contains(id));
                        foreach (string id in shown)
                        {
                            lemmaDepth[id] = k;
                        }

                        found.AddRange(lemmaFound);
                        lane.Solver.Assert(terms.And(shown.Select(id => Holds(lane.Path.States[k], id))));
                        if (!lane.Path.WithCaches)
                        {
                            reducedProved[k] = [.. shown];
                        }
                    }

                    bool laneComplete = CheckDepth(model, scopeName, o, lane, lane.Open, Holds, terms, k, solverName, clock, outcomes, found, ref slowest, null);
                    complete &= laneComplete;
                    lane.Held.Clear();
                    lane.Held.AddRange([.. lane.Lemmas, .. laneComplete ? lane.Open : [], .. lane.Path.WithCaches ? reducedProved.GetValueOrDefault(k) ?? [] : []]);
                    if (laneComplete)
                    {
                        // What this depth proved holds in every reachable state at depth k; later queries may assume it
                        // there. The cache-free lane's results hold on the full path too (its path over-approximates),
                        // so the full lane assumes them as well.
                        lane.Solver.Assert(terms.And(lane.Open.Select(id => m.Invariant(lane.Path.States[k], id))));
                        if (!lane.Path.WithCaches)
                        {
                            reducedProved[k] = [.. reducedProved.GetValueOrDefault(k) ?? [], .. lane.Open];
                        }
                    }

                    // Once one half of an invariant is violated, the invariant is: the other half stops.
                    foreach (var other in lanes)
                    {
                        other.Open.RemoveAll(id => id != SymModel.WholeInvariant(id) &&
                            outcomes.Any(kv => kv.Value.Verdict == BmcVerdict.Violated && kv.Key != id && SymModel.WholeInvariant(kv.Key) == SymModel.WholeInvariant(id)));
                    }
                }

                if (complete)
                {
                    reached = k;
                }

                var p = new DepthProgress(k, built, slowest, clock.Elapsed - depthStart, clock.Elapsed, found.ToImmutable());
                depths.Add(p);
                o.Progress?.Invoke(p);
            }

            foreach (string id in lanes.SelectMany(l => l.Open))
            {
                outcomes[id] = unencoded.IsEmpty
                    ? new InvariantOutcome(id, BmcVerdict.HoldsToDepth, reached, null, "", clock.Elapsed)
                    : new InvariantOutcome(id, BmcVerdict.Inconclusive, reached, null, $"inconclusive for unencoded operations: {string.Join(", ", unencoded.Select(OpText.Name))}", clock.Elapsed);
            }

            foreach (var l in lemmas.Values.Where(l => !lemmaOutcomes.ContainsKey(l.Name)))
            {
                lemmaOutcomes[l.Name] = unencoded.IsEmpty
                    ? new InvariantOutcome(l.Name, BmcVerdict.HoldsToDepth, lemmaDepth[l.Name], null, l.Text, clock.Elapsed)
                    : new InvariantOutcome(l.Name, BmcVerdict.Inconclusive, lemmaDepth[l.Name], null, $"{l.Text} (inconclusive for unencoded operations)", clock.Elapsed);
            }

            return new BmcResult(model.Name, scopeName, solverName, reached, ops.Length, unencoded,
                [.. InvariantIds.All.Select(id => Merge(id, outcomes))], depths.ToImmutable())
            {
                Lemmas = [.. lemmas.Keys.Select(n => lemmaOutcomes[n])],
            };
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane.Solver.Dispose();
                lane.Step?.Solver.Dispose();
            }
        }
    }

    /// <summary>The outcome of an invariant from the outcomes of its parts (INV-TLB-COH is checked as two halves).</summary>
    private static InvariantOutcome Merge(string id, Dictionary<string, InvariantOutcome> outcomes)
    {
        if (outcomes.TryGetValue(id, out var whole))
        {
            return whole;
        }

        var parts = outcomes.Where(kv => SymModel.WholeInvariant(kv.Key) == id).Select(kv => kv.Value with { Id = id }).ToList();
        return parts.Where(p => p.Verdict == BmcVerdict.EncodingBug).Concat(parts.Where(p => p.Verdict == BmcVerdict.Violated).OrderBy(p => p.Elapsed))
            .Concat(parts.Where(p => p.Verdict == BmcVerdict.Inconclusive).OrderBy(p => p.Depth))
            .Concat(parts.OrderBy(p => p.Depth)).First();
    }

    /// <summary>One solver with its path, the invariants it still has to check and the lemmas not yet refuted.</summary>
    private sealed record Lane(Unrolling Path, Z3Solver Solver, List<string> Open, List<string> Lemmas)
    {
        /// <summary>The lemmas and invariants shown to hold at the last depth done (on this lane's path).</summary>
        public List<string> Held { get; } = [];

        /// <summary>The one-step solver: a free well-typed state, one transition, its successor; made on first use.</summary>
        public (Z3Solver Solver, Unrolling Path)? Step { get; set; }

        /// <summary>The one-step answers by assumptions and properties asked: true when no transition breaks them.</summary>
        public Dictionary<string, bool> Answers { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The one-step check of a lane at its next depth: true when no transition from a well-typed state satisfying
    /// <see cref="Lane.Held"/> (and, on the cache lane, reaching a state satisfying <paramref name="alsoAfter"/>, what the
    /// cache-free lane showed at this depth) leads to a state where an open lemma or invariant fails.</summary>
    private static bool OneStepHolds(Lane lane, SymModel m, ImmutableArray<Op> ops, Terms terms, Func<SymState, string, Expr> holdsOf, List<string> alsoAfter, TimeSpan timeout, ref TimeSpan slowest)
    {
        List<string> asked = [.. lane.Lemmas, .. lane.Open];
        if (lane.Held.Count == 0 || asked.Count == 0)
        {
            return false;
        }

        string key = string.Join(",", lane.Held.Order(StringComparer.Ordinal)) + "|" + string.Join(",", alsoAfter.Order(StringComparer.Ordinal)) + "|" + string.Join(",", asked.Order(StringComparer.Ordinal));
        if (lane.Answers.TryGetValue(key, out bool known))
        {
            return known;
        }

        if (lane.Step is null)
        {
            var path = new Unrolling(m, ops, lane.Path.WithCaches);
            var solver = new Z3Solver(terms);
            path.Start(m.Fresh("j0"));
            solver.Assert(m.WellTyped(path.States[0]));
            solver.Assert(path.Extend("j"));
            lane.Step = (solver, path);
        }

        var (step, p) = lane.Step.Value;
        step.Push();
        step.Assert(terms.And(lane.Held.Select(id => holdsOf(p.States[0], id))));
        step.Assert(terms.And(alsoAfter.Select(id => holdsOf(p.States[1], id))));
        step.Assert(terms.Or(asked.Select(id => !holdsOf(p.States[1], id))));
        var q = Stopwatch.StartNew();
        bool holds = step.Check(timeout) is SolverResult.UnsatResult;
        slowest = q.Elapsed > slowest ? q.Elapsed : slowest;
        step.Pop();
        lane.Answers[key] = holds;
        return holds;
    }

    /// <summary>Queries one depth of one lane until every id of <paramref name="open"/> holds there or is decided (and
    /// removed); false when a query gave no answer. <paramref name="lemmas"/> is given when the ids are lemmas.</summary>
    private static bool CheckDepth(ModelFile model, string scopeName, BmcOptions o, Lane lane, List<string> open, Func<SymState, string, Expr> holdsOf, Terms terms, int k, string solverName,
        Stopwatch clock, Dictionary<string, InvariantOutcome> outcomes, ImmutableArray<string>.Builder found, ref TimeSpan slowest, Dictionary<string, Lemma>? lemmas)
    {
        var (path, solver) = (lane.Path, lane.Solver);
        for (int round = 1; open.Count > 0; round++)
        {
            var holds = open.ToDictionary(id => id, id => holdsOf(path.States[k], id));
            var bad = terms.Or(holds.Values.Select(h => !h));
            if (bad.IsFalse)
            {
                return true;
            }

            solver.Push();
            solver.Assert(bad);
            var q = Stopwatch.StartNew();
            string label = open.Count == 1 ? open[0].Replace("/", "-", StringComparison.Ordinal).Replace(' ', '-') : lemmas is null ? $"any{round}" : $"lemmas{round}";
            var (result, choices) = Ask(solver, path, o, model.Name, scopeName, k, label);
            q.Stop();
            slowest = q.Elapsed > slowest ? q.Elapsed : slowest;
            if (result is SolverResult.UnsatResult)
            {
                solver.Pop();
                return true;
            }

            if (result is SolverResult.SatResult)
            {
                var violated = choices is null
                    ? holds.Where(h => !solver.EvalBool(h.Value)).Select(h => h.Key).ToList()
                    : lemmas is not null ? [.. open] : ViolatedOnReference(model, scopeName, path, choices, k, open);
                if (violated.Count == 0)
                {
                    violated = [open[0]];
                }

                foreach (string id in violated.Where(id => lemmas is not null))
                {
                    outcomes[id] = LemmaFound(model, scopeName, path, solver, choices, k, lemmas![id], clock.Elapsed);
                    open.Remove(id);
                    found.Add($"{id} {(outcomes[id].Verdict == BmcVerdict.Violated ? "VIOLATED (a wrong lemma)" : outcomes[id].Verdict.ToString())}");
                }

                foreach (string id in violated.Where(id => lemmas is null))
                {
                    outcomes[id] = Found(model, scopeName, path, solver, choices, k, SymModel.WholeInvariant(id), solverName, clock.Elapsed, requireFirst: id == SymModel.WholeInvariant(id)) with { Id = id };
                    open.Remove(id);
                    found.Add($"{id} {outcomes[id].Verdict}");
                }

                solver.Pop();
                continue;
            }

            foreach (string id in open)
            {
                outcomes[id] = new InvariantOutcome(id, BmcVerdict.Inconclusive, k - 1, null, $"depth {k}: {result}", clock.Elapsed);
                found.Add($"{id} {result}");
            }

            open.Clear();
            solver.Pop();
            return false;
        }

        return true;
    }

    /// <summary>For an external solver's path (no Z3 model): the open invariants the path violates on the reference.</summary>
    private static List<string> ViolatedOnReference(ModelFile model, string scope, Unrolling path, int[] choices, int k, List<string> open)
    {
        var reference = ReferenceModel.For(model, scope);
        var checker = new Reference.Invariants.InvariantChecker(reference);
        var st = reference.Initial();
        for (int i = 1; i <= k; i++)
        {
            if (choices[i] < 0 || choices[i] >= path.Ops.Length)
            {
                return [];
            }

            st = reference.Apply(st, path.Ops[choices[i]]).Next;
        }

        return [.. open.Where(id => checker.Check(st, SymModel.WholeInvariant(id)).Any())];
    }

    private static (SolverResult Result, int[]? Choices) Ask(Z3Solver solver, Unrolling path, BmcOptions o, string model, string scope, int k, string id)
    {
        string? smt2 = null;
        if (o.Smt2Out is not null)
        {
            Directory.CreateDirectory(o.Smt2Out);
            smt2 = solver.ToSmt2();
            File.WriteAllText(Path.Combine(o.Smt2Out, string.Create(CultureInfo.InvariantCulture, $"{model}-{scope}-bmc-d{k:D2}-{id}.smt2")), smt2);
        }

        if (o.Solver == SolverKind.Z3)
        {
            return (solver.Check(o.QueryTimeout), null);
        }

        var names = Enumerable.Range(1, k).Select(i => "op" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var (r, values) = ExternalSolver.Check("cvc5", smt2 ?? solver.ToSmt2(), o.QueryTimeout, names);
        if (r is not SolverResult.SatResult)
        {
            return (r, null);
        }

        var choices = new int[k + 1];
        for (int i = 1; i <= k; i++)
        {
            if (!values.TryGetValue(names[i - 1], out choices[i]))
            {
                return (SolverResult.Unknown($"cvc5 gave no value for {names[i - 1]}"), null);
            }
        }

        return (r, choices);
    }

    /// <summary>The outcome of a lemma the solver found violated at depth <paramref name="k"/>: the path, checked step by
    /// step against the reference model (a path that does not replay is an encoding bug), and the state it reaches.</summary>
    private static InvariantOutcome LemmaFound(ModelFile model, string scope, Unrolling path, Z3Solver solver, int[]? choices, int k, Lemma lemma, TimeSpan elapsed)
    {
        var ops = new List<Op>();
        for (int i = 1; i <= k; i++)
        {
            int c = choices?[i] ?? solver.EvalInt(path.Choices[i]);
            if (c < 0 || c >= path.Ops.Length)
            {
                return new InvariantOutcome(lemma.Name, BmcVerdict.EncodingBug, k, null, $"step {i} chose operation {c}, outside 0..{path.Ops.Length - 1}", elapsed);
            }

            ops.Add(path.Ops[c]);
        }

        var reference = ReferenceModel.For(model, scope);
        var st = reference.Initial();
        var steps = new List<string>();
        for (int i = 0; i < ops.Count; i++)
        {
            var r = reference.Apply(st, ops[i]);
            st = r.Next;
            steps.Add($"{OpText.Render(ops[i], reference.Scope)} -> {OpText.RenderResults(r.Allowed, ops[i].ReturnsDomain)}");
            if (choices is null && StateReader.Read(solver, path.M, path.States[i + 1], path.WithCaches).DiffFrom(st) is { } diff)
            {
                return new InvariantOutcome(lemma.Name, BmcVerdict.EncodingBug, k, null, $"after step {i + 1} ({steps[^1]}) the solver's state differs from the reference: {diff}", elapsed);
            }
        }

        string last = choices is null ? "\n" + StateReader.Read(solver, path.M, path.States[k], path.WithCaches).Describe(path.M) : "";
        return new InvariantOutcome(lemma.Name, BmcVerdict.Violated, k, null,
            $"the lemma \"{lemma.Text}\" is false after {k} step(s): {string.Join("; ", steps)}{last}", elapsed);
    }

    private static InvariantOutcome Found(ModelFile model, string scope, Unrolling path, Z3Solver solver, int[]? choices, int k, string id, string solverName, TimeSpan elapsed, bool requireFirst)
    {
        var ops = new List<Op>();
        for (int i = 1; i <= k; i++)
        {
            int c = choices?[i] ?? solver.EvalInt(path.Choices[i]);
            if (c < 0 || c >= path.Ops.Length)
            {
                return new InvariantOutcome(id, BmcVerdict.EncodingBug, k, null, $"step {i} chose operation {c}, outside 0..{path.Ops.Length - 1}", elapsed);
            }

            ops.Add(path.Ops[c]);
        }

        var states = choices is null ? Enumerable.Range(0, k + 1).Select(i => StateReader.Read(solver, path.M, path.States[i], path.WithCaches)).ToList() : null;
        var meta = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["tool"] = "iommuverify-0.1.0",
            ["checker"] = "bmc",
            ["strategy"] = "incremental",
            ["bound"] = k.ToString(CultureInfo.InvariantCulture),
            ["seed"] = "none",
            ["solver"] = solverName.Replace(' ', '-'),
        });
        var (trace, bug) = Counterexamples.Replay(model, scope, ops, id, meta, states, requireFirst);
        return trace is null
            ? new InvariantOutcome(id, BmcVerdict.EncodingBug, k, null, bug ?? "", elapsed)
            : new InvariantOutcome(id, BmcVerdict.Violated, k, trace, "", elapsed);
    }
}
