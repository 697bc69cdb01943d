using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Tests;

public class SymmetryTests
{
    private static void AssertSameVerdicts(ModelFile m)
    {
        var on = ModelChecker.Check(m, "small", new CheckOptions { Symmetry = true });
        var off = ModelChecker.Check(m, "small", new CheckOptions { Symmetry = false });
        Assert.Null(on.StopReason);
        Assert.Null(off.StopReason);
        Assert.Equal(off.Verdict, on.Verdict);
        Assert.True(on.Stats.DistinctStates <= off.Stats.DistinctStates);
        foreach (var (a, b) in on.Invariants.Zip(off.Invariants))
        {
            Assert.Equal(b.Outcome, a.Outcome);
            Assert.Equal(b.Counterexample?.Length, a.Counterexample?.Length);
        }
    }

    [Theory]
    [MemberData(nameof(TestModels.All), MemberType = typeof(TestModels))]
    public void Symmetry_on_and_off_agree_on_every_model_at_small(string name) => AssertSameVerdicts(TestModels.Load(name));

    // Variants of "small" where the symmetry group is not trivial: two mms, or two IOVA and two physical pages.
    [Theory]
    [InlineData("sva-rid-unchecked", 1, 1, 2)]
    [InlineData("arm-smmuv3", 1, 1, 2)]
    [InlineData("vpasid-allocated-mixed", 1, 1, 2)]
    [InlineData("intel-flush-queue", 2, 2, 1)]
    [InlineData("intel-vtd", 2, 2, 1)]
    [InlineData("amd-v2-per-domain-did", 2, 2, 1)]
    public void Symmetry_on_and_off_agree_where_the_group_is_not_trivial(string name, int iovas, int pas, int mms)
    {
        var m = TestModels.WithSmall(TestModels.Load(name), s => s with
        {
            DomainSlots = 1,
            IovaPages = iovas,
            PhysPages = pas,
            Mms = [.. Enumerable.Range(0, mms).Select(i => "mm" + i)],
        });
        Assert.True(SymmetryGroup.For(m.GetScope("small")).Elements.Length > 1);
        AssertSameVerdicts(m);
    }

    /// <summary>A canonical fingerprint is the least of g hashes, so the collision estimate carries the factor
    /// g^2/(2g-1) under a group of g elements, and none without symmetry.</summary>
    [Fact]
    public void Collision_estimate_grows_with_the_symmetry_group()
    {
        var m = TestModels.WithSmall(TestModels.Load("intel-vtd"), s => s with { DomainSlots = 1, IovaPages = 2, PhysPages = 2 });
        var on = ModelChecker.Check(m, "small", new CheckOptions { Symmetry = true });
        var off = ModelChecker.Check(m, "small", new CheckOptions { Symmetry = false });
        static double Uniform(SearchStats st) => (double)st.DistinctStates * (st.Generated - st.DistinctStates) / Math.Pow(2, 64);
        Assert.Equal(4, on.Stats.SymmetryGroupSize);
        Assert.Equal(Uniform(on.Stats) * 16.0 / 7.0, on.Stats.CollisionProbability, 1e-12 * Uniform(on.Stats));
        Assert.Equal(Uniform(off.Stats), off.Stats.CollisionProbability, 1e-12 * Uniform(off.Stats));
        Assert.True(Uniform(off.Stats) > 0);
    }

    [Fact]
    public void Pages_permuted_jointly_give_one_fingerprint_when_identity_is_reachable()
    {
        var m = TestModels.WithSmall(TestModels.Load("intel-vtd"), s => s with
        {
            IovaPages = 2,
            PhysPages = 2,
            Ops = s.Ops.Add(OpCode.AttachRid),
        });
        var scope = m.GetScope("small");
        var model = new ReferenceModel(m.Policy, scope);
        var s0 = model.Apply(model.Initial(), new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1)).Next;
        var a = model.Apply(s0, new Map(0, 0, 0, Perm.R)).Next;
        var b = model.Apply(s0, new Map(0, 1, 1, Perm.R)).Next;
        var c = model.Apply(s0, new Map(0, 0, 1, Perm.R)).Next;
        var sym = new Fingerprinter(SymmetryGroup.For(scope), scope.IovaPages, scope.Mms.Length);
        var none = new Fingerprinter(SymmetryGroup.Trivial(scope), scope.IovaPages, scope.Mms.Length);
        Assert.Equal(2, SymmetryGroup.For(scope).Elements.Length);
        Assert.Equal(sym.Of(a), sym.Of(b));
        Assert.NotEqual(sym.Of(a), sym.Of(c));
        Assert.NotEqual(none.Of(a), none.Of(b));
    }

    [Fact]
    public void Pages_permute_independently_only_when_identity_is_unreachable()
    {
        var scope = TestModels.Load("intel-vtd").GetScope("small") with { IovaPages = 2, PhysPages = 3 };
        Assert.DoesNotContain(OpCode.AttachRid, scope.Ops);
        Assert.Equal(2 * 6, SymmetryGroup.For(scope).Elements.Length);
        var withRid = scope with { Ops = scope.Ops.Add(OpCode.AttachRid) };
        Assert.Single(SymmetryGroup.For(withRid).Elements);
        Assert.Single(SymmetryGroup.Trivial(scope).Elements);
    }
}
