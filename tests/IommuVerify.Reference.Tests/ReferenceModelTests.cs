using IommuVerify.Vocabulary.Model;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>Focused tests of the reference model: results and rule IDs per area.</summary>
public sealed class ReferenceModelTests
{
    [Fact]
    public void RidAttachIsBusyEvenForTheSameDomain()
    {
        var h = Harness.For("intel-vtd");
        h.Expect("alloc_domain dev=gpu kind=paging flags=none", "ok d0", "DOM-ALLOC-8");
        h.Expect("attach_rid dev=gpu domain=d0", "ok", "RID-ATTACH-6");
        h.Expect("attach_rid dev=gpu domain=d0", "EBUSY", "RID-ATTACH-2");
        h.Expect("attach_rid dev=gpu domain=identity", "EBUSY", "RID-ATTACH-2");
        Assert.Equal(0, h.State.RidDomain[h.Model.GroupOf(0)]);
    }

    [Fact]
    public void RidReplaceWithTheSameDomainIsANoOp()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("translate dev=gpu pasid=0 iova=0 access=read");
        var before = h.State;
        var r = h.Expect("replace_rid dev=gpu domain=d0", "ok", "RID-REPLACE-1");
        Assert.Same(before, r.Next);
        Assert.Equal(["RID-REPLACE-1"], r.Rules.ToArray());
        Assert.NotEmpty(h.State.Iotlb);
    }

    [Fact]
    public void PasidAttachIsBusyForTheSameDomainAndReplaceIsTheNoOp()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=nic kind=paging flags=none");
        h.Expect("attach_pasid dev=nic pasid=1 domain=d0", "ok", "PASID-ATTACH-12");
        h.Expect("attach_pasid dev=nic pasid=1 domain=d0", "EBUSY", "PASID-ATTACH-9");
        var before = h.State;
        Assert.Same(before, h.Expect("replace_pasid dev=nic pasid=1 domain=d0", "ok", "PASID-REPLACE-3").Next);
    }

    [Fact]
    public void PasidCompatibilityFollowsThePolicy()
    {
        var amd = Harness.For("amd-v2-per-device-did");
        amd.Do("alloc_domain dev=gpu kind=paging flags=none");
        amd.Expect("attach_pasid dev=gpu pasid=1 domain=d0", "EINVAL", "PASID-ATTACH-6");
        var v1 = Harness.For("amd-vi-v1");
        v1.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        v1.Expect("attach_pasid dev=gpu pasid=1 domain=d0", "EOPNOTSUPP", "PASID-ATTACH-4");
        var intel = Harness.For("intel-vtd");
        intel.Do("alloc_domain dev=gpu kind=paging flags=none");
        intel.Expect("attach_pasid dev=gpu pasid=1 domain=d0", "ok", "PASID-ATTACH-12");
    }

    [Fact]
    public void VfFollowsItsPf()
    {
        var h = Harness.For("intel-vtd");
        int vf = h.Scope.DeviceIndex("vf0"), nic = h.Scope.DeviceIndex("nic");
        Assert.False(h.Scope.Devices[vf].PasidCapable);
        Assert.Equal(h.Scope.EffectiveMaxPasids(nic), h.Scope.EffectiveMaxPasids(vf));
        h.Do("alloc_domain dev=vf0 kind=paging flags=none");
        h.Expect("attach_pasid dev=vf0 pasid=2 domain=d0", "ok", "PASID-ATTACH-12");
        h.Expect("sva_bind dev=vf0 mm=mm0", "ok 1", "SVA-BIND-7");

        // A VF of a PF without PASID support has none either.
        var scope = Harness.MakeScope([("pf", 0, -1, 0, false), ("vf", 1, 0, 0, false)], pasids: 2);
        var n = new Harness(Harness.LoadModel("intel-vtd").Policy, scope);
        n.Do("alloc_domain dev=vf kind=paging flags=none");
        n.Expect("attach_pasid dev=vf pasid=1 domain=d0", "ENODEV", "PASID-ATTACH-3");
    }

    [Fact]
    public void GroupMemberWithoutPasidIsSkippedInTheRangeCheck()
    {
        // g0 = wide (max 4) + legacy (no PASID); g1 = wide2 (max 4) + narrow (max 2).
        var scope = Harness.MakeScope([("wide", 0, -1, 4, false), ("legacy", 0, -1, 0, false), ("wide2", 1, -1, 4, false), ("narrow", 1, -1, 2, false)], pasids: 3);
        var h = new Harness(Harness.LoadModel("intel-vtd").Policy, scope);
        h.Do("alloc_domain dev=wide kind=paging flags=none");
        h.Expect("attach_pasid dev=wide pasid=3 domain=d0", "ok", "PASID-ATTACH-12");
        Assert.Empty(h.Violations());
        h.Expect("attach_pasid dev=legacy pasid=2 domain=d0", "ENODEV", "PASID-ATTACH-3");
        h.Expect("attach_pasid dev=wide2 pasid=2 domain=d0", "EINVAL", "PASID-ATTACH-8");
        h.Expect("attach_pasid dev=wide2 pasid=1 domain=d0", "ok", "PASID-ATTACH-12");
        h.Expect("translate dev=narrow pasid=2 iova=0 access=read", "fault no-context", "XLATE-1");
    }

    [Fact]
    public void SvaBindTwiceCountsUsersAndReturnsTheSamePasid()
    {
        var h = Harness.For("intel-vtd");
        h.Expect("sva_bind dev=gpu mm=mm0", "ok 1", "SVA-BIND-7");
        h.Expect("sva_bind dev=gpu mm=mm0", "ok 1", "SVA-BIND-1");
        Assert.Equal(2, h.State.SvaUsers[h.Model.L.DevMm(0, 0)]);
        Assert.Equal(1, h.State.DomUsers[0]);
        h.Expect("sva_unbind dev=gpu mm=mm0", "ok", "SVA-UNBIND-2");
        Assert.Equal(1, h.State.SvaUsers[h.Model.L.DevMm(0, 0)]);
        Assert.Equal((int)Vocabulary.Operations.DomainKind.Sva, h.State.DomKind[0]);
    }

    [Fact]
    public void UnbindKeepsTheMmPasid()
    {
        var h = Harness.For("intel-vtd");
        h.Expect("sva_bind dev=gpu mm=mm0", "ok 1", "SVA-BIND-7");
        h.Expect("sva_unbind dev=gpu mm=mm0", "ok", "SVA-UNBIND-3");
        Assert.Equal(1, h.State.MmPasid[0]);
        Assert.Equal(1, h.State.PasidOwner[1]);
        Assert.Equal((int)Vocabulary.Operations.DomainKind.Free, h.State.DomKind[0]);
        h.Expect("sva_bind dev=nic mm=mm0", "ok 1", "SVA-BIND-7");
        Assert.Empty(h.Violations());
    }

    [Fact]
    public void SvaBindOverflowsOnANarrowDevice()
    {
        // The VM owns PASID 1, so the mm gets PASID 2, which the narrow device (max 2) cannot issue.
        var vm = new VmSpec("vm0", []);
        var scope = Harness.MakeScope([("wide", 0, -1, 4, false), ("narrow", 1, -1, 2, false)], pasids: 3, vms: [vm], vpasids: 2);
        var policy = Harness.LoadModel("vpasid-identity").Policy;
        var h = new Harness(policy, scope);
        h.Expect("vpasid_alloc vm=vm0 vpasid=1", "ok 1", "VPASID-ALLOC-6");
        h.Expect("sva_bind dev=wide mm=mm0", "ok 2", "SVA-BIND-7");
        h.Expect("sva_bind dev=narrow mm=mm0", "EOVERFLOW", "SVA-BIND-2");
    }

    [Fact]
    public void FlushQueueExemptsDeferredEntriesUntilTheQueueDrains()
    {
        var h = Harness.For("intel-flush-queue");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("translate dev=gpu pasid=0 iova=0 access=read");
        h.Expect("unmap domain=d0 iova=0", "ok 1", "UNMAP-5");
        Assert.NotEmpty(h.State.Iotlb);
        Assert.Single(h.State.FlushQueue);
        Assert.True(h.Model.DeferredExempt(h.State, State.View.Of(h.State), 0, 0, 0));
        Assert.Empty(h.Violations());
        h.Expect("translate dev=gpu pasid=0 iova=0 access=read", "fault not-present | pa 1", "XLATE-5", "XLATE-8");
        h.Expect("map domain=d0 iova=0 pa=0 perm=rw", "EBUSY", "MAP-4");
        h.Expect("invalidate scope=fq", "ok", "INVAL-1");
        Assert.Empty(h.State.Iotlb);
        Assert.Empty(h.State.DevTlb);
        Assert.Empty(h.State.FlushQueue);
    }

    [Fact]
    public void FlushQueueReuseLosesTheExemption()
    {
        var h = Harness.For("intel-flush-queue-reuse");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("translate dev=gpu pasid=0 iova=0 access=read");
        h.Do("unmap domain=d0 iova=0");
        Assert.Empty(h.Violations());
        h.Expect("map domain=d0 iova=0 pa=0 perm=rw", "ok", "MAP-6");
        var v = h.Violations();
        Assert.NotEmpty(v);
        Assert.All(v, x => Assert.Equal(InvariantIds.TlbCoh, x.InvariantId));
        Assert.Contains(v, x => x.Witness.Contains("gpu", StringComparison.Ordinal) && x.Witness.Contains("iova 0", StringComparison.Ordinal));
    }

    [Fact]
    public void InvariantWitnessesNameTheObjects()
    {
        var sva = Harness.For("sva-rid-unchecked");
        sva.Do("sva_bind dev=gpu mm=mm0");
        sva.Expect("attach_rid dev=nic domain=d0", "ok", "RID-ATTACH-4", "RID-ATTACH-6");
        var v = Assert.Single(sva.Violations());
        Assert.Equal(InvariantIds.SvaRid, v.InvariantId);
        Assert.Contains("g1", v.Witness, StringComparison.Ordinal);
        Assert.Contains("d0", v.Witness, StringComparison.Ordinal);
        Assert.Contains("mm0", v.Witness, StringComparison.Ordinal);

        var alias = Harness.For("amd-v2-per-domain-did", "conformance");
        foreach (string op in new[] { "alloc_domain dev=gpu kind=paging flags=pasid", "attach_rid dev=gpu domain=d0", "attach_rid dev=nic domain=d0", "alloc_domain dev=gpu kind=paging flags=pasid", "attach_pasid dev=gpu pasid=1 domain=d1" })
        {
            alias.Do(op);
        }

        var a = Assert.Single(alias.Violations());
        Assert.Equal(InvariantIds.TlbCoh, a.InvariantId);
        Assert.Contains("gpu/pasid 1", a.Witness, StringComparison.Ordinal);
        Assert.Contains("nic/pasid 1", a.Witness, StringComparison.Ordinal);

        var mixed = Harness.For("vpasid-allocated-mixed");
        mixed.Do("sva_bind dev=pt0 mm=mm0");
        mixed.Do("vpasid_alloc vm=vm0 vpasid=1");
        mixed.Do("alloc_domain dev=pt0 kind=paging flags=none");
        mixed.Expect("vpasid_attach vm=vm0 dev=pt0 vpasid=1 domain=d1", "ok 2", "VPASID-ATTACH-5");
        var m = Assert.Single(mixed.Violations());
        Assert.Equal(InvariantIds.VpasidBij, m.InvariantId);
        Assert.Contains("pt0", m.Witness, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainLiveAndMmPasidHoldThroughSvaChurn()
    {
        var h = Harness.For("arm-smmuv3");
        h.Do("sva_bind dev=gpu mm=mm0");
        h.Do("sva_bind dev=nic mm=mm0");
        h.Expect("free_domain domain=d0", "EINVAL", "DOM-FREE-2");
        h.Do("sva_unbind dev=gpu mm=mm0");
        Assert.Empty(h.Violations());
        h.Expect("sva_unbind dev=nic mm=mm0", "ok", "SVA-UNBIND-3");
        Assert.Equal((int)Vocabulary.Operations.DomainKind.Free, h.State.DomKind[0]);
        Assert.Empty(h.Violations());
    }

    [Fact]
    public void VpasidOperationsNeedAScheme()
    {
        var vm = new VmSpec("vm0", [new VmDevice(0, Assignment.Mdev)]);
        var scope = Harness.MakeScope([("dev0", 0, -1, 4, false)], pasids: 2, vms: [vm], vpasids: 2);
        var h = new Harness(Harness.LoadModel("intel-vtd").Policy, scope);
        Assert.Equal(VpasidScheme.None, h.Model.Policy.VpasidScheme);
        h.Expect("vpasid_alloc vm=vm0 vpasid=1", "EOPNOTSUPP", "VPASID-ALLOC-1");
        h.Expect("vpasid_free vm=vm0 vpasid=1", "EOPNOTSUPP", "VPASID-FREE-1");
        h.Do("alloc_domain dev=dev0 kind=paging flags=none");
        h.Expect("vpasid_attach vm=vm0 dev=dev0 vpasid=1 domain=d0", "EOPNOTSUPP", "VPASID-ATTACH-1");
    }

    [Fact]
    public void IdentityVpasidOutsideThePhysicalSpaceIsRefused()
    {
        var vm = new VmSpec("vm0", [new VmDevice(0, Assignment.Passthrough)]);
        var scope = Harness.MakeScope([("pt", 0, -1, 4, false)], pasids: 2, vms: [vm], vpasids: 4);
        var h = new Harness(Harness.LoadModel("vpasid-identity").Policy, scope);
        h.Expect("vpasid_alloc vm=vm0 vpasid=3", "EINVAL", "VPASID-ALLOC-3");
        h.Expect("vpasid_alloc vm=vm0 vpasid=2", "ok 2", "VPASID-ALLOC-6");
    }

    [Fact]
    public void VpasidAttachNeedsADeviceOfThatVm()
    {
        var vm0 = new VmSpec("vm0", [new VmDevice(0, Assignment.Mdev)]);
        var vm1 = new VmSpec("vm1", [new VmDevice(1, Assignment.Mdev)]);
        var scope = Harness.MakeScope([("a", 0, -1, 4, false), ("b", 1, -1, 4, false), ("host", 2, -1, 4, false)], pasids: 3, vms: [vm0, vm1], vpasids: 2);
        var h = new Harness(Harness.LoadModel("vpasid-allocated-checked").Policy, scope);
        h.Do("vpasid_alloc vm=vm0 vpasid=1");
        h.Do("alloc_domain dev=a kind=paging flags=none");
        h.Expect("vpasid_attach vm=vm0 dev=b vpasid=1 domain=d0", "EINVAL", "VPASID-ATTACH-2");
        h.Expect("vpasid_attach vm=vm0 dev=host vpasid=1 domain=d0", "EINVAL", "VPASID-ATTACH-2");
        h.Expect("vpasid_attach vm=vm0 dev=a vpasid=1 domain=d0", "ok 1", "VPASID-ATTACH-6");
    }

    [Fact]
    public void FailedSvaBindKeepsOnlyTheMmPasid()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        var before = h.State;
        var r = h.Expect("sva_bind dev=gpu mm=mm0", "ENOSPC", "SVA-BIND-5", "SVA-BIND-8");
        Assert.NotEqual(before, r.Next);
        Assert.Equal(1, r.Next.MmPasid[0]);
        Assert.Equal(before.DomKind.ToArray(), r.Next.DomKind.ToArray());
        Assert.Equal(before.PasidDomain.ToArray(), r.Next.PasidDomain.ToArray());
    }

    [Fact]
    public void An_sva_domain_left_only_on_a_rid_is_freed_when_the_rid_moves_to_another_domain()
    {
        // SVA-UNBIND-5 keeps the domain alive while a RID holds it; SVA-UNBIND-4 frees it when that RID leaves.
        var h = Harness.For("arm-smmuv3-sva-rid");
        h.Expect("sva_bind dev=gpu mm=mm0", "ok 1", "SVA-BIND-7");
        h.Expect("attach_rid dev=gpu domain=d0", "ok", "RID-ATTACH-6");
        h.Expect("sva_unbind dev=gpu mm=mm0", "ok", "SVA-UNBIND-5");
        Assert.Equal((int)Vocabulary.Operations.DomainKind.Sva, h.State.DomKind[0]);
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        var moved = h.Expect("replace_rid dev=gpu domain=d1", "ok", "SVA-UNBIND-4", "RID-REPLACE-2");
        Assert.Equal((int)Vocabulary.Operations.DomainKind.Free, h.State.DomKind[0]);
        Assert.Empty(h.Violations());

        // A paging domain left behind is not freed, and the rules say nothing about SVA.
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        var again = h.Expect("replace_rid dev=gpu domain=d0", "ok", "RID-REPLACE-2");
        Assert.DoesNotContain("SVA-UNBIND-4", again.Rules);
        Assert.Equal((int)Vocabulary.Operations.DomainKind.Paging, h.State.DomKind[1]);
        Assert.Contains("SVA-UNBIND-4", moved.Rules);
    }
}
