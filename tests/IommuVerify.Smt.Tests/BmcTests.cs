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

    /// <summary>A wrong lemma (no slot is ever allocated: false after one alloc_domain) is reported as a violated lemma
    /// with the path that breaks it; a true one holds to the bound; the invariants' verdicts are those of the run without
    /// lemmas, since a refuted lemma is never assumed.</summary>
    [Fact]
    public void WrongLemmaIsReportedAsALemmaViolationAndChangesNoVerdict()
    {
        var model = WithLemmas(Models.Load("intel-vtd"), "forall d in slot: dom_kind[d] == 0", "forall g in group: pasid_domain[g, 0] == -1");
        var r = BmcChecker.Run(model, "small", 3, TimeSpan.FromSeconds(30));
        var wrong = r.Lemmas.Single(l => l.Id == "lemma 1");
        Assert.Equal(BmcVerdict.Violated, wrong.Verdict);
        Assert.Equal(1, wrong.Depth);
        Assert.Contains("alloc_domain", wrong.Detail, StringComparison.Ordinal);
        Assert.Contains("is false after 1 step", wrong.Detail, StringComparison.Ordinal);
        var right = r.Lemmas.Single(l => l.Id == "lemma 2");
        Assert.Equal(BmcVerdict.HoldsToDepth, right.Verdict);
        Assert.Equal(3, right.Depth);

        var plain = BmcChecker.Run(model with { Lemmas = [] }, "small", 3, TimeSpan.FromSeconds(30));
        Assert.Empty(plain.Lemmas);
        Assert.Equal(plain.Invariants.Select(o => (o.Id, o.Verdict, o.Depth)), r.Invariants.Select(o => (o.Id, o.Verdict, o.Depth)));
    }

    /// <summary>A wrong lemma over cache cells (the IOTLB stays empty) is checked on the path with caches and refuted
    /// there, once a translate fills an entry.</summary>
    [Fact]
    public void WrongCacheLemmaIsRefutedOnThePathWithCaches()
    {
        var model = WithLemmas(Models.Load("intel-vtd"), "forall t in tag, i in iova, v in pte: !iotlb[t, i, v]");
        var r = BmcChecker.Run(model, "small", 5, TimeSpan.FromSeconds(30));
        var l = r.Lemmas.Single();
        Assert.Equal(BmcVerdict.Violated, l.Verdict);
        Assert.Contains("translate", l.Detail, StringComparison.Ordinal);
        Assert.All(r.Invariants, o => Assert.Equal(BmcVerdict.HoldsToDepth, o.Verdict));
    }

    /// <summary>A known-bad model keeps its shortest counterexample when arm-smmuv3's lemmas are checked and assumed:
    /// the violation of INV-TLB-COH has the same length with and without them.</summary>
    [Fact]
    public void AssumedLemmasKeepTheShortestCounterexample()
    {
        var bad = Models.Load("arm-smmuv3-no-flush-on-detach");
        var withLemmas = bad with { Lemmas = Models.Load("arm-smmuv3").Lemmas };
        Assert.NotEmpty(withLemmas.Lemmas);
        var a = BmcChecker.Run(bad, "small", new BmcOptions(5, TimeSpan.FromSeconds(30), Only: [InvariantIds.TlbCoh]));
        var b = BmcChecker.Run(withLemmas, "small", new BmcOptions(5, TimeSpan.FromSeconds(30), Only: [InvariantIds.TlbCoh]));
        Assert.Equal(BmcVerdict.Violated, a[InvariantIds.TlbCoh].Verdict);
        Assert.Equal(a[InvariantIds.TlbCoh].Depth, b[InvariantIds.TlbCoh].Depth);
        // The IOTLB lemma (every entry's tag is some context's tag) is exactly what skipping the flush on detach breaks:
        // reported as a violated lemma; the SVA lemmas hold on this model too.
        Assert.All(b.Lemmas, l => Assert.Equal(l.Detail.Contains("iotlb[", StringComparison.Ordinal) ? BmcVerdict.Violated : BmcVerdict.HoldsToDepth, l.Verdict));
        Assert.Contains(b.Lemmas, l => l.Verdict == BmcVerdict.Violated);
    }

    /// <summary>The one-step check only ever concludes "holds": with it and without it, every invariant and lemma has
    /// the same verdict and depth (for a violation, the same shortest counterexample length).</summary>
    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("arm-smmuv3-no-flush-on-detach", "arm-smmuv3")]
    [InlineData("sva-rid-unchecked", "arm-smmuv3")]
    [InlineData("vpasid-allocated-mixed", "vpasid-allocated-checked")]
    [InlineData("vpasid-identity", "vpasid-identity")]
    public void OneStepCheckChangesNoVerdictNorCounterexampleLength(string name, string lemmasFrom)
    {
        var model = Models.Load(name) with { Lemmas = Models.Load(lemmasFrom).Lemmas };
        var with = BmcChecker.Run(model, "small", new BmcOptions(5, TimeSpan.FromSeconds(60)));
        var without = BmcChecker.Run(model, "small", new BmcOptions(5, TimeSpan.FromSeconds(60), OneStep: false));
        Assert.Equal(without.Invariants.Select(o => (o.Id, o.Verdict, o.Depth)), with.Invariants.Select(o => (o.Id, o.Verdict, o.Depth)));
        Assert.Equal(without.Lemmas.Select(o => (o.Id, o.Verdict, o.Depth)), with.Lemmas.Select(o => (o.Id, o.Verdict, o.Depth)));
        Assert.Equal(without.DepthReached, with.DepthReached);
    }

    private static ModelFile WithLemmas(ModelFile model, params string[] lemmas) =>
        model with { Lemmas = [.. lemmas.Select(l => Vocabulary.Json.JsonReader.Parse("x.json", "\"" + l + "\""))] };

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
