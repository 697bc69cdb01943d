using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Explorer.Tests;

/// <summary>What random walks report when they do find a violation: the first violating state of a walk, replayed,
/// with the walk's seed and length in the trace.</summary>
public sealed class RandomWalkTests
{
    [Fact]
    public void The_trace_meta_names_the_strategy_its_length_and_seed()
    {
        var meta = new RandomWalk(7, 3, 12).Meta;
        Assert.Equal(
            new SortedDictionary<string, string> { ["bound"] = "12", ["seed"] = "7", ["strategy"] = "random" },
            new SortedDictionary<string, string>(meta.ToDictionary()));
    }

    [Fact]
    public void Single_walks_report_the_first_violating_state_they_reach()
    {
        // One walk per seed, so a reported counterexample is the walk's own path; the replay refuses a path that
        // violates the invariant before its last step, so a walk that recorded a revisit instead of the first visit
        // would fail here.
        var m = TestModels.Load("intel-flush-queue-reuse");
        int found = 0;
        for (int seed = 1; seed <= 100; seed++)
        {
            var r = ModelChecker.Check(m, "small", new CheckOptions { Workers = 1, Strategy = new RandomWalk(seed, 1, 60) });
            var tlb = r.Invariants.Single(i => i.Id == InvariantIds.TlbCoh);
            if (tlb.Counterexample is not { } cex)
            {
                Assert.Equal(Outcome.Inconclusive, tlb.Outcome);
                continue;
            }

            found++;
            Assert.Equal(Outcome.Violated, tlb.Outcome);
            Assert.Equal(Outcome.Violated, r.Verdict);
            Assert.True(cex.Length <= 60);
            Assert.Contains(InvariantIds.TlbCoh, cex.Steps[^1].Violations);
            Assert.All(cex.Steps.SkipLast(1), s => Assert.DoesNotContain(InvariantIds.TlbCoh, s.Violations));
            Assert.Equal(seed.ToString(System.Globalization.CultureInfo.InvariantCulture), cex.Trace.Meta["seed"]);
            Assert.Equal("random", cex.Trace.Meta["strategy"]);
            Assert.Equal("60", cex.Trace.Meta["bound"]);
        }

        Assert.True(found >= 3, $"only {found} of 100 single walks of 60 steps found the stale IOTLB entry");
    }
}
