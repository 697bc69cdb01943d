using System.Collections.Immutable;
using IommuVerify.Engine.Fuzzing;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit;
using Xunit.Abstractions;

namespace IommuVerify.Engine.Tests;

/// <summary>Which models the property tests run on, by their expectations.</summary>
public static class ModelSets
{
    public const ulong DefaultSeed = 20261121;

    public static TheoryData<string> KnownGood() =>
        [.. LockstepHarness.ModelNames.Where(n => Expect(n).Values.All(e => e == Expectation.Holds))];

    public static TheoryData<string> KnownBuggy() =>
        [.. LockstepHarness.ModelNames.Where(n => Expect(n).Values.Any(e => e == Expectation.Violated))];

    public static TheoryData<string> TlbIncoherent() =>
        [.. LockstepHarness.ModelNames.Where(n => Expect(n).TryGetValue(InvariantIds.TlbCoh, out var e) && e == Expectation.Violated)];

    private static System.Collections.Immutable.ImmutableDictionary<string, Expectation> Expect(string model) =>
        ModelLoader.Load(Path.Combine(RepoPaths.Models, model + ".json")).Expect;

    /// <summary>Runs the conformance property (every engine result is allowed) and returns the outcome and the success share.</summary>
    public static (PropertyOutcome<ImmutableArray<Op>> Outcome, double Share) Conformance(
        string model, Action<string> log, int iterations = 100, string scope = "conformance", Action<LockstepStep>? observe = null)
    {
        var h = new LockstepHarness(model, scope);
        string name = scope == "conformance" ? model : $"{model}/{scope}";
        long total = 0, ok = 0;
        string? Property(ImmutableArray<Op> ops)
        {
            ImmutableArray<LockstepStep> steps;
            try
            {
                steps = h.Run(ops);
            }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidOperationException or NullReferenceException)
            {
                return $"the engine threw {e.GetType().Name}: {e.Message}";
            }

            total += steps.Length;
            ok += steps.Count(s => s.Allowed[0].IsSuccess);
            if (observe is not null)
            {
                foreach (var step in steps)
                {
                    observe(step);
                }
            }

            var last = steps[^1];
            return last.Conforms ? null : $"step {steps.Length}: engine returned {last.Got}, reference allows {string.Join(" | ", last.Allowed)}";
        }

        var outcome = PropertyRunner.Run($"conform/{name}", h.Ops, Property, h.Shrink, ops => h.Render(ops, "conform-" + name.Replace('/', '-')), iterations, DefaultSeed, log);
        double share = total == 0 ? 0 : (double)ok / total;
        log($"conform/{name}: {ok}/{total} generated operations succeed on the reference ({share:P1})");
        return (outcome, share);
    }
}

/// <summary>Differential property tests on the models whose every expectation holds.</summary>
public sealed class KnownGoodModelTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ModelSets.KnownGood), MemberType = typeof(ModelSets))]
    public void Engine_results_are_all_allowed_by_the_reference(string model)
    {
        var (outcome, share) = ModelSets.Conformance(model, output.WriteLine);
        Assert.True(outcome.Held, outcome.Message);
        Assert.True(share >= 0.7, $"only {share:P1} of generated operations succeed (aim: 70%)");
    }
}

/// <summary>Differential property tests on the known-buggy models: the engine still conforms, and is really stale.</summary>
public sealed class KnownBuggyModelTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ModelSets.KnownBuggy), MemberType = typeof(ModelSets))]
    public void Engine_results_are_all_allowed_by_the_reference(string model)
    {
        var (outcome, share) = ModelSets.Conformance(model, output.WriteLine);
        Assert.True(outcome.Held, outcome.Message);
        Assert.True(share >= 0.7, $"only {share:P1} of generated operations succeed (aim: 70%)");
    }

    [Theory]
    [MemberData(nameof(ModelSets.TlbIncoherent), MemberType = typeof(ModelSets))]
    public void Property_search_finds_the_engine_returning_a_stale_translation(string model)
    {
        var h = new LockstepHarness(model);
        var outcome = PropertyRunner.Run(
            $"no-stale/{model}",
            h.Ops,
            ops => h.Run(ops).FirstOrDefault(s => s.Stale) is { } st
                ? $"stale translation: {st.Op} gave {st.Got}, the walk gives {st.Allowed[0]}"
                : null,
            h.Shrink,
            ops => h.Render(ops, "stale-" + model),
            3000,
            ModelSets.DefaultSeed,
            output.WriteLine,
            saveFailure: false);

        Assert.False(outcome.Held, $"no stale translation found for {model} in {outcome.Iterations} traces");
        var steps = h.Run(outcome.Shrunk);
        var last = steps[^1];
        Assert.All(steps, s => Assert.True(s.Conforms));
        Assert.IsType<Translate>(last.Op);
        Assert.True(last.Stale);
        Assert.NotEqual(last.Allowed[0], last.Got);
        Assert.Contains(last.Got, last.Allowed);
    }
}

/// <summary>The lockstep property on the <c>nesting</c> scopes, the only shipped scopes that allocate nested domains
/// and dirty-tracking domains: the engine's nested-domain paths (allocation checks, the parent's page table, a parent
/// kept busy by its children, unmap reaching the children's contexts) against the reference's.</summary>
public sealed class NestingScopeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("arm-smmuv3")]
    [InlineData("intel-vtd")]
    [InlineData("amd-v2-per-device-did")]
    public void Engine_results_are_all_allowed_by_the_reference_with_nested_domains(string model)
    {
        int nestedOk = 0, nestedRefused = 0;
        void Observe(LockstepStep s)
        {
            switch (s.Op)
            {
                case AllocDomain { Kind: DomainKind.Nested } when s.Got.IsSuccess:
                    nestedOk++;
                    break;
                case AllocDomain { Kind: DomainKind.Nested }:
                    nestedRefused++;
                    break;
            }
        }

        var (outcome, _) = ModelSets.Conformance(model, output.WriteLine, 200, "nesting", Observe);
        Assert.True(outcome.Held, outcome.Message);
        output.WriteLine($"{model}/nesting: {nestedOk} nested allocations succeeded, {nestedRefused} refused");

        // The runs really reach the nested paths, both ways.
        Assert.True(nestedOk >= 5, $"only {nestedOk} nested allocations succeeded");
        Assert.True(nestedRefused >= 5, $"only {nestedRefused} nested allocations were refused");
    }
}

/// <summary>The lockstep property with caches so small that eviction happens constantly.</summary>
public sealed class TinyCacheTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("intel-vtd")]
    [InlineData("amd-v2-per-domain-did")]
    [InlineData("intel-flush-queue-reuse")]
    public void Engine_with_a_two_entry_iotlb_still_conforms(string model)
    {
        var h = new LockstepHarness(model) { MakeEngine = () => new TranslationEngine(iotlbSets: 1, iotlbWays: 2, devTlbSets: 1, devTlbWays: 1) };
        var outcome = PropertyRunner.Run(
            $"tiny-caches/{model}",
            h.Ops,
            ops => h.Run(ops)[^1] is { Conforms: false } last ? $"engine returned {last.Got} for {last.Op}" : null,
            h.Shrink,
            ops => h.Render(ops, "tiny-" + model),
            60,
            ModelSets.DefaultSeed,
            output.WriteLine);
        Assert.True(outcome.Held, outcome.Message);
    }
}
