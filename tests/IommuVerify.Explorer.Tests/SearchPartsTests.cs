using IommuVerify.Reference;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Tests;

/// <summary>The small parts a search is made of, each on its own: predecessor links, the level queue and the
/// coverage counter.</summary>
public class SearchPartsTests
{
    /// <summary>Progress samples come from a timer during the search: each is a snapshot no larger than the final
    /// counts, with positive time and memory (a timer promises no tick on a busy machine, so how many samples arrive is
    /// not checked); a sample taken after the search is the final counts; the rates are transitions over time, 0
    /// before any time has passed.</summary>
    [Fact]
    public void Progress_samples_are_bounded_by_the_final_counts()
    {
        var samples = new System.Collections.Concurrent.ConcurrentQueue<Progress>();
        var m = TestModels.WithSmall(TestModels.Load("intel-vtd"), s => s with { PhysPages = 2 });
        var search = new Search(m, "small", new CheckOptions
        {
            Workers = 1,
            Symmetry = false,
            Successor = SuccessorFunction.Reference, // slow enough for the 1 ms timer to fire, when it gets a thread
            OnProgress = samples.Enqueue,
            ProgressInterval = TimeSpan.FromMilliseconds(1),
        });
        var r = search.Run();
        var after = search.Sample();
        Assert.Equal((r.Stats.DistinctStates, r.Stats.Transitions, r.Stats.Depth), (after.States, after.Transitions, after.Depth));
        Assert.True(after.Elapsed >= r.Stats.Elapsed && after.MemoryBytes > 0);
        var list = samples.ToArray();
        foreach (var p in list)
        {
            // Timer callbacks may overlap and one may still run as the search ends, so samples are only bounded,
            // not ordered.
            Assert.InRange(p.States, 0, r.Stats.DistinctStates);
            Assert.InRange(p.Transitions, 0, r.Stats.Transitions);
            Assert.InRange(p.Depth, 0, r.Stats.Depth);
            Assert.True(p.Queue >= 0);
            Assert.True(p.MemoryBytes > 0);
            Assert.True(p.Elapsed > TimeSpan.Zero);
        }

        var mid = new Progress(10, 2, 500, 3, TimeSpan.FromSeconds(2), 1);
        Assert.Equal(250, mid.TransitionsPerSecond);
        Assert.Equal(0, (mid with { Elapsed = TimeSpan.Zero }).TransitionsPerSecond);
        Assert.Equal(r.Stats.Transitions / r.Stats.Elapsed.TotalSeconds, r.Stats.TransitionsPerSecond, 6);
        Assert.Equal(r.Stats.Transitions / r.Stats.CpuTime.TotalSeconds, r.Stats.TransitionsPerCpuSecond, 6);
        Assert.Equal(0, (r.Stats with { CpuTime = TimeSpan.Zero }).TransitionsPerCpuSecond);
        Assert.Equal(0, (r.Stats with { Elapsed = TimeSpan.Zero }).TransitionsPerSecond);
        Assert.Equal(0, (r.Stats with { DistinctStates = 0 }).BytesPerState);
    }

    [Fact]
    public void Links_rebuild_the_operation_path_from_the_root_and_grow_past_their_first_block()
    {
        var links = new PredecessorLinks();
        Assert.Equal(0, links.Count);
        Assert.Equal(2 * 1024 * sizeof(int), links.Bytes);
        int root = links.Add(-1, -1);
        Assert.Equal(0, root);
        Assert.Empty(links.PathTo(root));
        int prev = root;
        for (int i = 1; i <= 1500; i++)
        {
            Assert.Equal(i, links.Add(prev, i % 7));
            prev = i;
        }

        Assert.Equal(1501, links.Count);
        Assert.Equal(2 * 2048 * sizeof(int), links.Bytes);
        int[] path = links.PathTo(1500);
        Assert.Equal(1500, path.Length);
        Assert.Equal(1 % 7, path[0]);
        Assert.Equal(1500 % 7, path[^1]);
        int side = links.Add(2, 5);
        Assert.Equal([1, 2, 5], links.PathTo(side));
    }

    [Fact]
    public void The_queue_hands_over_one_level_at_a_time()
    {
        var m = TestModels.Load("intel-vtd");
        var model = ReferenceModel.For(m, "small");
        var s0 = model.Initial();
        var s1 = model.Apply(s0, new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1)).Next;
        var q = new StateQueue();
        q.Enqueue(s0);
        Assert.Equal(1, q.Count);
        Assert.Empty(q.Current);
        q.Advance(0);
        Assert.Same(s0, q.Current.Single());
        q.Enqueue(s1);
        q.Enqueue(s1);
        Assert.Equal(3, q.Count);
        q.Advance(1);
        Assert.Equal(1, q.Start);
        Assert.Equal(2, q.Current.Count);
        Assert.All(q.Current, s => Assert.Same(s1, s));
        q.Advance(3);
        Assert.Empty(q.Current);
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void Coverage_counts_operations_errnos_on_failure_and_rules_and_merging_empties_the_source()
    {
        var model = ReferenceModel.For(TestModels.Load("intel-vtd"), "small");
        var s = model.Initial();
        var a = new CoverageCounter();
        var alloc = new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1);
        var ok = model.Apply(s, alloc);
        a.Count(alloc, ok);
        var unmap = new Unmap(1, 0);
        var failed = model.Apply(s, unmap);
        Assert.True(failed.Failed);
        a.Count(unmap, failed);
        a.Count(unmap, failed);

        var b = new CoverageCounter();
        b.Count(alloc, ok);
        a.MergeFrom(b);
        Assert.Equal(4, a.Transitions);
        Assert.Equal(0, b.Transitions);
        Assert.Empty(b.ToCoverage(null).PerOperation);
        Assert.Empty(b.ToCoverage(null).Exercised);

        var rules = new HashSet<string>(StringComparer.Ordinal) { "INV-TLB-COH", "NOT-A-RULE-9" };
        rules.UnionWith(ok.Rules);
        var cov = a.ToCoverage(rules);
        Assert.Equal(2, cov.PerOperation["alloc_domain"]);
        Assert.Equal(2, cov.PerOperation["unmap"]);
        Assert.Equal(2, cov.PerOperation.Count);
        Assert.Equal(2, cov.PerErrno[failed.Primary.Errno.ToString()]);
        Assert.Single(cov.PerErrno);
        Assert.Equal(ok.Rules.Concat(failed.Rules).Distinct().Order(StringComparer.Ordinal).ToArray(), cov.Exercised.ToArray());
        Assert.Equal(["NOT-A-RULE-9"], cov.NeverExercised);
        Assert.Empty(a.ToCoverage(null).NeverExercised);
    }
}
