using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IommuVerify.Cli.Commands;
using IommuVerify.Conformance;
using IommuVerify.Explorer;
using IommuVerify.Reference;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Cli;

/// <summary>The explorer stage's commands: <c>check</c> and <c>matrix</c>.</summary>
public static partial class CommandRegistry
{
    static partial void AddExplorerCommands(List<Command> list)
    {
        list.Add(ExplorerCommands.Check());
        list.Add(ExplorerCommands.MatrixCommand());
        list.Add(ExplorerCommands.Merge());
    }
}

/// <summary><c>iommuverify check</c>, <c>iommuverify matrix</c> and <c>iommuverify merge</c>.</summary>
public static class ExplorerCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Builds <c>check &lt;model&gt; [--scope S] ...</c>.</summary>
    public static Command Check()
    {
        var model = new Argument<string>("model") { Description = "a model file (models/*.json)" };
        var common = new CommonOptions();
        var strategy = new Option<string>("--strategy") { Description = "bfs (default, shortest counterexamples), dfs, or random", DefaultValueFactory = _ => "bfs" };
        var bound = new Option<int>("--bound") { Description = "dfs depth bound, or random walk length", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "random walk seed", DefaultValueFactory = _ => 1 };
        var walks = new Option<int>("--walks") { Description = "number of random walks", DefaultValueFactory = _ => 1000 };
        var outDir = new Option<string>("--out") { Description = "folder for counterexample traces", DefaultValueFactory = _ => "counterexamples" };
        var shard = new Option<string>("--shard")
        {
            Description = "explore only shard I of N (\"I/N\", 0 <= I < N; bfs only): the distinct states of BFS level L (--shard-level, default 1: the initial state's successors), "
                + "numbered j = 0, 1, ... in BFS discovery order (deterministic operation order), go to shard j mod N; shard I explores breadth-first everything reachable "
                + "from its own level-L states (without passing through another shard's). Needs --shard-out; combine the N files with iommuverify merge",
        };
        var shardLevel = new Option<int>("--shard-level") { Description = "with --shard: split at this BFS level instead of level 1 (more states to share out; every shard recomputes the levels above it)", DefaultValueFactory = _ => 1 };
        var shardOut = new Option<string>("--shard-out") { Description = "with --shard: the shard result file to write (JSON: identity, limits hit, per-invariant outcomes, distinct fingerprints)" };
        var cmd = new Command("check", "Explore every reachable state of a model's scope and check every invariant in each") { model, strategy, bound, seed, walks, outDir, shard, shardOut, shardLevel };
        common.AddTo(cmd);
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(shard) is { } sh)
            {
                if (pr.GetValue(strategy) != "bfs")
                {
                    throw new InputError("--shard", "shards are explored breadth-first only; drop --strategy or use --strategy bfs");
                }

                var (index, count) = ParseShard(sh);
                string file = pr.GetValue(shardOut) ?? throw new InputError("--shard-out", "--shard needs --shard-out FILE");
                int level = pr.GetValue(shardLevel);
                if (level < 1)
                {
                    throw new InputError("--shard-level", $"{level} is not a level; use 1 or more");
                }

                return RunShard(pr.GetValue(model)!, common.Read(pr, new BreadthFirst()), pr.GetValue(common.Scope)!, pr.GetValue(outDir)!, index, count, level, file, pr.GetValue(common.Json));
            }

            if (pr.GetValue(shardOut) is not null)
            {
                throw new InputError("--shard-out", "--shard-out needs --shard I/N");
            }

            ISearchStrategy s = pr.GetValue(strategy) switch
            {
                "bfs" => new BreadthFirst(),
                "dfs" => new DepthFirst(pr.GetValue(bound)),
                "random" => new RandomWalk(pr.GetValue(seed), pr.GetValue(walks), pr.GetValue(bound)),
                var x => throw new InputError("--strategy", $"unknown strategy \"{x}\"; expected bfs, dfs or random"),
            };
            return RunCheck(pr.GetValue(model)!, common.Read(pr, s), pr.GetValue(common.Scope)!, pr.GetValue(outDir)!, pr.GetValue(common.Json));
        });
        return cmd;
    }

    /// <summary>Builds <c>matrix &lt;models...&gt; [--scope S] [--out DIR]</c>.</summary>
    public static Command MatrixCommand()
    {
        var models = new Argument<string[]>("models") { Arity = ArgumentArity.OneOrMore, Description = "model files (models/*.json)" };
        var common = new CommonOptions();
        var outDir = new Option<string>("--out") { Description = "folder for matrix.md, matrix.json and traces/", DefaultValueFactory = _ => "matrix" };
        var report = new Option<string?>("--report") { Description = "also write a self-contained HTML report (matrix and sequence diagrams) to this file" };
        var junit = new Option<string?>("--junit") { Description = "also write JUnit XML (one test case per model and invariant) to this file" };
        var summary = new Option<string?>("--summary") { Description = "append a Markdown summary for a CI job summary (e.g. $GITHUB_STEP_SUMMARY) to this file" };
        var checker = new Option<string>("--checker") { Description = "explicit (default), or both: also run SMT bounded model checking and require the same verdicts and counterexample lengths", DefaultValueFactory = _ => "explicit" };
        var bmcDepth = new Option<int>("--bmc-depth") { Description = "with --checker both: the BMC depth", DefaultValueFactory = _ => 8 };
        var cmd = new Command("matrix", "Check many models and compare each invariant's outcome with the model's expectation") { models, outDir, report, junit, summary, checker, bmcDepth };
        common.AddTo(cmd);
        cmd.SetAction(pr => RunMatrix(pr.GetValue(models)!, common.Read(pr, new BreadthFirst()), pr.GetValue(common.Scope)!, pr.GetValue(outDir)!, pr.GetValue(common.Json),
            new MatrixExtras(pr.GetValue(report), pr.GetValue(junit), pr.GetValue(summary), pr.GetValue(checker)!, pr.GetValue(bmcDepth))));
        return cmd;
    }

    /// <summary>Builds <c>merge FILE...</c>.</summary>
    public static Command Merge()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "the N shard files written by check --shard I/N --shard-out FILE" };
        var json = new Option<bool>("--json") { Description = "print a machine-readable result on standard output" };
        var cmd = new Command("merge",
            "Combine the N shard files of one sharded check into one verdict: union distinct-state count, per-invariant verdict, shortest counterexample over the shards. "
            + "Refuses files of different models, scopes, options or N, or a missing or duplicate shard (exit 2); any shard stopped by a limit makes the verdict inconclusive (exit 3), never holds")
        { files, json };
        cmd.SetAction(pr => RunMerge(pr.GetValue(files)!, pr.GetValue(json)));
        return cmd;
    }

    private static (int Index, int Count) ParseShard(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && i < n)
        {
            return (i, n);
        }

        throw new InputError("--shard", $"\"{text}\" is not I/N with 0 <= I < N (for example 0/3)");
    }

    private static int RunShard(string modelPath, CheckOptions options, string scope, string outDir, int index, int count, int level, string shardOut, bool json)
    {
        var model = ModelLoader.Load(ModelLocator.Resolve(modelPath));
        var (result, shard, traces) = Shards.RunToFile(model, scope, options, index, count, shardOut, outDir, level);
        var replays = traces.ToDictionary(kv => kv.Key, kv => ReplayFile(kv.Value), StringComparer.Ordinal);
        if (json)
        {
            var root = ToJson(result);
            root["shard"] = index;
            root["shards"] = count;
            root["shard_out"] = shardOut;
            root["split_level"] = shard.Level;
            root["split_level_states"] = shard.LevelStates;
            root["owned_split_level_states"] = shard.Owned;
            foreach (var (id, file) in traces)
            {
                var inv = root["invariants"]![id]!.AsObject();
                inv["trace"] = file;
                inv["conform_replay"] = replays[id].Passed ? "passed" : "failed";
            }

            Console.WriteLine(root.ToJsonString(Indented));
        }
        else
        {
            var st = result.Stats;
            Console.WriteLine($"check {result.Model} scope {result.Scope}: {result.Strategy}; {st.Workers} worker(s); symmetry: {st.Symmetry} (group of {st.SymmetryGroupSize}); constraint: SVA bind count <= {options.MaxBindCount}; successor function: {st.Successor}");
            Console.WriteLine($"split level {shard.Level}: {shard.LevelStates} distinct states, this shard owns {shard.Owned}");
            foreach (var inv in result.Invariants)
            {
                string extra = inv.Counterexample is { } c
                    ? $" ({c.Length} steps; trace {traces[inv.Id]}; replayed by conform: {(replays[inv.Id].Passed ? "passed" : "FAILED: " + string.Join("; ", replays[inv.Id].Failures.Select(f => f.Message)))})"
                    : "";
                Console.WriteLine($"  {inv.Id,-16} {inv.Outcome.ToString().ToLowerInvariant()}{extra}");
            }

            Console.WriteLine();
            Console.WriteLine($"shard {index}/{count} verdict: {result.Verdict.ToString().ToLowerInvariant()}{(result.StopReason is null ? "" : $" (stopped: {result.StopReason})")} (for this shard only; merge the {count} shard files for the model's verdict)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{st.DistinctStates} distinct states, {st.Transitions} transitions, depth {st.Depth}, {st.Elapsed.TotalSeconds:F2} s"));
            Console.WriteLine($"shard file: {shardOut}");
        }

        return result.Verdict switch
        {
            Outcome.Violated => ExitCodes.Violation,
            Outcome.Inconclusive => ExitCodes.Inconclusive,
            _ => ExitCodes.Ok,
        };
    }

    private static int RunMerge(string[] paths, bool json)
    {
        var merged = Shards.Merge([.. paths.Select(ShardFile.Read)]);
        var replays = new Dictionary<string, TraceVerdict>(StringComparer.Ordinal);
        foreach (var inv in merged.Invariants.Where(i => i.Trace is not null))
        {
            if (!File.Exists(inv.Trace))
            {
                throw new InputError(inv.Trace!, $"the counterexample trace of {inv.Id} from shard {inv.Shard}/{merged.Count} is missing (copy the shard's --out folder along with its shard file)");
            }

            replays[inv.Id] = ReplayFile(inv.Trace!);
        }

        if (json)
        {
            var invs = new JsonObject();
            foreach (var i in merged.Invariants)
            {
                invs[i.Id] = new JsonObject
                {
                    ["outcome"] = i.Outcome.ToString().ToLowerInvariant(),
                    ["length"] = i.Length,
                    ["witness"] = i.Witness,
                    ["trace"] = i.Trace,
                    ["shard"] = i.Shard,
                    ["conform_replay"] = replays.TryGetValue(i.Id, out var v) ? (v.Passed ? "passed" : "failed") : null,
                };
            }

            var root = new JsonObject
            {
                ["model"] = merged.Model,
                ["scope"] = merged.Scope,
                ["options"] = merged.Options,
                ["shards"] = merged.Count,
                ["verdict"] = merged.Verdict.ToString().ToLowerInvariant(),
                ["stop_reasons"] = new JsonArray([.. merged.StopReasons.Select(x => (JsonNode?)x)]),
                ["distinct_states"] = merged.DistinctStates,
                ["invariants"] = invs,
            };
            Console.WriteLine(root.ToJsonString(Indented));
        }
        else
        {
            Console.WriteLine($"merge {merged.Model} scope {merged.Scope}: {merged.Count} shard(s); {merged.Options}");
            foreach (var i in merged.Invariants)
            {
                string extra = i.Trace is null ? ""
                    : $" ({i.Length} steps, shard {i.Shard}; trace {i.Trace}; replayed by conform: {(replays[i.Id].Passed ? "passed" : "FAILED: " + string.Join("; ", replays[i.Id].Failures.Select(f => f.Message)))})";
                Console.WriteLine($"  {i.Id,-16} {i.Outcome.ToString().ToLowerInvariant()}{extra}");
            }

            foreach (string s in merged.StopReasons)
            {
                Console.WriteLine($"stopped early: {s}");
            }

            Console.WriteLine();
            Console.WriteLine($"verdict: {merged.Verdict.ToString().ToLowerInvariant()}");
            Console.WriteLine($"{merged.DistinctStates} distinct states (union of the shards' fingerprint sets)");
        }

        return merged.Verdict switch
        {
            Outcome.Violated => ExitCodes.Violation,
            Outcome.Inconclusive => ExitCodes.Inconclusive,
            _ => ExitCodes.Ok,
        };
    }

    private static int RunCheck(string modelPath, CheckOptions options, string scope, string outDir, bool json)
    {
        var model = ModelLocator.Load(modelPath);
        var result = LiveProgress.Run($"check {model.Name} --scope {scope}", options, o => ModelChecker.Check(model, scope, o));
        var files = new Dictionary<string, (string File, TraceVerdict Verdict)>(StringComparer.Ordinal);
        foreach (var inv in result.Invariants)
        {
            if (inv.Counterexample is { } cex)
            {
                string file = TraceWriter.Write(cex, model, scope, outDir);
                files[inv.Id] = (file, ReplayFile(file));
            }
        }

        if (json)
        {
            var root = ToJson(result);
            foreach (var (id, (file, verdict)) in files)
            {
                var inv = root["invariants"]![id]!.AsObject();
                inv["trace"] = file;
                inv["conform_replay"] = verdict.Passed ? "passed" : "failed";
            }

            Console.WriteLine(root.ToJsonString(Indented));
        }
        else
        {
            PrintResult(result, model, files, options);
        }

        return result.Verdict switch
        {
            Outcome.Violated => ExitCodes.Violation,
            Outcome.Inconclusive => ExitCodes.Inconclusive,
            _ => ExitCodes.Ok,
        };
    }

    private sealed record MatrixExtras(string? Report, string? JUnit, string? Summary, string Checker, int BmcDepth);

    private static int RunMatrix(string[] paths, CheckOptions options, string scope, string outDir, bool json, MatrixExtras extras)
    {
        if (extras.Checker is not ("explicit" or "both"))
        {
            throw new InputError("--checker", $"unknown checker \"{extras.Checker}\"; expected explicit or both (for BMC alone use 'iommuverify bmc')");
        }

        var models = paths.Select(ModelLocator.Load).ToList();
        var result = Matrix.Run(models, scope, options, outDir);
        Directory.CreateDirectory(outDir);
        string md = result.ToMarkdown(outDir);
        File.WriteAllText(Path.Combine(outDir, "matrix.md"), md);
        File.WriteAllText(Path.Combine(outDir, "matrix.json"), result.ToJson().ToJsonString(Indented));
        if (json)
        {
            Console.WriteLine(result.ToJson().ToJsonString(Indented));
        }
        else
        {
            Console.Write(md);
            Console.WriteLine($"matrix: wrote {Path.Combine(outDir, "matrix.md")} and {Path.Combine(outDir, "matrix.json")}");
        }

        var rows = MatrixOutputs.Rows(result, models);
        MatrixOutputs.Write(rows, extras.Report, extras.JUnit, extras.Summary, extras.Checker);
        bool agree = true;
        if (extras.Checker == "both")
        {
            var problems = MatrixOutputs.CrossCheck(rows, models, scope, extras.BmcDepth, TimeSpan.FromSeconds(60));
            foreach (string p in problems)
            {
                Console.WriteLine("cross-check: " + p);
            }

            agree = !problems.Any(p => p.Contains("DISAGREE", StringComparison.Ordinal));
            Console.WriteLine(agree
                ? $"cross-check: explicit-state and BMC (depth {extras.BmcDepth}) agree on every compared verdict and counterexample length ({problems.Count} cells not compared)"
                : "cross-check: the checkers disagree");
        }

        return result.AllMet && agree ? ExitCodes.Ok : ExitCodes.Violation;
    }

    private static TraceVerdict ReplayFile(string file)
    {
        var cache = new ModelCache();
        var trace = TraceText.Load(file, cache.Load);
        return new ConformanceRunner(cache).Run(trace, new ReferenceImplementation());
    }

    private static void PrintResult(CheckResult r, ModelFile model, Dictionary<string, (string File, TraceVerdict Verdict)> files, CheckOptions options)
    {
        var st = r.Stats;
        var scope = model.GetScope(r.Scope);
        Console.WriteLine($"check {r.Model} scope {r.Scope}: {r.Strategy}; {st.Workers} worker(s); symmetry: {st.Symmetry} (group of {st.SymmetryGroupSize}); constraint: SVA bind count <= {options.MaxBindCount}; successor function: {st.Successor}");
        foreach (var inv in r.Invariants)
        {
            Console.WriteLine($"  {inv.Id,-16} {inv.Outcome.ToString().ToLowerInvariant()}{(inv.Counterexample is { } c ? $" ({c.Length} steps)" : "")}");
        }

        foreach (var inv in r.Invariants.Where(i => i.Counterexample is not null))
        {
            var cex = inv.Counterexample!;
            var (file, verdict) = files[inv.Id];
            Console.WriteLine();
            Console.WriteLine($"{inv.Id} violated after {cex.Length} steps: {cex.Witness}");
            Console.WriteLine($"  trace: {file} (replayed by conform: {(verdict.Passed ? "passed" : "FAILED: " + string.Join("; ", verdict.Failures.Select(f => f.Message)))})");
            Console.Write(StepTable(cex, scope));
        }

        Console.WriteLine();
        Console.WriteLine($"verdict: {r.Verdict.ToString().ToLowerInvariant()}{(r.StopReason is null ? "" : $" (stopped: {r.StopReason})")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{st.DistinctStates} distinct states, {st.Transitions} transitions, depth {st.Depth}, {st.Elapsed.TotalSeconds:F2} s, {st.TransitionsPerSecond:F0} transitions/s ({st.CpuTime.TotalSeconds:F1} s CPU, {st.TransitionsPerCpuSecond:F0} per CPU-second), seen-set {st.BytesPerState:F1} B/state, peak memory {st.PeakMemoryBytes / (1 << 20)} MiB, {st.Constrained} successors outside the constraint"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fingerprint collision probability (optimistic, n*(m-n)/2^64{(st.SymmetryGroupSize > 1 ? $" x g^2/(2g-1) for the symmetry group of {st.SymmetryGroupSize}" : "")}): {st.CollisionProbability:E1}"));
        Console.WriteLine("coverage per operation: " + string.Join(", ", r.Coverage.PerOperation.Select(kv => $"{kv.Key} {kv.Value}")));
        Console.WriteLine("coverage per errno: " + (r.Coverage.PerErrno.Count == 0 ? "none" : string.Join(", ", r.Coverage.PerErrno.Select(kv => $"{kv.Key} {kv.Value}"))));
        Console.WriteLine($"rules exercised: {r.Coverage.Exercised.Count}; never exercised: {(r.Coverage.NeverExercised.IsEmpty ? "none" : string.Join(" ", r.Coverage.NeverExercised))}");
    }

    /// <summary>A readable table of a counterexample's steps.</summary>
    public static string StepTable(Counterexample cex, Scope scope)
    {
        var rows = cex.Steps.Select((s, i) => (
            N: (i + 1).ToString(CultureInfo.InvariantCulture),
            Op: OpText.Render(s.Op, scope),
            Res: OpText.RenderResults(s.Allowed, s.Op.ReturnsDomain),
            Rules: string.Join(" ", s.Rules),
            Bad: string.Join(" ", s.Violations))).ToList();
        int w1 = Math.Max(9, rows.Max(r => r.Op.Length)), w2 = Math.Max(6, rows.Max(r => r.Res.Length)), w3 = Math.Max(5, rows.Max(r => r.Rules.Length));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"  {"#",3}  {"operation".PadRight(w1)}  {"result".PadRight(w2)}  {"rules".PadRight(w3)}  violates\n");
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {r.N,3}  {r.Op.PadRight(w1)}  {r.Res.PadRight(w2)}  {r.Rules.PadRight(w3)}  {r.Bad}\n");
        }

        return sb.ToString();
    }

    private static JsonObject ToJson(CheckResult r)
    {
        var invs = new JsonObject();
        foreach (var i in r.Invariants)
        {
            invs[i.Id] = new JsonObject
            {
                ["outcome"] = i.Outcome.ToString().ToLowerInvariant(),
                ["length"] = i.Counterexample?.Length,
                ["witness"] = i.Counterexample?.Witness,
            };
        }

        var st = r.Stats;
        return new JsonObject
        {
            ["model"] = r.Model,
            ["scope"] = r.Scope,
            ["strategy"] = r.Strategy,
            ["verdict"] = r.Verdict.ToString().ToLowerInvariant(),
            ["stop_reason"] = r.StopReason,
            ["invariants"] = invs,
            ["stats"] = new JsonObject
            {
                ["distinct_states"] = st.DistinctStates,
                ["transitions"] = st.Transitions,
                ["generated"] = st.Generated,
                ["depth"] = st.Depth,
                ["seconds"] = st.Elapsed.TotalSeconds,
                ["transitions_per_second"] = st.TransitionsPerSecond,
                ["cpu_seconds"] = st.CpuTime.TotalSeconds,
                ["seen_set_bytes_per_state"] = st.BytesPerState,
                ["peak_memory_bytes"] = st.PeakMemoryBytes,
                ["collision_probability"] = st.CollisionProbability,
                ["workers"] = st.Workers,
                ["symmetry"] = st.Symmetry,
                ["symmetry_group_size"] = st.SymmetryGroupSize,
                ["constrained"] = st.Constrained,
                ["successor"] = st.Successor,
            },
            ["coverage"] = new JsonObject
            {
                ["per_operation"] = new JsonObject(r.Coverage.PerOperation.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["per_errno"] = new JsonObject(r.Coverage.PerErrno.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["never_exercised"] = new JsonArray([.. r.Coverage.NeverExercised.Select(x => (JsonNode?)x)]),
            },
        };
    }

    /// <summary>The options check and matrix share.</summary>
    private sealed class CommonOptions
    {
        public readonly Option<string> Scope = new("--scope") { Description = "the scope to explore", DefaultValueFactory = _ => ModelFile.StandardScope };
        public readonly Option<int> Workers = new("--workers") { Description = "worker threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        public readonly Option<bool> NoSymmetry = new("--no-symmetry") { Description = "do not canonicalize states under the scope's symmetries" };
        public readonly Option<long> MaxStates = new("--max-states") { Description = "stop (inconclusive) after this many distinct states; 0 for none" };
        public readonly Option<int> MaxDepth = new("--max-depth") { Description = "stop (inconclusive) after this depth; 0 for none" };
        public readonly Option<double> Time = new("--time") { Description = "stop (inconclusive) after this many seconds; 0 for none" };
        public readonly Option<int> MaxBind = new("--max-bind-count") { Description = "state constraint: do not explore states whose SVA bind count exceeds this", DefaultValueFactory = _ => 2 };
        public readonly Option<bool> Json = new("--json") { Description = "print a machine-readable result on standard output" };
        public readonly Option<string> Successor = new("--successor")
        {
            Description = "compact (default: the allocation-free encoding of the reference model, used by bfs when the scope fits it) or reference (the reference model itself, slower)",
            DefaultValueFactory = _ => "compact",
        };

        public void AddTo(Command cmd)
        {
            foreach (var o in new Option[] { Scope, Workers, NoSymmetry, MaxStates, MaxDepth, Time, MaxBind, Json, Successor })
            {
                cmd.Options.Add(o);
            }
        }

        public CheckOptions Read(ParseResult pr, ISearchStrategy strategy)
        {
            double t = pr.GetValue(Time);
            return new CheckOptions
            {
                Strategy = strategy,
                Workers = Math.Max(1, pr.GetValue(Workers)),
                Symmetry = !pr.GetValue(NoSymmetry),
                Successor = pr.GetValue(Successor) switch
                {
                    "compact" => SuccessorFunction.Compact,
                    "reference" => SuccessorFunction.Reference,
                    var x => throw new InputError("--successor", $"unknown successor function \"{x}\"; expected compact or reference"),
                },
                MaxStates = pr.GetValue(MaxStates),
                MaxDepth = pr.GetValue(MaxDepth),
                MaxBindCount = pr.GetValue(MaxBind),
                TimeLimit = t > 0 ? TimeSpan.FromSeconds(t) : null,
                SpecRules = Inputs.SpecRuleList(),
                OnProgress = p => Console.Error.WriteLine(LiveProgress.Line(p)),
            };
        }
    }
}
