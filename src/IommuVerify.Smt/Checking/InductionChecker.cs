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

/// <summary>Options of a k-induction proof.</summary>
/// <param name="K">The induction depth.</param>
/// <param name="QueryTimeout">The time limit of each query.</param>
/// <param name="Smt2Out">A folder for the SMT-LIB2 queries, or null.</param>
public sealed record InductionOptions(int K, TimeSpan QueryTimeout, string? Smt2Out = null);

/// <summary>What k-induction says about one invariant.</summary>
public enum ProofVerdict
{
    /// <summary>Base case and inductive step hold for every target and lemma: proved for all depths.</summary>
    Proved,
    /// <summary>The inductive step fails: a counterexample to induction exists (a lemma may rule it out).</summary>
    NotInductive,
    /// <summary>The base case fails: a real violation within k-1 steps.</summary>
    BaseFails,
    /// <summary>A query timed out or was unknown.</summary>
    Inconclusive,
    /// <summary>The model expects it violated, so it is not a proof target.</summary>
    NotTargeted,
}

/// <summary>A counterexample to induction: a state that satisfies the hypotheses and an operation leaving them.</summary>
/// <param name="State">The state before the last step, listed.</param>
/// <param name="Operation">The operation of the last step in trace syntax.</param>
public sealed record Cti(string State, string Operation);

/// <summary>One named query and its answer.</summary>
/// <param name="Name">IndInit[...], IndProp[...].</param>
/// <param name="Result">The solver's answer.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record QueryRecord(string Name, SolverResult Result, TimeSpan Elapsed);

/// <summary>The outcome for one invariant or lemma.</summary>
/// <param name="Id">The invariant ID or lemma name.</param>
/// <param name="Verdict">The verdict.</param>
/// <param name="Detail">More words.</param>
/// <param name="Cti">The counterexample to induction, for NotInductive.</param>
public sealed record ProofOutcome(string Id, ProofVerdict Verdict, string Detail, Cti? Cti);

/// <summary>The result of a k-induction run.</summary>
/// <param name="K">The depth.</param>
/// <param name="Lemmas">The lemmas used.</param>
/// <param name="Queries">Every query in order.</param>
/// <param name="Outcomes">Per invariant (spec order), then per lemma.</param>
public sealed record InductionResult(int K, ImmutableArray<string> Lemmas, ImmutableArray<QueryRecord> Queries, ImmutableArray<ProofOutcome> Outcomes);

/// <summary>k-induction over the invariants a model expects to hold, strengthened by the model's lemmas.</summary>
/// <remarks>IndInit: from the initial state, no target or lemma fails within k-1 steps. IndNext: k+1 free, well-typed
/// states joined by transitions. IndProp: the hypotheses (the targets and lemmas whose base case holds) hold on the
/// first k states; each is asked separately to fail on the last. Those that can are not inductive and leave the
/// hypotheses, and the rest are asked again (Houdini's fixed point). The targets and lemmas left standing are proved
/// together: each holds on the first k steps and, assuming all of them on k consecutive states, on the next.</remarks>
public static class InductionChecker
{
    /// <summary>Runs k-induction.</summary>
    public static InductionResult Run(ModelFile model, string scopeName, InductionOptions o)
    {
        var scope = model.GetScope(scopeName);
        var reference = ReferenceModel.For(model, scopeName);
        var lemmas = LemmaParser.ParseAll(model, scope);
        var unencoded = OpCatalog.Unencoded(scope);
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var ops = OpCatalog.For(scope);
        var targets = InvariantIds.All.Where(id => model.Expect[id] == Expectation.Holds).ToList();
        var props = targets.Select(id => (Name: id, Holds: (Func<SymState, Expr>)(s => m.Invariant(s, id))))
            .Concat(lemmas.Select(l => (Name: l.Name, Holds: (Func<SymState, Expr>)(s => l.Holds(m, s))))).ToList();
        var queries = ImmutableArray.CreateBuilder<QueryRecord>();
        var verdicts = new Dictionary<string, ProofOutcome>(StringComparer.Ordinal);

        // IndInit: the base case.
        using (var solver = new Z3Solver(t))
        {
            var path = new Unrolling(m, ops);
            path.Start(m.Initial());
            for (int i = 1; i < o.K; i++)
            {
                solver.Assert(path.Extend());
            }

            foreach (var (name, holds) in props)
            {
                var bad = t.Or(path.States.Select(s => !holds(s)));
                var r = Query(solver, bad, $"IndInit[{name}]", o, model.Name, queries);
                if (r is SolverResult.SatResult)
                {
                    verdicts[name] = new ProofOutcome(name, ProofVerdict.BaseFails, $"fails within {o.K - 1} steps of the initial state (run bmc for the trace)", null);
                }
                else if (r is not SolverResult.UnsatResult)
                {
                    verdicts[name] = new ProofOutcome(name, ProofVerdict.Inconclusive, $"IndInit: {r}", null);
                }
            }
        }

        // IndNext + IndProp: the inductive step, Houdini-style. The hypotheses are the targets and lemmas still standing;
        // each is asked to fail on the last state; those that can are dropped from the hypotheses and the rest asked
        // again, until none fails. What stands then holds on the initial steps and is preserved as a set: proved.
        var standing = props.Where(p => !verdicts.ContainsKey(p.Name)).ToList();
        using (var solver = new Z3Solver(t))
        {
            var path = new Unrolling(m, ops);
            path.Start(m.Fresh("i0"));
            solver.Assert(m.WellTyped(path.States[0]));
            for (int i = 1; i <= o.K; i++)
            {
                solver.Assert(path.Extend("i")); // IndNext
                solver.Assert(m.WellTyped(path.States[i]));
            }

            for (int round = 1; standing.Count > 0; round++)
            {
                solver.Push();
                for (int i = 0; i < o.K; i++)
                {
                    solver.Assert(t.And(standing.Select(p => p.Holds(path.States[i]))));
                }

                var failed = new List<string>();
                foreach (var (name, holds) in standing)
                {
                    var bad = !holds(path.States[o.K]);
                    string qname = round == 1 ? $"IndProp[{name}]" : $"IndProp[{name}] round {round}";
                    var r = Query(solver, bad, qname, o, model.Name, queries, keepModel: true);
                    if (r is SolverResult.SatResult)
                    {
                        var before = StateReader.Read(solver, m, path.States[o.K - 1]);
                        var op = ops[solver.EvalInt(path.Choices[o.K])];
                        string given = round == 1 ? "with the hypotheses given" : $"once {string.Join(", ", props.Select(p => p.Name).Where(n => verdicts.TryGetValue(n, out var v) && v.Verdict == ProofVerdict.NotInductive))} are dropped from the hypotheses";
                        verdicts[name] = new ProofOutcome(name, ProofVerdict.NotInductive, $"not {o.K}-inductive {given}", new Cti(before.Describe(m), OpText.Render(op, scope)));
                        solver.Pop();
                        failed.Add(name);
                    }
                    else if (r is not SolverResult.UnsatResult)
                    {
                        verdicts[name] = new ProofOutcome(name, ProofVerdict.Inconclusive, $"IndProp: {r}", null);
                        failed.Add(name);
                    }
                }

                solver.Pop();
                if (failed.Count == 0)
                {
                    break;
                }

                standing.RemoveAll(p => failed.Contains(p.Name));
            }
        }

        var outcomes = ImmutableArray.CreateBuilder<ProofOutcome>();
        foreach (string id in InvariantIds.All)
        {
            if (!targets.Contains(id))
            {
                outcomes.Add(new ProofOutcome(id, ProofVerdict.NotTargeted, "the model expects it violated", null));
            }
            else
            {
                outcomes.Add(Final(id, unencoded, verdicts));
            }
        }

        foreach (var l in lemmas)
        {
            var f = Final(l.Name, unencoded, verdicts);
            outcomes.Add(f with { Detail = f.Detail.Length == 0 ? l.Text : $"{l.Text} ({f.Detail})" });
        }

        return new InductionResult(o.K, [.. lemmas.Select(l => l.Text)], queries.ToImmutable(), outcomes.ToImmutable());
    }

    private static ProofOutcome Final(string id, ImmutableArray<OpCode> unencoded, Dictionary<string, ProofOutcome> verdicts)
    {
        if (verdicts.TryGetValue(id, out var v))
        {
            return v;
        }

        return unencoded.IsEmpty
            ? new ProofOutcome(id, ProofVerdict.Proved, "", null)
            : new ProofOutcome(id, ProofVerdict.Inconclusive, $"inconclusive for unencoded operations: {string.Join(", ", unencoded.Select(OpText.Name))}", null);
    }

    private static SolverResult Query(Z3Solver solver, Expr bad, string name, InductionOptions o, string model, ImmutableArray<QueryRecord>.Builder queries, bool keepModel = false)
    {
        solver.Push();
        solver.Assert(bad);
        if (o.Smt2Out is not null)
        {
            Directory.CreateDirectory(o.Smt2Out);
            string file = string.Create(CultureInfo.InvariantCulture, $"{model}-k{o.K}-{name.Replace('[', '-').Replace(']', ' ').Trim().Replace(' ', '_')}.smt2");
            File.WriteAllText(Path.Combine(o.Smt2Out, file), solver.ToSmt2());
        }

        var sw = Stopwatch.StartNew();
        var r = bad.IsFalse ? SolverResult.Unsat : solver.Check(o.QueryTimeout);
        queries.Add(new QueryRecord(name, r, sw.Elapsed));
        if (!(keepModel && r is SolverResult.SatResult))
        {
            solver.Pop();
        }

        return r;
    }
}
