using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer.Tests;

/// <summary>The last check before a counterexample is reported: its path is replayed on the reference model, must
/// violate the invariant at its last step and not before, and the trace carries what reproduces the search.</summary>
public class CounterexampleReplayTests
{
    private static (Search Search, int[] Path) Found(CheckOptions options)
    {
        var m = TestModels.Load("amd-v2-per-domain-did"); // its small scope violates INV-TLB-COH
        var cex = ModelChecker.Check(m, "small", options).Invariants.Single(i => i.Id == InvariantIds.TlbCoh).Counterexample!;
        var search = new Search(m, "small", options);
        int[] path = [.. cex.Steps.Select(s => search.Ops.IndexOf(s.Op))];
        Assert.DoesNotContain(-1, path);
        return (search, path);
    }

    [Fact]
    public void A_path_that_violates_at_its_last_step_becomes_a_counterexample_with_its_trace()
    {
        var opts = new CheckOptions { Workers = 1, ToolVersion = "9.9.9", MaxBindCount = 3, Strategy = new DepthFirst(8) };
        var (search, path) = Found(opts);
        var cex = Counterexamples.Replay(search, InvariantIds.TlbCoh, path);
        Assert.Equal(InvariantIds.TlbCoh, cex.InvariantId);
        Assert.Equal(path.Length, cex.Length);
        Assert.Equal(path.Select(k => search.Ops[k]), cex.Steps.Select(s => s.Op));
        Assert.Contains(InvariantIds.TlbCoh, cex.Steps[^1].Violations);
        Assert.All(cex.Steps.SkipLast(1), s => Assert.DoesNotContain(InvariantIds.TlbCoh, s.Violations));
        Assert.False(string.IsNullOrEmpty(cex.Witness));

        var t = cex.Trace;
        Assert.Equal("amd-v2-per-domain-did-inv-tlb-coh", t.Name);
        Assert.Equal(t.Name + ".trace", t.File);
        Assert.Equal(InvariantIds.TlbCoh, t.Violates);
        Assert.Equal(path.Length, t.ViolatesAt);
        Assert.Equal("small", t.Scope);
        Assert.Equal(cex.Steps.Select(s => s.Op), t.Steps.Select(s => s.Op));
        Assert.Equal([InvariantIds.TlbCoh], t.Covers.ToArray());
        Assert.Equal("iommuverify-9.9.9", t.Meta["tool"]);
        Assert.Equal("explicit", t.Meta["checker"]);
        Assert.Equal("dfs", t.Meta["strategy"]);
        Assert.Equal("8", t.Meta["bound"]);
        Assert.Equal("none", t.Meta["seed"]);
        Assert.Equal("3", t.Meta["bind_bound"]);
        Assert.Equal(search.Fingerprints.GroupSize > 1 ? "on" : "off", t.Meta["symmetry"]);
        Assert.Equal("off", Counterexamples.Replay(Found(opts with { Symmetry = false }).Search, InvariantIds.TlbCoh, path).Trace.Meta["symmetry"]);
    }

    [Fact]
    public void A_path_that_never_violates_is_a_checker_bug_not_a_finding()
    {
        var (search, path) = Found(new CheckOptions { Workers = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => Counterexamples.Replay(search, InvariantIds.TlbCoh, []));
        Assert.Equal("the counterexample for INV-TLB-COH does not violate it when replayed (0 steps)", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => Counterexamples.Replay(search, InvariantIds.TlbCoh, path[..^1]));
        Assert.Equal($"the counterexample for INV-TLB-COH does not violate it when replayed ({path.Length - 1} steps)", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => Counterexamples.Replay(search, InvariantIds.SvaRid, path));
        Assert.Contains("for INV-SVA-RID does not violate it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_violates_before_its_last_step_is_refused()
    {
        var (search, path) = Found(new CheckOptions { Workers = 1 });
        int last = path[^1]; // the state after it violates; repeating the step keeps the stale entry
        var e = Assert.Throws<InvalidOperationException>(() => Counterexamples.Replay(search, InvariantIds.TlbCoh, [.. path, last]));
        Assert.Equal("the counterexample for INV-TLB-COH violates it before its last step when replayed", e.Message);
    }
}
