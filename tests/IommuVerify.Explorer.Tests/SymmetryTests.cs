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

/// <summary>The symmetry group's elements and description for each way a scope can be permuted.</summary>
public class SymmetryGroupStructureTests
{
    private static Scope Scope(int iovas, int pas, int mms, bool ridOps)
    {
        var s = TestModels.Load("intel-vtd").GetScope("small");
        var ops = ridOps ? s.Ops.Add(OpCode.AttachRid) : s.Ops.Remove(OpCode.AttachRid).Remove(OpCode.ReplaceRid);
        return s with { IovaPages = iovas, PhysPages = pas, Mms = [.. Enumerable.Range(0, mms).Select(i => "mm" + i)], Ops = ops };
    }

    private static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    [Theory]
    [InlineData(2, 3, 1, false, 12, "iova pages (2!) x physical pages (3!); mms not permuted")]
    [InlineData(3, 2, 2, false, 24, "iova pages (3!) x physical pages (2!); mms (2!)")]
    [InlineData(5, 5, 1, false, 14400, "iova pages (5!) x physical pages (5!); mms not permuted")]
    [InlineData(3, 3, 2, true, 12, "iova and physical pages jointly (3!); mms (2!)")]
    [InlineData(5, 5, 1, true, 120, "iova and physical pages jointly (5!); mms not permuted")]
    [InlineData(2, 3, 3, true, 6, "pages not permuted; mms (3!)")]
    [InlineData(6, 6, 2, true, 2, "pages not permuted; mms (2!)")]
    [InlineData(6, 2, 1, false, 1, "trivial for this scope (one IOVA/physical page pairing and one mm)")]
    [InlineData(2, 6, 5, false, 120, "pages not permuted; mms (5!)")]
    [InlineData(1, 1, 6, false, 1, "trivial for this scope (one IOVA/physical page pairing and one mm)")]
    public void Elements_are_every_allowed_permutation_once_with_their_inverses(int iovas, int pas, int mms, bool ridOps, int size, string description)
    {
        var g = SymmetryGroup.For(Scope(iovas, pas, mms, ridOps));
        Assert.Equal(size, g.Elements.Length);
        Assert.Equal(description, g.Description);

        var first = g.Elements[0];
        Assert.Equal(Enumerable.Range(0, iovas), first.Iova);
        Assert.Equal(Enumerable.Range(0, pas), first.Pa);
        Assert.Equal(Enumerable.Range(0, mms), first.Mm);

        var seen = new HashSet<string>();
        foreach (var p in g.Elements)
        {
            Assert.Equal(Enumerable.Range(0, iovas), p.Iova.Order());
            Assert.Equal(Enumerable.Range(0, pas), p.Pa.Order());
            Assert.Equal(Enumerable.Range(0, mms), p.Mm.Order());
            for (int i = 0; i < iovas; i++)
            {
                Assert.Equal(i, p.IovaInverse[p.Iova[i]]);
            }

            for (int i = 0; i < mms; i++)
            {
                Assert.Equal(i, p.MmInverse[p.Mm[i]]);
            }

            if (ridOps)
            {
                Assert.Equal(p.Iova.ToArray(), (iovas == pas ? p.Pa : p.Iova).ToArray()); // pages move together, or not at all
            }

            Assert.True(seen.Add($"{string.Join(",", p.Iova)}/{string.Join(",", p.Pa)}/{string.Join(",", p.Mm)}"));
        }

        int expected = (ridOps ? (iovas == pas && iovas <= 5 ? Factorial(iovas) : 1)
            : (iovas <= 5 && pas <= 5 ? Factorial(iovas) * Factorial(pas) : iovas == pas && iovas <= 5 ? Factorial(iovas) : 1))
            * (mms <= 5 ? Factorial(mms) : 1);
        Assert.Equal(expected, size);
    }

    [Fact]
    public void The_trivial_group_has_only_the_identity()
    {
        var g = SymmetryGroup.Trivial(Scope(3, 2, 2, false));
        var p = Assert.Single(g.Elements);
        Assert.Equal("none", g.Description);
        Assert.Equal([0, 1, 2], p.Iova.ToArray());
        Assert.Equal([0, 1, 2], p.IovaInverse.ToArray());
        Assert.Equal([0, 1], p.Pa.ToArray());
        Assert.Equal([0, 1], p.Mm.ToArray());
        Assert.Equal([0, 1], p.MmInverse.ToArray());
    }

    [Fact]
    public void Replace_rid_alone_also_makes_the_identity_mapping_reachable()
    {
        var s = Scope(2, 3, 1, false);
        Assert.Equal(12, SymmetryGroup.For(s).Elements.Length);
        Assert.Single(SymmetryGroup.For(s with { Ops = s.Ops.Add(OpCode.ReplaceRid) }).Elements);
    }
}
