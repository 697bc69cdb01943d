using System.Collections.Immutable;
using System.Text.RegularExpressions;
using IommuVerify.Reference;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;
using Xunit;

namespace IommuVerify.Conformance.Tests;

/// <summary>Every trace under tests/conformance conforms on the reference model, and together they cover the spec.</summary>
public sealed partial class ConformanceSuiteTests
{
    public static TheoryData<string> Traces()
    {
        var data = new TheoryData<string>();
        foreach (string f in Repo.TraceFiles())
        {
            data.Add(Path.GetRelativePath(Repo.Conformance, f));
        }

        return data;
    }

    private static ImmutableSortedSet<string> SpecRuleIds() => SpecRules.Load(Repo.PathOf("spec", "rules.txt"));

    [GeneratedRegex("\"([A-Z]+(?:-[A-Z]+)*-[0-9]+)\"")]
    private static partial Regex RuleLiteral();

    /// <summary>The rule IDs the reference model's code returns: string literals shaped like PASID-ATTACH-9.</summary>
    private static ImmutableSortedSet<string> CodeRuleIds() =>
        Directory.EnumerateFiles(Repo.PathOf("src", "IommuVerify.Reference"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => RuleLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToImmutableSortedSet(StringComparer.Ordinal);

    [Fact]
    public void TheSuiteHasEnoughTraces()
    {
        var files = Repo.TraceFiles();
        Assert.True(files.Count >= 65, $"only {files.Count} traces");
        Assert.Contains(files, f => f.EndsWith(".itf.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains($"{Path.DirectorySeparatorChar}selftests{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void TraceConformsOnTheReference(string relative)
    {
        var models = new ModelCache();
        var trace = TraceJson.LoadAny(Path.Combine(Repo.Conformance, relative), models.Load);
        using var impl = new ReferenceImplementation();
        var verdict = new ConformanceRunner(models, SpecRuleIds()).Run(trace, impl);
        Assert.True(verdict.Passed, string.Join("\n", verdict.Failures.Select(f => $"line {f.Line} step {f.Step}: {f.Kind}: {f.Message}")));

        // Hand-written traces say which rules they are for; a saved regression is a property's shrunk failure and need not.
        if (!relative.StartsWith("regressions", StringComparison.Ordinal))
        {
            Assert.NotEmpty(trace.Covers);
        }
    }

    [Fact]
    public void CodeRulesAndSpecRulesAgreeBothWays()
    {
        var code = CodeRuleIds();
        var spec = SpecRuleIds();
        Assert.True(code.Count > 50, $"found only {code.Count} rule IDs in the reference model");
        var missingInSpec = code.Except(spec);
        Assert.True(missingInSpec.IsEmpty, "rules the reference returns but spec/rules.txt lacks: " + string.Join(", ", missingInSpec));
        var specOnly = spec.Where(r => !r.StartsWith("INV-", StringComparison.Ordinal)).Except(code).ToList();
        Assert.True(specOnly.Count == 0, "rules spec/rules.txt lists but the reference never returns: " + string.Join(", ", specOnly));
        Assert.Equal(InvariantIds.All.Order(StringComparer.Ordinal).ToList(), spec.Where(r => r.StartsWith("INV-", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public void EveryRuleOfTheCodeIsExercisedByATrace()
    {
        var models = new ModelCache();
        var runner = new ConformanceRunner(models, SpecRuleIds());
        var exercised = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (string f in Repo.TraceFiles())
        {
            using var impl = new ReferenceImplementation();
            exercised.UnionWith(runner.Run(TraceJson.LoadAny(f, models.Load), impl).RulesExercised);
        }

        var code = CodeRuleIds();
        var notExercised = code.Except(exercised);
        Assert.True(notExercised.IsEmpty, "rules no conformance trace exercises: " + string.Join(", ", notExercised));
        var extra = exercised.ToImmutable().Except(code);
        Assert.True(extra.IsEmpty, "traces exercised rules the code does not contain: " + string.Join(", ", extra));
    }

    [Fact]
    public void NoTraceCoversARuleTheSpecLacks()
    {
        var spec = SpecRuleIds();
        var models = new ModelCache();
        foreach (string f in Repo.TraceFiles())
        {
            var t = TraceJson.LoadAny(f, models.Load);
            foreach (string c in t.Covers)
            {
                Assert.True(spec.Contains(c), $"{f} covers {c}, which spec/rules.txt does not list");
            }
        }
    }

    [Fact]
    public void EveryInvariantHasAKnownBadTrace()
    {
        var models = new ModelCache();
        var violated = Repo.TraceFiles().Select(f => TraceJson.LoadAny(f, models.Load).Violates).OfType<string>().ToHashSet();
        foreach (string inv in new[] { InvariantIds.SvaRid, InvariantIds.TlbCoh, InvariantIds.VpasidBij })
        {
            Assert.Contains(inv, violated);
        }
    }
}
