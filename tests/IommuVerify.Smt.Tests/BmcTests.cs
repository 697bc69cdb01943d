using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Smt.Checking;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;
using Xunit;

namespace IommuVerify.Smt.Tests;

/// <summary>Bounded checks on the small scopes: known-bad models give replayable counterexamples, known-good ones hold.</summary>
public sealed class BmcTests
{
    [Theory]
    [InlineData("amd-v2-per-domain-did", InvariantIds.TlbCoh)]
    [InlineData("arm-smmuv3-no-flush-on-detach", InvariantIds.TlbCoh)]
    [InlineData("sva-rid-unchecked", InvariantIds.SvaRid)]
    [InlineData("vpasid-allocated-mixed", InvariantIds.VpasidBij)]
    public void KnownBadModelGivesCounterexampleThatReplays(string name, string invariant)
    {
        var model = Models.Load(name);
        var r = BmcChecker.Run(model, "small", new BmcOptions(6, TimeSpan.FromSeconds(20), Only: [invariant]));
        var o = r[invariant];
        Assert.Equal(BmcVerdict.Violated, o.Verdict);
        var trace = Assert.IsType<Trace>(o.Counterexample);
        Assert.Equal(invariant, trace.Violates);
        Assert.Equal(o.Depth, trace.Steps.Length);

        // Independently of the checker: the rendered trace parses back and fails the invariant on the reference model.
        string text = Counterexamples.Render(trace, model);
        var parsed = TraceText.Parse(trace.File, text.Replace("model " + model.Path, "model " + Path.GetFullPath(model.Path), StringComparison.Ordinal), ModelLoader.Load);
        var reference = ReferenceModel.For(model, "small");
        var state = reference.Initial();
        foreach (var step in parsed.Steps)
        {
            var res = reference.Apply(state, step.Op);
            Assert.True(res.Allowed.SequenceEqual(step.Expected), $"{step.Op}: {string.Join(",", res.Allowed)} vs {string.Join(",", step.Expected)}");
            state = res.Next;
        }

        Assert.NotEmpty(new InvariantChecker(reference).Check(state, invariant));
        Assert.DoesNotContain(r.Invariants, x => x.Verdict == BmcVerdict.EncodingBug);
    }

    [Fact]
    public void KnownGoodModelHoldsToTheBound()
    {
        var r = BmcChecker.Run(Models.Load("intel-vtd"), "small", 3, TimeSpan.FromSeconds(30));
        Assert.Equal(3, r.DepthReached);
        Assert.All(r.Invariants, o => Assert.Equal(BmcVerdict.HoldsToDepth, o.Verdict));
        Assert.All(r.Invariants, o => Assert.Equal(3, o.Depth));
        Assert.True(r.Unencoded.IsEmpty);
    }

    [Fact]
    public void TimeoutIsInconclusiveNeverHolds()
    {
        var r = BmcChecker.Run(Models.Load("intel-vtd"), "standard", 4, TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(r.Invariants, o => o.Verdict == BmcVerdict.HoldsToDepth && o.Depth >= 4);
        Assert.Contains(r.Invariants, o => o.Verdict == BmcVerdict.Inconclusive);
        Assert.True(r.DepthReached < 4);
    }

    [Fact]
    public void ScopesWithAnOpsListOnlyUseThoseOperations()
    {
        var model = Models.Load("vpasid-identity");
        var scope = model.GetScope("small");
        var ops = Encoding.OpCatalog.For(scope);
        Assert.All(ops, op => Assert.Contains(op.Code, scope.Ops));
        Assert.Empty(Encoding.OpCatalog.Unencoded(scope));
    }
}
