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

        text = text.Replace("\"expect\": {", "\"lemmas\": [\"forall g in group: rid_domain[g] >= -2 && rid_domain[g] < 2\"],\n  \"expect\": {", StringComparison.Ordinal);
        var model = ModelLoader.Parse(Models.PathOf("arm-smmuv3-sva-rid"), text);
        var r = InductionChecker.Run(model, "small", new InductionOptions(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(ProofVerdict.Proved, r.Outcomes.Single(o => o.Id == InvariantIds.SvaRid).Verdict);
        Assert.Equal(ProofVerdict.Proved, r.Outcomes.Single(o => o.Id == "lemma 1").Verdict);
        Assert.Contains(r.Queries, q => q.Name == "IndInit[INV-SVA-RID]");
        Assert.Contains(r.Queries, q => q.Name == "IndProp[lemma 1]" && q.Result is Solving.SolverResult.UnsatResult);
    }

    /// <summary>Alone, INV-SVA-RID of intel-vtd is not 1-inductive: a RID on a free slot that sva_bind then reuses.</summary>
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

    [Fact]
    public void NonInductiveInvariantShowsCounterexampleToInduction()
    {
        var r = InductionChecker.Run(Models.Load("intel-vtd"), "conformance", new InductionOptions(1, TimeSpan.FromSeconds(30)));
        var tlb = r.Outcomes.Single(o => o.Id == InvariantIds.TlbCoh);
        Assert.Equal(ProofVerdict.NotInductive, tlb.Verdict);
        var cti = Assert.IsType<Cti>(tlb.Cti);
        Assert.Contains("dom_kind", cti.State, StringComparison.Ordinal);
        Assert.DoesNotContain(r.Outcomes, o => o.Verdict == ProofVerdict.Proved);
        Assert.All(r.Queries.Where(q => q.Name.StartsWith("IndInit", StringComparison.Ordinal)), q => Assert.IsType<Solving.SolverResult.UnsatResult>(q.Result));
    }

    [Fact]
    public void MalformedLemmaIsAnInputError()
    {
        string text = File.ReadAllText(Models.PathOf("intel-vtd"))
            .Replace("\"expect\": {", "\"lemmas\": [\"forall g in group: rid_domain[g] >=\"],\n  \"expect\": {", StringComparison.Ordinal);
        var model = ModelLoader.Parse(Models.PathOf("intel-vtd"), text);
        var e = Assert.Throws<InputError>(() => InductionChecker.Run(model, "small", new InductionOptions(1, TimeSpan.FromSeconds(5))));
        Assert.Contains("lemma 1", e.Message, StringComparison.Ordinal);
    }
}
