using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Explorer.Tests;

public class CheckerTests
{
    private static CheckOptions Opts(int workers = 2, bool symmetry = true) => new() { Workers = workers, Symmetry = symmetry };

    // Distinct states and diameter of exhaustive BFS at scope "small" (symmetry off), computed once and pinned.
    [Theory]
    [InlineData("amd-v2-per-device-did", 307, 6)]
    [InlineData("amd-vi-v1", 1100, 8)]
    [InlineData("intel-vtd", 685, 8)]
    [InlineData("intel-flush-queue", 2300, 10)]
    public void Small_scopes_have_their_pinned_state_counts_and_diameters(string name, long states, int diameter)
    {
        var r = ModelChecker.Check(TestModels.Load(name), "small", Opts(symmetry: false));
        Assert.Equal(Outcome.Holds, r.Verdict);
        Assert.Null(r.StopReason);
        Assert.Equal(states, r.Stats.DistinctStates);
        Assert.Equal(diameter, r.Stats.Depth);
        Assert.True(r.Stats.Transitions >= r.Stats.DistinctStates * OpSpace.Enumerate(TestModels.Load(name).GetScope("small")).Length);
    }

    [Theory]
    [InlineData("amd-v2-per-domain-did")]
    [InlineData("intel-flush-queue-reuse")]
    [InlineData("sva-rid-unchecked")]
    [InlineData("vpasid-allocated-mixed")]
    public void One_and_two_workers_give_the_same_states_and_counterexamples(string name)
    {
        var m = TestModels.Load(name);
        var one = ModelChecker.Check(m, "small", Opts(workers: 1));
        var two = ModelChecker.Check(m, "small", Opts(workers: 2));
        Assert.Equal(Outcome.Violated, one.Verdict);
        Assert.Equal(one.Verdict, two.Verdict);
        Assert.Equal(one.Stats.DistinctStates, two.Stats.DistinctStates);
        Assert.Equal(one.Stats.Transitions, two.Stats.Transitions);
        Assert.Equal(one.Stats.Depth, two.Stats.Depth);
        Assert.Equal(one.Coverage.PerOperation, two.Coverage.PerOperation);
        foreach (var (a, b) in one.Invariants.Zip(two.Invariants))
        {
            Assert.Equal(a.Outcome, b.Outcome);
            Assert.Equal(a.Counterexample is null, b.Counterexample is null);
            if (a.Counterexample is { } ca)
            {
                Assert.True(ca.Trace.SameAs(b.Counterexample!.Trace), $"{a.Id}: traces differ between 1 and 2 workers");
            }
        }
    }

    [Theory]
    [InlineData("amd-v2-per-domain-did")]
    [InlineData("intel-unmap-forgets-pasid")]
    [InlineData("arm-smmuv3-no-flush-on-detach")]
    public void Counterexamples_are_shortest_and_replay_from_their_trace_text(string name)
    {
        var m = TestModels.Load(name);
        var r = ModelChecker.Check(m, "small", Opts());
        var scope = m.GetScope("small");
        foreach (var inv in r.Invariants.Where(i => i.Outcome == Outcome.Violated))
        {
            var cex = inv.Counterexample!;
            var text = TraceText.Render(TraceWriter.ForFile(cex, Path.Combine(TestModels.Dir, "x.trace"), m.Path), scope);
            var parsed = TraceText.Parse(Path.Combine(TestModels.Dir, "x.trace"), text, _ => m);
            Assert.Equal(inv.Id, parsed.Violates);
            Assert.Equal(cex.Length, parsed.ViolatesAt);
            Assert.Equal("explicit", parsed.Meta["checker"]);
            Assert.Equal("bfs", parsed.Meta["strategy"]);

            var model = new ReferenceModel(m.Policy, scope);
            var checker = new InvariantChecker(model);
            var s = model.Initial();
            foreach (var step in parsed.Steps)
            {
                var res = model.Apply(s, step.Op);
                Assert.True(step.Expected.SequenceEqual(res.Allowed), $"{step.Op}: trace says {string.Join("|", step.Expected)}, spec allows {string.Join("|", res.Allowed)}");
                s = res.Next;
            }

            Assert.Contains(checker.Check(s), v => v.InvariantId == inv.Id);

            // Nothing shorter exists: a search cut one level earlier does not find this invariant violated.
            var shorter = ModelChecker.Check(m, "small", Opts() with { MaxDepth = cex.Length - 1 });
            Assert.NotEqual(Outcome.Violated, shorter.Invariants.Single(i => i.Id == inv.Id).Outcome);
        }
    }

    [Fact]
    public void Max_states_gives_inconclusive_never_holds()
    {
        var r = ModelChecker.Check(TestModels.Load("intel-flush-queue"), "small", Opts() with { MaxStates = 100 });
        Assert.Equal(Outcome.Inconclusive, r.Verdict);
        Assert.StartsWith("max-states", r.StopReason, StringComparison.Ordinal);
        Assert.InRange(r.Stats.DistinctStates, 100, 2299);
        Assert.All(r.Invariants, i => Assert.Equal(Outcome.Inconclusive, i.Outcome));
    }

    [Fact]
    public void Max_depth_gives_inconclusive_with_the_depth_reached()
    {
        var r = ModelChecker.Check(TestModels.Load("intel-flush-queue"), "small", Opts() with { MaxDepth = 3 });
        Assert.Equal(Outcome.Inconclusive, r.Verdict);
        Assert.Equal(3, r.Stats.Depth);
        Assert.StartsWith("max-depth", r.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_limit_gives_inconclusive()
    {
        var r = ModelChecker.Check(TestModels.Load("intel-flush-queue"), "small", Opts() with { TimeLimit = TimeSpan.Zero });
        Assert.Equal(Outcome.Inconclusive, r.Verdict);
        Assert.Equal("time limit", r.StopReason);
    }

    [Fact]
    public void A_violation_found_under_a_limit_is_still_reported()
    {
        var r = ModelChecker.Check(TestModels.Load("amd-v2-per-domain-did"), "small", Opts() with { MaxDepth = 5 });
        Assert.Equal(Outcome.Violated, r.Verdict);
        Assert.Equal(Outcome.Violated, r.Invariants.Single(i => i.Id == InvariantIds.TlbCoh).Outcome);
        Assert.Equal(Outcome.Inconclusive, r.Invariants.Single(i => i.Id == InvariantIds.SvaRid).Outcome);
    }

    [Fact]
    public void Depth_first_without_hitting_its_bound_visits_the_same_states_as_bfs()
    {
        var m = TestModels.Load("intel-vtd");
        var bfs = ModelChecker.Check(m, "small", Opts(symmetry: false));
        var dfs = ModelChecker.Check(m, "small", Opts(symmetry: false) with { Strategy = new DepthFirst(10_000) });
        Assert.Equal(Outcome.Holds, dfs.Verdict);
        Assert.Equal(bfs.Stats.DistinctStates, dfs.Stats.DistinctStates);
        Assert.Contains("bound=10000", dfs.Strategy, StringComparison.Ordinal);
    }

    [Fact]
    public void Depth_first_finds_real_counterexamples_and_a_hit_bound_is_inconclusive()
    {
        var m = TestModels.Load("intel-unmap-forgets-pasid");
        var dfs = ModelChecker.Check(m, "small", Opts() with { Strategy = new DepthFirst(8) });
        Assert.Equal(Outcome.Violated, dfs.Verdict);
        Assert.True(dfs.Invariants.Single(i => i.Id == InvariantIds.TlbCoh).Counterexample!.Length <= 8);
        var holds = ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts() with { Strategy = new DepthFirst(3) });
        Assert.Equal(Outcome.Inconclusive, holds.Verdict);
    }

    [Fact]
    public void Random_walks_are_reproducible_by_seed_and_never_say_holds()
    {
        var m = TestModels.Load("intel-flush-queue-reuse");
        var a = ModelChecker.Check(m, "small", Opts() with { Strategy = new RandomWalk(7, 200, 12) });
        var b = ModelChecker.Check(m, "small", Opts() with { Strategy = new RandomWalk(7, 200, 12) });
        Assert.Equal(a.Stats.DistinctStates, b.Stats.DistinctStates);
        Assert.Equal(a.Stats.Transitions, b.Stats.Transitions);
        Assert.NotEqual(Outcome.Holds, a.Verdict);
        Assert.Contains("seed=7", a.Strategy, StringComparison.Ordinal);
        var holds = ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts() with { Strategy = new RandomWalk(1, 50, 10) });
        Assert.Equal(Outcome.Inconclusive, holds.Verdict);
        Assert.All(a.Invariants.Where(i => i.Counterexample is not null), i => Assert.Equal("7", i.Counterexample!.Trace.Meta["seed"]));
    }

    [Fact]
    public void Coverage_counts_operations_and_errnos_and_lists_unexercised_rules()
    {
        var rules = new HashSet<string>(StringComparer.Ordinal) { "XLATE-7", "NOT-A-RULE-1" };
        var r = ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts() with { SpecRules = rules });
        Assert.Equal(r.Stats.Transitions, r.Coverage.PerOperation.Values.Sum());
        Assert.Contains("translate", r.Coverage.PerOperation.Keys);
        Assert.DoesNotContain("sva_bind", r.Coverage.PerOperation.Keys);
        Assert.True(r.Coverage.PerErrno.Values.Sum() > 0);
        Assert.Contains("XLATE-7", r.Coverage.Exercised);
        Assert.Equal(["NOT-A-RULE-1"], r.Coverage.NeverExercised);
        Assert.InRange(r.Stats.CollisionProbability, 0.0, 1e-6);
    }
}
