using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Explorer.Tests;

public sealed class ShardTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iommuverify-shards-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static CheckOptions Opts() => new() { Workers = 2 };

    private List<ShardFile> RunShards(string name, int n, CheckOptions options, string tag = "", int level = 1)
    {
        var m = TestModels.Load(name);
        var files = new List<ShardFile>();
        for (int i = 0; i < n; i++)
        {
            string file = Path.Combine(_dir, name + tag, $"shard-{i}.json");
            var (_, shard, traces) = Shards.RunToFile(m, "small", options, i, n, file, Path.Combine(_dir, name + tag, "traces"), level);
            Assert.All(traces.Values, t => Assert.True(File.Exists(t), t));

            // What merge sees is what was written.
            var read = ShardFile.Read(file);
            Assert.Equal(shard.Fingerprints, read.Fingerprints);
            Assert.Equal(shard.Invariants.ToArray(), read.Invariants.ToArray());
            files.Add(read);
        }

        return files;
    }

    [Theory]
    [InlineData("intel-vtd", 1)]
    [InlineData("intel-flush-queue", 1)]
    [InlineData("amd-v2-per-domain-did", 1)]
    [InlineData("sva-rid-unchecked", 1)]
    [InlineData("vpasid-allocated-mixed", 1)]
    [InlineData("intel-vtd", 2)]
    [InlineData("intel-flush-queue-reuse", 3)]
    [InlineData("amd-v2-per-domain-did", 3)]
    public void Three_shards_merged_match_one_unsharded_run(string name, int level)
    {
        var whole = ModelChecker.Check(TestModels.Load(name), "small", Opts());
        Assert.Null(whole.StopReason);
        var shards = RunShards(name, 3, Opts(), "-l" + level, level);

        // Every shard numbers the split level the same way and together they own each of its states once.
        Assert.All(shards, s => Assert.Equal(shards[0].LevelStates, s.LevelStates));
        Assert.Equal(shards[0].LevelStates, shards.Sum(s => s.Owned));
        Assert.All(shards, s => Assert.InRange(s.Fingerprints.Length, 1 + s.LevelStates, whole.Stats.DistinctStates));

        var merged = Shards.Merge([shards[2], shards[0], shards[1]]);
        Assert.Equal(whole.Verdict, merged.Verdict);
        Assert.Empty(merged.StopReasons);
        Assert.Equal(whole.Stats.DistinctStates, merged.DistinctStates);
        foreach (var (a, b) in whole.Invariants.Zip(merged.Invariants))
        {
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.Outcome, b.Outcome);
            Assert.Equal(a.Counterexample?.Length, b.Length);
            if (b.Outcome == Outcome.Violated)
            {
                Assert.True(File.Exists(b.Trace), b.Trace);
                string text = File.ReadAllText(b.Trace!);
                Assert.Contains($"shard{b.Shard}of3", text, StringComparison.Ordinal);
                var parsed = TraceText.Parse(b.Trace!, text, _ => TestModels.Load(name));
                Assert.Equal(b.Id, parsed.Violates);
                Assert.Equal(b.Length, parsed.ViolatesAt);
            }
        }
    }

    [Fact]
    public void Shards_do_not_depend_on_the_worker_count()
    {
        var two = RunShards("intel-flush-queue-reuse", 3, Opts(), "-w2", level: 2);
        var one = RunShards("intel-flush-queue-reuse", 3, Opts() with { Workers = 1 }, "-w1", level: 2);
        foreach (var (a, b) in two.Zip(one))
        {
            Assert.Equal(a.Owned, b.Owned);
            Assert.Equal(a.Fingerprints, b.Fingerprints);
            Assert.Equal(a.Invariants.Select(i => (i.Id, i.Outcome, i.Length)), b.Invariants.Select(i => (i.Id, i.Outcome, i.Length)));
        }

        // Files from runs with different worker counts merge: workers are not part of the option identity.
        var mixed = Shards.Merge([two[0], one[1], two[2]]);
        Assert.Equal(Shards.Merge(two).DistinctStates, mixed.DistinctStates);
    }

    [Fact]
    public void One_shard_is_the_unsharded_search()
    {
        var whole = ModelChecker.Check(TestModels.Load("amd-v2-per-domain-did"), "small", Opts());
        var one = RunShards("amd-v2-per-domain-did", 1, Opts());
        Assert.Equal(whole.Stats.DistinctStates, one[0].Fingerprints.Length);
        Assert.Equal(whole.Stats.Depth, one[0].Depth);
        Assert.Equal(whole.Invariants.Select(i => i.Counterexample?.Length), one[0].Invariants.Select(i => i.Length));
    }

    [Fact]
    public void A_shard_cut_short_makes_the_merge_inconclusive_never_holds()
    {
        var shards = RunShards("intel-vtd", 3, Opts() with { MaxDepth = 3 });
        var merged = Shards.Merge(shards);
        Assert.Equal(Outcome.Inconclusive, merged.Verdict);
        Assert.NotEmpty(merged.StopReasons);
        Assert.All(merged.Invariants, i => Assert.Equal(Outcome.Inconclusive, i.Outcome));
    }

    [Fact]
    public void Merge_rejects_mismatched_missing_and_duplicate_shards()
    {
        var vtd = RunShards("intel-vtd", 3, Opts());
        var amd = RunShards("amd-v2-per-domain-did", 3, Opts());
        var noSym = RunShards("intel-vtd", 3, Opts() with { Symmetry = false }, "-nosym");
        var two = RunShards("intel-vtd", 2, Opts(), "-two");
        var deeper = RunShards("intel-vtd", 3, Opts(), "-level2", level: 2);

        Assert.Contains("different model", Assert.Throws<InputError>(() => Shards.Merge([vtd[0], vtd[1], amd[2]])).Message, StringComparison.Ordinal);
        Assert.Contains("different options", Assert.Throws<InputError>(() => Shards.Merge([vtd[0], vtd[1], noSym[2]])).Message, StringComparison.Ordinal);
        Assert.Contains("different shard count", Assert.Throws<InputError>(() => Shards.Merge([vtd[0], vtd[1], two[1]])).Message, StringComparison.Ordinal);
        Assert.Contains("different split level", Assert.Throws<InputError>(() => Shards.Merge([vtd[0], vtd[1], deeper[2]])).Message, StringComparison.Ordinal);
        Assert.Contains("missing shard(s) 2/3", Assert.Throws<InputError>(() => Shards.Merge([vtd[0], vtd[1]])).Message, StringComparison.Ordinal);
        Assert.Contains("given twice", Assert.Throws<InputError>(() => Shards.Merge([vtd[0], vtd[1], vtd[1]])).Message, StringComparison.Ordinal);
        Assert.Contains("different scope", Assert.Throws<InputError>(() => Shards.Merge([vtd[0], vtd[1], vtd[2] with { Scope = "standard" }])).Message, StringComparison.Ordinal);

        string bogus = Path.Combine(_dir, "bogus.json");
        File.WriteAllText(bogus, "{\"format\": \"something-else\"}");
        Assert.Contains("not a shard file", Assert.Throws<InputError>(() => ShardFile.Read(bogus)).Message, StringComparison.Ordinal);
    }
}
