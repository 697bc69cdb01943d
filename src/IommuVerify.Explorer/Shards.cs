using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Explorer;

/// <summary>One invariant's outcome in one shard.</summary>
/// <param name="Id">The invariant ID.</param>
/// <param name="Outcome">Holds, violated or inconclusive, for this shard's part of the state space.</param>
/// <param name="Length">The shard's shortest counterexample length, when violated.</param>
/// <param name="Witness">The invariant checker's witness, when violated.</param>
/// <param name="Trace">The counterexample trace file as written in the shard file (relative to it), when violated.</param>
public sealed record ShardInvariant(string Id, Outcome Outcome, int? Length, string? Witness, string? Trace);

/// <summary>The result file of one shard: identity, limits hit, per-invariant outcomes and the shard's distinct fingerprints.</summary>
/// <param name="Model">The model name.</param>
/// <param name="ModelSha256">SHA-256 of the model file's bytes.</param>
/// <param name="Scope">The scope name.</param>
/// <param name="Options">The options that change what is explored, as one canonical string.</param>
/// <param name="Index">This shard's index.</param>
/// <param name="Count">The number of shards.</param>
/// <param name="StopReason">The limit the shard hit, or null when it finished its part.</param>
/// <param name="Invariants">Per-invariant outcomes, in spec order.</param>
/// <param name="Fingerprints">The shard's distinct state fingerprints, ascending.</param>
/// <param name="Level">The split level L.</param>
/// <param name="LevelStates">How many distinct level-L states there are (the same in every shard that got that far).</param>
/// <param name="Owned">How many of them this shard owns.</param>
/// <param name="Depth">The deepest level the shard reached.</param>
/// <param name="Transitions">Transitions the shard applied.</param>
/// <param name="Path">The file this was read from or written to (not serialized).</param>
public sealed record ShardFile(
    string Model,
    string ModelSha256,
    string Scope,
    string Options,
    int Index,
    int Count,
    string? StopReason,
    ImmutableArray<ShardInvariant> Invariants,
    long[] Fingerprints,
    int Level,
    int LevelStates,
    int Owned,
    int Depth,
    long Transitions,
    string Path)
{
    /// <summary>The format tag written into every shard file.</summary>
    public const string Format = "iommuverify-shard/1";

    /// <summary>The split rule's name, written into every shard file so merge can refuse files split another way.</summary>
    public const string Rule = "level-l-discovery-order-mod-n";

    /// <summary>The shard's own verdict: violated if any invariant is; else inconclusive if it stopped early; else holds.</summary>
    public Outcome Verdict => Invariants.Any(i => i.Outcome == Outcome.Violated) ? Outcome.Violated
        : StopReason is null ? Outcome.Holds : Outcome.Inconclusive;

    /// <summary>The absolute path of an invariant's trace file (resolved against this file's folder).</summary>
    public string? TracePath(ShardInvariant inv) =>
        inv.Trace is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? ".", inv.Trace));

    /// <summary>The shard file as JSON.</summary>
    public JsonObject ToJson()
    {
        var invs = new JsonObject();
        foreach (var i in Invariants)
        {
            invs[i.Id] = new JsonObject
            {
                ["outcome"] = i.Outcome.ToString().ToLowerInvariant(),
                ["length"] = i.Length,
                ["witness"] = i.Witness,
                ["trace"] = i.Trace,
            };
        }

        var bytes = new byte[Fingerprints.Length * sizeof(long)];
        for (int k = 0; k < Fingerprints.Length; k++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(k * sizeof(long)), Fingerprints[k]);
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["rule"] = Rule,
            ["model"] = Model,
            ["model_sha256"] = ModelSha256,
            ["scope"] = Scope,
            ["options"] = Options,
            ["shard"] = Index,
            ["shards"] = Count,
            ["stop_reason"] = StopReason,
            ["verdict"] = Verdict.ToString().ToLowerInvariant(),
            ["split_level"] = Level,
            ["split_level_states"] = LevelStates,
            ["owned_split_level_states"] = Owned,
            ["depth"] = Depth,
            ["transitions"] = Transitions,
            ["distinct_states"] = Fingerprints.Length,
            ["invariants"] = invs,
            ["fingerprints_base64_int64le"] = Convert.ToBase64String(bytes),
        };
    }

    /// <summary>Writes the shard file to <see cref="Path"/>.</summary>
    public void Write()
    {
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(Path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads a shard file.</summary>
    /// <exception cref="InputError">When the file is missing, not JSON, or not a shard file of this format.</exception>
    public static ShardFile Read(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InputError(path, "empty shard file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            throw new InputError(path, "cannot read shard file: " + e.Message);
        }

        try
        {
            if ((string?)root["format"] != Format)
            {
                throw new InputError(path, $"not a shard file (format \"{(string?)root["format"]}\", expected \"{Format}\")");
            }

            if ((string?)root["rule"] != Rule)
            {
                throw new InputError(path, $"split by rule \"{(string?)root["rule"]}\", this tool merges \"{Rule}\"");
            }

            var invs = ImmutableArray.CreateBuilder<ShardInvariant>();
            foreach (var (id, node) in root["invariants"]!.AsObject())
            {
                var o = node!.AsObject();
                var outcome = Enum.Parse<Outcome>((string)o["outcome"]!, ignoreCase: true);
                invs.Add(new ShardInvariant(id, outcome, (int?)o["length"], (string?)o["witness"], (string?)o["trace"]));
            }

            byte[] bytes = Convert.FromBase64String((string)root["fingerprints_base64_int64le"]!);
            if (bytes.Length % sizeof(long) != 0)
            {
                throw new InputError(path, "the fingerprint data is not a whole number of 64-bit values");
            }

            var fps = new long[bytes.Length / sizeof(long)];
            for (int k = 0; k < fps.Length; k++)
            {
                fps[k] = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(k * sizeof(long)));
            }

            // A missing text field reads as null rather than failing, so it is checked by name.
            string Text(string key) => (string?)root[key] ?? throw new InputError(path, $"malformed shard file: \"{key}\" is missing");
            return new ShardFile(Text("model"), Text("model_sha256"), Text("scope"), Text("options"),
                (int)root["shard"]!, (int)root["shards"]!, (string?)root["stop_reason"], invs.ToImmutable(), fps,
                (int)root["split_level"]!, (int)root["split_level_states"]!, (int)root["owned_split_level_states"]!, (int)root["depth"]!, (long)root["transitions"]!, path);
        }
        catch (Exception e) when (e is not InputError and (FormatException or InvalidOperationException or ArgumentException or NullReferenceException))
        {
            throw new InputError(path, "malformed shard file: " + e.Message);
        }
    }
}

/// <summary>One invariant's merged outcome.</summary>
/// <param name="Id">The invariant ID.</param>
/// <param name="Outcome">Violated if any shard violates it; else inconclusive if any shard stopped early; else holds.</param>
/// <param name="Length">The shortest counterexample length over the shards, when violated.</param>
/// <param name="Witness">That counterexample's witness.</param>
/// <param name="Trace">That counterexample's trace file (absolute).</param>
/// <param name="Shard">The shard that found it (the lowest index on a tie).</param>
public sealed record MergedInvariant(string Id, Outcome Outcome, int? Length, string? Witness, string? Trace, int? Shard);

/// <summary>The verdict of N merged shard files.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Scope">The scope.</param>
/// <param name="Options">The option set.</param>
/// <param name="Count">N.</param>
/// <param name="Verdict">Violated if any invariant is; else inconclusive if any shard stopped early; else holds.</param>
/// <param name="StopReasons">Each shard that stopped early, with its reason.</param>
/// <param name="DistinctStates">The size of the union of the shards' fingerprint sets.</param>
/// <param name="Invariants">Per-invariant outcomes, in the shard files' order.</param>
public sealed record MergeResult(string Model, string Scope, string Options, int Count, Outcome Verdict,
    ImmutableArray<string> StopReasons, long DistinctStates, ImmutableArray<MergedInvariant> Invariants);

/// <summary>Running one shard and merging N shard files. The split rule:</summary>
/// <remarks>
/// <para>The initial state is level 0; level d+1 is the distinct states first reached from level d (self-loops and
/// states outside the state constraint excluded). The split level L is 1 unless chosen otherwise. The distinct states
/// of level L are numbered j = 0, 1, ... in the order the unsharded BFS discovers them (predecessor's number first,
/// then the deterministic operation order of <see cref="OpSpace"/>); level-L state j belongs to shard j mod N. Every
/// shard computes levels 0 to L identically and puts all their states into its seen-set; shard I then explores
/// breadth-first, with the same options, everything reachable from its own level-L states without passing through
/// another shard's.</para>
/// <para>Complete: a reachable state s at distance at least L has a shortest path from the initial state; its L-th
/// state u is at level L and every later state of the path is at distance greater than L, so the rest of the path
/// meets no other level-L state and no state of levels 0 to L, and s is in u's shard (states at distance below L
/// are in every shard). Shortest: u's shard reaches s within the path's length, and every path a shard reports is a
/// real path from the initial state, so the least counterexample length over the shards equals the unsharded
/// BFS's.</para>
/// </remarks>
public static class Shards
{
    /// <summary>Explores shard <paramref name="index"/> of <paramref name="count"/>, split at level <paramref name="level"/>; returns the check result and the search (for its seen-set).</summary>
    public static (CheckResult Result, Search Search, ShardedBreadthFirst Strategy) Run(ModelFile model, string scope, CheckOptions options, int index, int count, int level = 1)
    {
        var strategy = new ShardedBreadthFirst(index, count, level);
        var search = new Search(model, scope, options with { Strategy = strategy });
        return (search.Run(), search, strategy);
    }

    /// <summary>The options that change what a search explores, as one canonical string (workers and progress excluded).</summary>
    public static string OptionsIdentity(CheckOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"strategy=bfs;symmetry={(o.Symmetry ? "on" : "off")};max_bind_count={o.MaxBindCount};max_states={o.MaxStates};max_depth={o.MaxDepth};time_limit_s={(o.TimeLimit is { } t ? t.TotalSeconds : 0)}");

    /// <summary>SHA-256 of a model file's bytes, in lower-case hex.</summary>
    public static string ModelHash(ModelFile model) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model.Path)));

    /// <summary>Runs shard <paramref name="index"/>/<paramref name="count"/> split at level <paramref name="level"/>, writes each counterexample trace into
    /// <paramref name="traceDir"/> (named with the shard) and the shard file to <paramref name="shardOut"/>.</summary>
    /// <returns>The check result, the shard file, and the absolute trace file per violated invariant.</returns>
    public static (CheckResult Result, ShardFile File, IReadOnlyDictionary<string, string> Traces) RunToFile(
        ModelFile model, string scope, CheckOptions options, int index, int count, string shardOut, string traceDir, int level = 1)
    {
        var (result, search, strategy) = Run(model, scope, options, index, count, level);
        string shardDir = Path.GetDirectoryName(Path.GetFullPath(shardOut)) ?? ".";
        var traces = new Dictionary<string, string>(StringComparer.Ordinal);
        var invs = ImmutableArray.CreateBuilder<ShardInvariant>();
        foreach (var inv in result.Invariants)
        {
            string? rel = null;
            if (inv.Counterexample is { } cex)
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"{cex.Trace.Name}-shard{index}of{count}");
                string file = TraceWriter.Write(cex with { Trace = cex.Trace with { Name = name } }, model, scope, traceDir);
                traces[inv.Id] = Path.GetFullPath(file);
                rel = Path.GetRelativePath(shardDir, Path.GetFullPath(file)).Replace('\\', '/');
            }

            invs.Add(new ShardInvariant(inv.Id, inv.Outcome, inv.Counterexample?.Length, inv.Counterexample?.Witness, rel));
        }

        var shard = new ShardFile(model.Name, ModelHash(model), result.Scope, OptionsIdentity(search.Options), index, count,
            result.StopReason, invs.ToImmutable(), search.Seen.ToSortedArray(), level, strategy.LevelCounts.Total, strategy.LevelCounts.Owned,
            result.Stats.Depth, result.Stats.Transitions, shardOut);
        shard.Write();
        return (result, shard, traces);
    }

    /// <summary>Merges N shard files into one verdict.</summary>
    /// <exception cref="InputError">When the files are not exactly shards 0..N-1 of one model, scope, option set and N.</exception>
    public static MergeResult Merge(IReadOnlyList<ShardFile> files)
    {
        if (files.Count == 0)
        {
            throw new InputError("merge: no shard files given");
        }

        var a = files[0];
        foreach (var f in files.Skip(1))
        {
            Same(a, f, "model", a.Model, f.Model);
            Same(a, f, "model file (SHA-256)", a.ModelSha256, f.ModelSha256);
            Same(a, f, "scope", a.Scope, f.Scope);
            Same(a, f, "options", a.Options, f.Options);
            Same(a, f, "split level", a.Level.ToString(CultureInfo.InvariantCulture), f.Level.ToString(CultureInfo.InvariantCulture));
            Same(a, f, "shard count N", a.Count.ToString(CultureInfo.InvariantCulture), f.Count.ToString(CultureInfo.InvariantCulture));
            Same(a, f, "invariants", string.Join(",", a.Invariants.Select(i => i.Id)), string.Join(",", f.Invariants.Select(i => i.Id)));
        }

        var byIndex = new ShardFile?[a.Count];
        foreach (var f in files)
        {
            if (f.Index < 0 || f.Index >= a.Count)
            {
                throw new InputError(f.Path, $"shard index {f.Index} is outside 0..{a.Count - 1}");
            }

            if (byIndex[f.Index] is { } dup)
            {
                throw new InputError($"merge: shard {f.Index}/{a.Count} given twice: {dup.Path} and {f.Path}");
            }

            byIndex[f.Index] = f;
        }

        var missing = Enumerable.Range(0, a.Count).Where(i => byIndex[i] is null).ToList();
        if (missing.Count > 0)
        {
            throw new InputError($"merge: missing shard(s) {string.Join(", ", missing.Select(i => $"{i}/{a.Count}"))} (got {files.Count} of {a.Count})");
        }

        var ordered = byIndex.Select(f => f!).ToList();
        var union = new HashSet<long>(ordered.Max(f => f.Fingerprints.Length));
        foreach (var f in ordered)
        {
            union.UnionWith(f.Fingerprints);
        }

        var stops = ordered.Where(f => f.StopReason is not null).Select(f => $"shard {f.Index}/{f.Count}: {f.StopReason}").ToImmutableArray();
        var invs = ImmutableArray.CreateBuilder<MergedInvariant>();
        for (int k = 0; k < a.Invariants.Length; k++)
        {
            string id = a.Invariants[k].Id;
            var best = ordered.Select(f => (File: f, Inv: f.Invariants[k]))
                .Where(x => x.Inv.Outcome == Outcome.Violated)
                .OrderBy(x => x.Inv.Length ?? int.MaxValue).ThenBy(x => x.File.Index)
                .FirstOrDefault();
            if (best.File is not null)
            {
                invs.Add(new MergedInvariant(id, Outcome.Violated, best.Inv.Length, best.Inv.Witness, best.File.TracePath(best.Inv), best.File.Index));
            }
            else
            {
                bool holds = stops.IsEmpty && ordered.All(f => f.Invariants[k].Outcome == Outcome.Holds);
                invs.Add(new MergedInvariant(id, holds ? Outcome.Holds : Outcome.Inconclusive, null, null, null, null));
            }
        }

        var built = invs.ToImmutable();
        var verdict = built.Any(i => i.Outcome == Outcome.Violated) ? Outcome.Violated
            : built.All(i => i.Outcome == Outcome.Holds) ? Outcome.Holds : Outcome.Inconclusive;
        return new MergeResult(a.Model, a.Scope, a.Options, a.Count, verdict, stops, union.Count, built);
    }

    private static void Same(ShardFile a, ShardFile b, string what, string x, string y)
    {
        if (!string.Equals(x, y, StringComparison.Ordinal))
        {
            throw new InputError($"merge: {b.Path} has a different {what} than {a.Path}: \"{y}\" vs \"{x}\"");
        }
    }
}
