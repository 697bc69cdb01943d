using System.Globalization;
using System.Text;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Explorer.Tests;

/// <summary>Everything a check reports that does not depend on the clock or the machine (verdicts, stop reasons,
/// strategy and successor descriptions, symmetry, every count, coverage, counterexample witnesses and traces), for one
/// search per strategy, limit and option, pinned in <c>golden/*.txt</c>. A change to any of it is a change users see in
/// the output and the trace files, so it has to be made on purpose: rerun with IOMMUVERIFY_REFRESH_GOLDEN=1 and review
/// the diff.</summary>
public sealed class GoldenResultTests
{
    private static string GoldenDir => Path.Combine(Path.GetDirectoryName(TestModels.Dir)!, "tests", "IommuVerify.Explorer.Tests", "golden");

    private static CheckOptions Opts => new() { Workers = 2, ToolVersion = "golden" };

    public static TheoryData<string> Cases => [.. Searches.Keys.Order(StringComparer.Ordinal)];

    private static readonly Dictionary<string, Func<CheckResult>> Searches = new()
    {
        ["bfs-holds-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts),
        ["bfs-violated-amd-v2-per-domain-did"] = () => ModelChecker.Check(TestModels.Load("amd-v2-per-domain-did"), "small", Opts),
        ["bfs-violated-vpasid-allocated-mixed"] = () => ModelChecker.Check(TestModels.Load("vpasid-allocated-mixed"), "small", Opts),
        ["bfs-max-states-intel-flush-queue"] = () => ModelChecker.Check(TestModels.Load("intel-flush-queue"), "small", Opts with { MaxStates = 100 }),
        ["bfs-max-depth-intel-flush-queue"] = () => ModelChecker.Check(TestModels.Load("intel-flush-queue"), "small", Opts with { MaxDepth = 3 }),
        ["bfs-reference-sva-rid-unchecked"] = () => ModelChecker.Check(TestModels.Load("sva-rid-unchecked"), "small", Opts with { Successor = SuccessorFunction.Reference, Workers = 1 }),
        ["bfs-bind-bound-1-arm-smmuv3"] = () => ModelChecker.Check(TestModels.Load("arm-smmuv3"), "small", Opts with { MaxBindCount = 1 }),
        ["bfs-symmetry-intel-vtd-2-physical-pages"] = () => ModelChecker.Check(
            TestModels.WithSmall(TestModels.Load("intel-vtd"), s => s with { PhysPages = 2 }), "small", Opts),
        ["bfs-no-symmetry-intel-vtd-2-physical-pages"] = () => ModelChecker.Check(
            TestModels.WithSmall(TestModels.Load("intel-vtd"), s => s with { PhysPages = 2 }), "small", Opts with { Symmetry = false }),
        ["bfs-spec-rules-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts with
        {
            SpecRules = new HashSet<string> { "DOM-ALLOC-1", "DOM-ALLOC-8", "XLATE-1", "NOT-A-RULE", "INV-TLB-COH" },
        }),
        ["dfs-bound-6-sva-rid-unchecked"] = () => ModelChecker.Check(TestModels.Load("sva-rid-unchecked"), "small", Opts with { Strategy = new DepthFirst(6) }),
        ["dfs-bound-3-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts with { Strategy = new DepthFirst(3) }),
        ["random-amd-v2-per-domain-did"] = () => ModelChecker.Check(TestModels.Load("amd-v2-per-domain-did"), "small", Opts with { Strategy = new RandomWalk(7, 40, 12) }),
        ["dfs-max-states-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts with { Strategy = new DepthFirst(10), MaxStates = 50 }),
        ["dfs-max-depth-below-bound-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts with { Strategy = new DepthFirst(6), MaxDepth = 2 }),
        ["dfs-time-limit-zero-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts with { Strategy = new DepthFirst(6), TimeLimit = TimeSpan.Zero }),
        ["random-max-states-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts with { Strategy = new RandomWalk(3, 1000, 20), MaxStates = 25 }),
        ["bfs-reference-max-states-intel-flush-queue"] = () => ModelChecker.Check(TestModels.Load("intel-flush-queue"), "small",
            Opts with { Successor = SuccessorFunction.Reference, MaxStates = 100 }),
        ["bfs-reference-max-depth-intel-flush-queue"] = () => ModelChecker.Check(TestModels.Load("intel-flush-queue"), "small",
            Opts with { Successor = SuccessorFunction.Reference, MaxDepth = 3 }),
        ["bfs-time-limit-zero-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small", Opts with { TimeLimit = TimeSpan.Zero }),
        ["bfs-reference-time-limit-zero-intel-vtd"] = () => ModelChecker.Check(TestModels.Load("intel-vtd"), "small",
            Opts with { Successor = SuccessorFunction.Reference, TimeLimit = TimeSpan.Zero }),
        ["shard-0-of-2-reference-amd-v2-per-domain-did"] = () => ModelChecker.Check(TestModels.Load("amd-v2-per-domain-did"), "small",
            Opts with { Strategy = new ShardedBreadthFirst(0, 2, 1), Successor = SuccessorFunction.Reference }),
        ["shard-1-of-3-intel-flush-queue-reuse"] = () => ModelChecker.Check(TestModels.Load("intel-flush-queue-reuse"), "small", Opts with { Strategy = new ShardedBreadthFirst(1, 3, 2) }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_results_match_their_golden_files(string name)
    {
        var result = Searches[name]();
        // The test's 2-physical-page scopes differ from the file's only in counts, so the file's scope names everything right.
        string text = Render(result, TestModels.Load(result.Model).GetScope(result.Scope));
        string file = Path.Combine(GoldenDir, name + ".txt");
        if (Environment.GetEnvironmentVariable("IOMMUVERIFY_REFRESH_GOLDEN") == "1")
        {
            Directory.CreateDirectory(GoldenDir);
            File.WriteAllText(file, text);
        }

        Assert.True(File.Exists(file), $"{file} is missing; create it with IOMMUVERIFY_REFRESH_GOLDEN=1 and review it");
        string want = File.ReadAllText(file);
        if (want != text)
        {
            var a = want.Split('\n');
            var b = text.Split('\n');
            int i = 0;
            while (i < a.Length && i < b.Length && a[i] == b[i])
            {
                i++;
            }

            Assert.Fail($"{name}: line {i + 1} differs from the golden file\n  golden: {(i < a.Length ? a[i] : "<end>")}\n  now:    {(i < b.Length ? b[i] : "<end>")}\n(if the change is intended, rerun with IOMMUVERIFY_REFRESH_GOLDEN=1)");
        }
    }

    /// <summary>Every field that is the same on every machine, one per line.</summary>
    private static string Render(CheckResult r, Scope scope)
    {
        var sb = new StringBuilder();
        void Line(string key, object? value) => sb.Append(key).Append(": ").Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        Line("model", r.Model);
        Line("scope", r.Scope);
        Line("strategy", r.Strategy);
        Line("verdict", r.Verdict);
        Line("stop", r.StopReason ?? "-");
        var s = r.Stats;
        Line("states", s.DistinctStates);
        Line("transitions", s.Transitions);
        Line("generated", s.Generated);
        Line("depth", s.Depth);
        Line("constrained", s.Constrained);
        Line("workers", s.Workers);
        Line("symmetry group", s.SymmetryGroupSize);
        Line("symmetry", s.Symmetry);
        Line("successor", s.Successor);
        Line("seen-set bytes", s.SeenSetBytes);
        Line("bytes per state", s.BytesPerState.ToString("F3", CultureInfo.InvariantCulture));
        Line("collision estimate", s.CollisionProbability.ToString("E3", CultureInfo.InvariantCulture));
        foreach (var (op, n) in r.Coverage.PerOperation)
        {
            Line("op " + op, n);
        }

        foreach (var (errno, n) in r.Coverage.PerErrno)
        {
            Line("errno " + errno, n);
        }

        Line("rules exercised", string.Join(' ', r.Coverage.Exercised));
        Line("rules never exercised", string.Join(' ', r.Coverage.NeverExercised));
        foreach (var inv in r.Invariants)
        {
            Line("invariant " + inv.Id, inv.Outcome);
            if (inv.Counterexample is { } c)
            {
                Line("  witness", c.Witness);
                Line("  length", c.Length);
                foreach (var step in c.Steps)
                {
                    Line("  step", $"{OpText.Render(step.Op, scope)} -> {string.Join(" | ", step.Allowed.Select(a => a.Render(false)))} [{string.Join(' ', step.Rules)}] violates [{string.Join(' ', step.Violations)}]");
                }

                sb.Append(TraceText.Render(c.Trace, scope).Replace("\r", string.Empty, StringComparison.Ordinal));
            }
        }

        // Model paths are absolute: keep them independent of where the repository is.
        return sb.ToString().Replace(TestModels.Dir, "models", StringComparison.Ordinal);
    }
}
