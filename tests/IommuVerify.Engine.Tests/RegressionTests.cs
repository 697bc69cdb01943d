using System.Collections.Immutable;
using IommuVerify.Conformance;
using IommuVerify.Reference;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;
using Xunit;
using Xunit.Abstractions;

namespace IommuVerify.Engine.Tests;

/// <summary>The regression folder (tests/conformance/regressions/): every failure a property run ever saved is replayed
/// on the reference model and on the engine, and the saving itself works end to end.</summary>
public sealed class RegressionTests(ITestOutputHelper output)
{
    /// <summary>Replays every trace in <paramref name="directory"/> on both implementations; returns the failures.</summary>
    private static List<string> ReplayAll(string directory, out int replayed)
    {
        var failures = new List<string>();
        replayed = 0;
        foreach (string file in Regressions.Files(directory))
        {
            var models = new ModelCache();
            var trace = TraceJson.LoadAny(file, models.Load);
            using var reference = new ReferenceImplementation();
            IIommuImplementation[] impls = [reference, new TranslationEngine()];
            foreach (var impl in impls)
            {
                var verdict = new ConformanceRunner(models).Run(trace, impl);
                failures.AddRange(verdict.Failures.Select(f => $"{Path.GetFileName(file)} on {impl.GetType().Name}: line {f.Line} step {f.Step}: {f.Message}"));
            }

            replayed++;
        }

        return failures;
    }

    private static IEnumerable<string> Texts(ImmutableArray<Op> ops) => ops.Select(o => o.ToString());

    [Fact]
    public void Every_saved_regression_replays_on_the_reference_and_the_engine()
    {
        var failures = ReplayAll(Regressions.Shipped, out int replayed);
        output.WriteLine($"{replayed} regression traces replayed from {Regressions.Shipped}");
        Assert.Equal(Regressions.Files().Count, replayed);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_failing_property_is_saved_as_a_trace_that_replays_and_its_seed_reproduces_the_failure()
    {
        string dir = Path.Combine(Path.GetTempPath(), "iommuverify-regressions-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A property that is false on purpose: "no translation ever succeeds".
            var h = new LockstepHarness("intel-vtd");
            string? NeverTranslates(ImmutableArray<Op> ops) =>
                h.Run(ops).FirstOrDefault(s => s.Op is Translate && s.Got.IsSuccess) is { } st ? $"{st.Op} succeeded" : null;

            var first = PropertyRunner.Run("demo/never-translates", h.Ops, NeverTranslates, h.Shrink, ops => h.Render(ops, "demo"), 500, 99, output.WriteLine, regressionDirectory: dir);
            Assert.False(first.Held);
            ulong failing = first.FailingSeed!.Value;
            string saved = Path.Combine(dir, Regressions.FileName("demo/never-translates", failing));
            Assert.Equal([saved], Regressions.Files(dir));
            Assert.StartsWith("# Saved by the property 'demo/never-translates'", File.ReadAllText(saved), StringComparison.Ordinal);

            // The saved trace loads (its model line was made relative to the folder) and replays on both implementations.
            var demoFailures = ReplayAll(dir, out int replayed);
            Assert.True(demoFailures.Count == 0, string.Join("\n", demoFailures) + "\n" + File.ReadAllText(saved));
            Assert.Equal(1, replayed);
            var trace = TraceJson.LoadAny(saved, new ModelCache().Load);
            Assert.Equal(Texts(first.Shrunk), trace.Steps.Select(s => s.Op.ToString()));

            // The printed seed, run alone, fails at once on the same value; saving again does not write a second file.
            var again = PropertyRunner.Run("demo/never-translates", h.Ops, NeverTranslates, h.Shrink, ops => h.Render(ops, "demo"), 1, failing, output.WriteLine, regressionDirectory: dir);
            Assert.Equal(1, again.Iterations);
            Assert.Equal(failing, again.FailingSeed);
            Assert.Equal(Texts(first.Original), Texts(again.Original));
            Assert.Equal(Texts(first.Shrunk), Texts(again.Shrunk));
            Assert.Single(Regressions.Files(dir));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Saved_names_are_safe_and_model_lines_are_relocated()
    {
        Assert.Equal("conform-intel-vtd-seed42.trace", Regressions.FileName("conform/intel-vtd", 42));
        Assert.Equal("a-b-c-seed0.trace", Regressions.FileName("A b:c", 0));
        Assert.Equal("model ../models/m.json\nstep", Regressions.Relocate("model models/m.json\nstep", Path.Combine(RepoPaths.Root, "tests")));
    }
}

/// <summary>The property runner's knobs: iteration counts, effort and seeds.</summary>
public sealed class PropertyRunnerTests
{
    [Theory]
    [InlineData(100, null, null, 100)]
    [InlineData(100, "7", null, 7)]
    [InlineData(100, "7", "50", 7)]
    [InlineData(100, null, "50", 5000)]
    [InlineData(100, "0", "-3", 100)]
    [InlineData(100, "many", "x", 100)]
    public void Iterations_come_from_the_count_else_the_effort_times_the_default(int fallback, string? iterations, string? effort, int expected) =>
        Assert.Equal(expected, PropertyRunner.Iterations(fallback, iterations, effort));

    [Fact]
    public void A_named_seed_is_the_same_in_every_process_and_differs_by_name()
    {
        // Pinned: a seed printed by one run must mean the same walk in another process or on another machine
        // (string.GetHashCode would not: .NET randomizes it per process).
        Assert.Equal(PropertyRunner.SeedFor(20261121, "intel-vtd"), PropertyRunner.SeedFor(20261121, "intel-vtd"));
        Assert.Equal(11926709373399911041UL, PropertyRunner.SeedFor(20261121, "intel-vtd"));
        Assert.NotEqual(PropertyRunner.SeedFor(20261121, "intel-vtd"), PropertyRunner.SeedFor(20261121, "amd-vi-v1"));
        Assert.NotEqual(PropertyRunner.SeedFor(1, "intel-vtd"), PropertyRunner.SeedFor(2, "intel-vtd"));
        Assert.Equal(5UL, PropertyRunner.IterationSeed(5, 0));
        Assert.NotEqual(PropertyRunner.IterationSeed(5, 1), PropertyRunner.IterationSeed(5, 2));
    }
}
