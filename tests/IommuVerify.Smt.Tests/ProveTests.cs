using IommuVerify.Smt.Checking;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;
using Xunit;

namespace IommuVerify.Smt.Tests;

/// <summary>k-induction: named queries, counterexamples to induction, and user lemmas.</summary>
public sealed class ProveTests
{
    /// <summary>arm-smmuv3-sva-rid (SVA on a RID allowed, so INV-SVA-RID is trivially true) with only INV-SVA-RID as a
    /// target plus a lemma implied by the type constraints: both are proved, by the named queries.</summary>
    [Fact]
    public void InductiveTargetAndLemmaAreProved()
    {
        string text = File.ReadAllText(Models.PathOf("arm-smmuv3-sva-rid"));
        foreach (var id in InvariantIds.All.Where(i => i != InvariantIds.SvaRid))
        {
            text = text.Replace($"\"{id}\": \"holds\"", $"\"{id}\": \"violated\"", StringComparison.Ordinal);
        }

        // The shipped lemmas are replaced by one implied by the type constraints.
        var model = ModelLoader.Parse(Models.PathOf("arm-smmuv3-sva-rid"), text) with
        {
            Lemmas = [Vocabulary.Json.JsonReader.Parse("x.json", "\"forall g in group: rid_domain[g] >= -2 && rid_domain[g] < 2\"")],
        };
        var r = InductionChecker.Run(model, "small", new InductionOptions(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(ProofVerdict.Proved, r.Outcomes.Single(o => o.Id == InvariantIds.SvaRid).Verdict);
        Assert.Equal(ProofVerdict.Proved, r.Outcomes.Single(o => o.Id == "lemma 1").Verdict);
        Assert.Contains(r.Queries, q => q.Name == "IndInit[INV-SVA-RID]");
        Assert.Contains(r.Queries, q => q.Name == "IndProp[lemma 1]" && q.Result is Solving.SolverResult.UnsatResult);
    }

    /// <summary>Alone, INV-SVA-RID of intel-vtd is not 1-inductive: a RID on a free slot that sva_bind then reuses.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void SvaRidAloneIsNotInductiveAndTheCtiNamesTheOperation()
    {
        string text = File.ReadAllText(Models.PathOf("intel-vtd"));
        foreach (var id in InvariantIds.All.Where(i => i != InvariantIds.SvaRid))
        {
            text = text.Replace($"\"{id}\": \"holds\"", $"\"{id}\": \"violated\"", StringComparison.Ordinal);
        }

        var r = InductionChecker.Run(ModelLoader.Parse(Models.PathOf("intel-vtd"), text), "conformance", new InductionOptions(1, TimeSpan.FromSeconds(30)));
        var o = r.Outcomes.Single(x => x.Id == InvariantIds.SvaRid);
        Assert.Equal(ProofVerdict.NotInductive, o.Verdict);
        Assert.StartsWith("sva_bind", Assert.IsType<Cti>(o.Cti).Operation, StringComparison.Ordinal);
    }

    /// <summary>amd-vi-v1 without its lemmas: INV-TLB-COH is not 1-inductive (a CTI is shown); the Houdini loop drops it from
    /// the hypotheses, asks again (INV-SVA-RID then fails too, in round 2) and proves what is inductive on its own
    /// (INV-VPASID-BIJ).</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void NonInductiveInvariantShowsCounterexampleToInductionAndTheRestIsProved()
    {
        var r = InductionChecker.Run(Models.Load("amd-vi-v1") with { Lemmas = [] }, "conformance", new InductionOptions(1, TimeSpan.FromSeconds(30)));
        var tlb = r.Outcomes.Single(o => o.Id == InvariantIds.TlbCoh);
        Assert.Equal(ProofVerdict.NotInductive, tlb.Verdict);
        var cti = Assert.IsType<Cti>(tlb.Cti);
        Assert.Contains("dom_kind", cti.State, StringComparison.Ordinal);
        Assert.Equal(ProofVerdict.Proved, r.Outcomes.Single(o => o.Id == InvariantIds.VpasidBij).Verdict);
        var svaRid = r.Outcomes.Single(o => o.Id == InvariantIds.SvaRid);
        Assert.Equal(ProofVerdict.NotInductive, svaRid.Verdict);
        Assert.Contains(r.Queries, q => q.Name == "IndProp[INV-SVA-RID] round 2");
        Assert.All(r.Queries.Where(q => q.Name.StartsWith("IndInit", StringComparison.Ordinal)), q => Assert.IsType<Solving.SolverResult.UnsatResult>(q.Result));
    }

    /// <summary>The lemma shipped in intel-vtd (every IOTLB entry's tag is some context's current tag) makes INV-TLB-COH
    /// inductive: all six invariants and the lemma are proved on the standard scope. Without it, INV-TLB-COH is not.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void ShippedLemmaProvesEveryInvariantOfIntelVtd()
    {
        var model = Models.Load("intel-vtd");
        Assert.Single(model.Lemmas);
        var r = InductionChecker.Run(model, "standard", new InductionOptions(1, TimeSpan.FromSeconds(60)));
        Assert.All(r.Outcomes, o => Assert.Equal(ProofVerdict.Proved, o.Verdict));
        Assert.Equal(7, r.Outcomes.Length);

        var without = model with { Lemmas = [] };
        var r2 = InductionChecker.Run(without, "standard", new InductionOptions(1, TimeSpan.FromSeconds(60)));
        Assert.Equal(ProofVerdict.NotInductive, r2.Outcomes.Single(o => o.Id == InvariantIds.TlbCoh).Verdict);
    }

    /// <summary>Every model that ships lemmas: on the small scope, k-induction proves every invariant the model expects
    /// to hold (the four design-card ones among them) and every shipped lemma; and it is the lemmas that do it: without
    /// them, some target is not inductive.</summary>
    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("amd-v2-per-device-did")]
    [InlineData("amd-vi-v1")]
    [InlineData("arm-smmuv3")]
    [InlineData("arm-smmuv3-sva-rid")]
    [InlineData("vpasid-identity")]
    [InlineData("vpasid-allocated-checked")]
    [InlineData("intel-vtd")]
    [InlineData("intel-flush-queue")]
    public void ShippedLemmasAreProvedWithEveryTargetOnTheSmallScope(string name)
    {
        var model = Models.Load(name);
        Assert.NotEmpty(model.Lemmas);
        var r = InductionChecker.Run(model, "small", new InductionOptions(1, TimeSpan.FromSeconds(120)));
        Assert.All(r.Outcomes, o => Assert.Contains(o.Verdict, new[] { ProofVerdict.Proved, ProofVerdict.NotTargeted }));
        Assert.All(new[] { InvariantIds.SvaRid, InvariantIds.PasidCap, InvariantIds.VpasidBij, InvariantIds.TlbCoh },
            id => Assert.Equal(ProofVerdict.Proved, r.Outcomes.Single(o => o.Id == id).Verdict));
        Assert.Equal(model.Lemmas.Length, r.Outcomes.Count(o => o.Id.StartsWith("lemma ", StringComparison.Ordinal) && o.Verdict == ProofVerdict.Proved));

        var without = InductionChecker.Run(model with { Lemmas = [] }, "small", new InductionOptions(1, TimeSpan.FromSeconds(120)));
        Assert.Contains(without.Outcomes, o => o.Verdict == ProofVerdict.NotInductive);
    }

    /// <summary>Counting, nested quantifiers and cache cells: a true counting lemma is proved, an off-by-one one fails
    /// its base case, one that two allocations break is not inductive, and a cache cell with a symbolic index is an input error.</summary>
    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("#(d in slot: dom_kind[d] == 0) + #(d in slot: dom_kind[d] != 0) == 2", ProofVerdict.Proved)]
    [InlineData("forall d in slot: dom_users[d] == #(g in group, p in pasid: pasid_domain[g, p] == d) + 1", ProofVerdict.BaseFails)]
    [InlineData("exists d in slot: dom_kind[d] == 0 || !(forall t in tag, i in iova, v in pte: !iotlb[t, i, v])", ProofVerdict.NotInductive)]
    public void LemmaSyntaxCountsQuantifiesAndReadsCaches(string lemma, ProofVerdict expected)
    {
        var model = Models.Load("intel-vtd");
        var withLemma = model with { Lemmas = [Vocabulary.Json.JsonReader.Parse("x.json", "\"" + lemma + "\"")] };
        var r = InductionChecker.Run(withLemma, "conformance", new InductionOptions(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(expected, r.Outcomes.Single(o => o.Id == "lemma 1").Verdict);
    }

    [Fact]
    public void CacheCellWithSymbolicIndexIsAnInputError()
    {
        var model = Models.Load("intel-vtd");
        var bad = model with { Lemmas = [Vocabulary.Json.JsonReader.Parse("x.json", "\"forall g in group: !iotlb[rid_domain[g], 0, 1]\"")] };
        var e = Assert.Throws<InputError>(() => InductionChecker.Run(bad, "conformance", new InductionOptions(1, TimeSpan.FromSeconds(5))));
        Assert.Contains("constants", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedLemmaIsAnInputError()
    {
        var model = Models.Load("amd-vi-v1") with { Lemmas = [Vocabulary.Json.JsonReader.Parse("x.json", "\"forall g in group: rid_domain[g] >=\"")] };
        var e = Assert.Throws<InputError>(() => InductionChecker.Run(model, "small", new InductionOptions(1, TimeSpan.FromSeconds(5))));
        Assert.Contains("lemma 1", e.Message, StringComparison.Ordinal);
    }
}
