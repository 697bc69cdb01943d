using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IommuVerify.Vocabulary;

namespace IommuVerify.Explorer.Tests;

/// <summary>The shard file on its own, without a search: its verdict, its JSON form and what reading it refuses, and
/// what merging files says for each way they can disagree (ShardTests runs real shards end to end).</summary>
public sealed class ShardFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iommuverify-shardfile-" + Guid.NewGuid().ToString("N"));

    public ShardFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ShardInvariant Holds(string id) => new(id, Outcome.Holds, null, null, null);

    private static ShardInvariant Violated(string id, int length, string trace) => new(id, Outcome.Violated, length, $"{id} broken", trace);

    private ShardFile Shard(int index, int count = 2, string? stop = null, ShardInvariant[]? invs = null, long[]? fps = null) => new(
        "intel-vtd", "ab12", "small", "strategy=bfs;symmetry=on", index, count, stop,
        [.. invs ?? [Holds("INV-A"), Holds("INV-B")]], fps ?? [1, 2, 3], 1, 4, 2, 7, 40, Path.Combine(_dir, $"shard-{index}.json"));

    private static string ProblemOf(Action a) => Assert.Throws<InputError>(a).Problem;

    [Fact]
    public void A_shards_verdict_is_violated_before_inconclusive_before_holds()
    {
        Assert.Equal(Outcome.Holds, Shard(0).Verdict);
        Assert.Equal(Outcome.Inconclusive, Shard(0, stop: "max-states 10").Verdict);
        var oneBroken = new[] { Holds("INV-A"), Violated("INV-B", 3, "t.trace") };
        Assert.Equal(Outcome.Violated, Shard(0, invs: oneBroken).Verdict);
        Assert.Equal(Outcome.Violated, Shard(0, stop: "max-states 10", invs: oneBroken).Verdict);
    }

    [Fact]
    public void Written_and_read_back_every_field_survives_and_the_json_names_them()
    {
        var s = Shard(1, 3, "max-depth 5", [Holds("INV-A"), Violated("INV-B", 4, "traces/b.trace")], [-5, 0, long.MaxValue, 42]);
        s.Write();
        var json = JsonNode.Parse(File.ReadAllText(s.Path))!.AsObject();
        Assert.Equal(ShardFile.Format, (string?)json["format"]);
        Assert.Equal(ShardFile.Rule, (string?)json["rule"]);
        Assert.Equal("intel-vtd", (string?)json["model"]);
        Assert.Equal("ab12", (string?)json["model_sha256"]);
        Assert.Equal("small", (string?)json["scope"]);
        Assert.Equal("violated", (string?)json["verdict"]);
        Assert.Equal(4, (int?)json["distinct_states"]);
        Assert.Equal("max-depth 5", (string?)json["stop_reason"]);

        var r = ShardFile.Read(s.Path);
        Assert.Equal((s.Model, s.ModelSha256, s.Scope, s.Options, s.Index, s.Count, s.StopReason), (r.Model, r.ModelSha256, r.Scope, r.Options, r.Index, r.Count, r.StopReason));
        Assert.Equal((s.Level, s.LevelStates, s.Owned, s.Depth, s.Transitions), (r.Level, r.LevelStates, r.Owned, r.Depth, r.Transitions));
        Assert.Equal(s.Invariants.ToArray(), r.Invariants.ToArray());
        Assert.Equal(s.Fingerprints, r.Fingerprints);
        Assert.Equal(Outcome.Violated, r.Verdict);
    }

    [Fact]
    public void A_trace_path_is_resolved_against_the_shard_files_folder()
    {
        var s = Shard(0, invs: [Holds("INV-A"), Violated("INV-B", 2, "traces/b.trace")]);
        Assert.Null(s.TracePath(s.Invariants[0]));
        Assert.Equal(Path.Combine(_dir, "traces", "b.trace"), s.TracePath(s.Invariants[1]));
    }

    [Fact]
    public void Reading_refuses_each_kind_of_bad_file_with_its_own_reason()
    {
        string File(string name, string text)
        {
            string p = Path.Combine(_dir, name);
            System.IO.File.WriteAllText(p, text);
            return p;
        }

        Assert.StartsWith("cannot read shard file: ", ProblemOf(() => ShardFile.Read(Path.Combine(_dir, "absent.json"))), StringComparison.Ordinal);
        Assert.StartsWith("cannot read shard file: ", ProblemOf(() => ShardFile.Read(File("broken.json", "{ not json"))), StringComparison.Ordinal);
        Assert.Equal("empty shard file", ProblemOf(() => ShardFile.Read(File("null.json", "null"))));
        Assert.Equal($"not a shard file (format \"x\", expected \"{ShardFile.Format}\")", ProblemOf(() => ShardFile.Read(File("other.json", "{\"format\": \"x\"}"))));

        var good = Shard(0).ToJson();
        var otherRule = good.DeepClone().AsObject();
        otherRule["rule"] = "round-robin";
        Assert.Equal($"split by rule \"round-robin\", this tool merges \"{ShardFile.Rule}\"", ProblemOf(() => ShardFile.Read(File("rule.json", otherRule.ToJsonString()))));

        var ragged = good.DeepClone().AsObject();
        ragged["fingerprints_base64_int64le"] = Convert.ToBase64String(new byte[12]);
        Assert.Equal("the fingerprint data is not a whole number of 64-bit values", ProblemOf(() => ShardFile.Read(File("ragged.json", ragged.ToJsonString()))));

        foreach (string key in new[] { "model", "model_sha256", "scope", "options" })
        {
            var missing = good.DeepClone().AsObject();
            missing.Remove(key);
            Assert.Equal($"malformed shard file: \"{key}\" is missing", ProblemOf(() => ShardFile.Read(File($"no-{key}.json", missing.ToJsonString()))));
        }

        var noShard = good.DeepClone().AsObject();
        noShard.Remove("shard");
        Assert.StartsWith("malformed shard file: ", ProblemOf(() => ShardFile.Read(File("noshard.json", noShard.ToJsonString()))), StringComparison.Ordinal);
        var badOutcome = good.DeepClone().AsObject();
        badOutcome["invariants"]!["INV-A"]!["outcome"] = "maybe";
        Assert.StartsWith("malformed shard file: ", ProblemOf(() => ShardFile.Read(File("outcome.json", badOutcome.ToJsonString()))), StringComparison.Ordinal);
        var badBase64 = good.DeepClone().AsObject();
        badBase64["fingerprints_base64_int64le"] = "***";
        Assert.StartsWith("malformed shard file: ", ProblemOf(() => ShardFile.Read(File("base64.json", badBase64.ToJsonString()))), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_names_exactly_what_differs()
    {
        var a = Shard(0);
        var b = Shard(1);
        Assert.Equal(Outcome.Holds, Shards.Merge([a, b]).Verdict);
        string Refusal(ShardFile other) => Assert.Throws<InputError>(() => Shards.Merge([a, other])).Problem;

        Assert.Equal($"merge: {b.Path} has a different model than {a.Path}: \"amd\" vs \"intel-vtd\"", Refusal(b with { Model = "amd" }));
        string otherHash = Refusal(b with { ModelSha256 = "cd34" });
        Assert.StartsWith("merge: ", otherHash, StringComparison.Ordinal);
        Assert.Contains("has a different model file (SHA-256) than", otherHash, StringComparison.Ordinal);
        Assert.Contains("has a different scope than", Refusal(b with { Scope = "standard" }), StringComparison.Ordinal);
        Assert.Contains("has a different options than", Refusal(b with { Options = "strategy=bfs;symmetry=off" }), StringComparison.Ordinal);
        Assert.Contains("has a different split level than", Refusal(b with { Level = 2 }), StringComparison.Ordinal);
        Assert.Contains("has a different shard count N than", Refusal(b with { Count = 3 }), StringComparison.Ordinal);
        Assert.Equal(
            $"merge: {b.Path} has a different invariants than {a.Path}: \"INV-A,INV-C\" vs \"INV-A,INV-B\"",
            Refusal(b with { Invariants = [Holds("INV-A"), Holds("INV-C")] }));

        Assert.Equal("shard index 2 is outside 0..1", Assert.Throws<InputError>(() => Shards.Merge([a, b with { Index = 2 }])).Problem);
        Assert.Equal("shard index -1 is outside 0..1", Assert.Throws<InputError>(() => Shards.Merge([a, b with { Index = -1 }])).Problem);
        Assert.Equal("merge: no shard files given", Assert.Throws<InputError>(() => Shards.Merge([])).Problem);
    }

    [Fact]
    public void Merge_takes_the_shortest_counterexample_and_the_lowest_shard_on_a_tie()
    {
        var s0 = Shard(0, 3, invs: [Violated("INV-A", 5, "a0.trace"), Violated("INV-B", 4, "b0.trace")], fps: [1, 2]);
        var s1 = Shard(1, 3, invs: [Violated("INV-A", 3, "a1.trace"), Violated("INV-B", 4, "b1.trace")], fps: [2, 3]);
        var s2 = Shard(2, 3, invs: [Violated("INV-A", 3, "a2.trace"), Violated("INV-B", 4, "b2.trace")], fps: [3, 4, 5]);
        var m = Shards.Merge([s2, s0, s1]);
        Assert.Equal(Outcome.Violated, m.Verdict);
        Assert.Equal(5, m.DistinctStates);
        Assert.Equal((3, 1, Path.Combine(_dir, "a1.trace")), (m.Invariants[0].Length!.Value, m.Invariants[0].Shard!.Value, m.Invariants[0].Trace!));
        Assert.Equal((4, 0, "INV-B broken"), (m.Invariants[1].Length!.Value, m.Invariants[1].Shard!.Value, m.Invariants[1].Witness!));
    }

    [Fact]
    public void Merge_holds_only_when_every_shard_finished_and_holds()
    {
        var both = Shards.Merge([Shard(0), Shard(1)]);
        Assert.Equal(Outcome.Holds, both.Verdict);
        Assert.Empty(both.StopReasons);
        Assert.All(both.Invariants, i => Assert.Equal(Outcome.Holds, i.Outcome));

        var cut = Shards.Merge([Shard(0, stop: "max-states 10"), Shard(1, stop: "time limit 1 s")]);
        Assert.Equal(Outcome.Inconclusive, cut.Verdict);
        Assert.Equal(["shard 0/2: max-states 10", "shard 1/2: time limit 1 s"], cut.StopReasons.ToArray());
        Assert.All(cut.Invariants, i => Assert.Equal(Outcome.Inconclusive, i.Outcome));

        // One shard inconclusive on one invariant (a non-exhaustive part) without a stop: that invariant, and so the
        // verdict, is inconclusive; the other invariant still holds.
        var partial = Shards.Merge([Shard(0), Shard(1, invs: [Holds("INV-A"), new ShardInvariant("INV-B", Outcome.Inconclusive, null, null, null)])]);
        Assert.Equal(Outcome.Inconclusive, partial.Verdict);
        Assert.Equal([Outcome.Holds, Outcome.Inconclusive], partial.Invariants.Select(i => i.Outcome).ToArray());

        // A violation anywhere wins over a stop elsewhere.
        var mixed = Shards.Merge([Shard(0, stop: "max-states 10"), Shard(1, invs: [Holds("INV-A"), Violated("INV-B", 2, "b.trace")])]);
        Assert.Equal(Outcome.Violated, mixed.Verdict);
        Assert.Equal([Outcome.Inconclusive, Outcome.Violated], mixed.Invariants.Select(i => i.Outcome).ToArray());
    }

    [Fact]
    public void The_options_identity_spells_every_option_that_changes_the_search()
    {
        var on = Shards.OptionsIdentity(new CheckOptions { Symmetry = true, MaxBindCount = 2, MaxStates = 100, MaxDepth = 7, TimeLimit = TimeSpan.FromSeconds(30) });
        Assert.Equal("strategy=bfs;symmetry=on;max_bind_count=2;max_states=100;max_depth=7;time_limit_s=30", on);
        var off = Shards.OptionsIdentity(new CheckOptions { Symmetry = false, MaxBindCount = 2, MaxStates = 100, MaxDepth = 7 });
        Assert.Equal("strategy=bfs;symmetry=off;max_bind_count=2;max_states=100;max_depth=7;time_limit_s=0", off);
        Assert.Equal(off, Shards.OptionsIdentity(new CheckOptions { Symmetry = false, MaxBindCount = 2, MaxStates = 100, MaxDepth = 7, Workers = 3 }));
    }
}
