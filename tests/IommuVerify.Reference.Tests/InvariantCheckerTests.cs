using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>Each invariant's checks, on states no correct model reaches: a reachable state is corrupted in one place and
/// the checker must name exactly that fault (and stay quiet on the uncorrupted state).</summary>
public sealed class InvariantCheckerTests
{
    private static IommuState Corrupt(Harness h, Action<Draft> change)
    {
        var d = new Draft(h.State);
        change(d);
        return d.Freeze();
    }

    private static List<string> Messages(Harness h, IommuState s, string id) =>
        [.. h.Checker.Check(s, id).Select(v => v.Witness)];

    /// <summary>Asserts that <paramref name="s"/> breaks exactly invariant <paramref name="id"/>, with one violation
    /// whose message contains <paramref name="text"/>.</summary>
    private static void AssertOnly(Harness h, IommuState s, string id, string text)
    {
        Assert.True(h.Checker.Holds(h.State), "the uncorrupted state must hold: " + string.Join("; ", h.Checker.Check(h.State).Select(v => v.Witness)));
        var all = h.Checker.Check(s);
        Assert.False(h.Checker.Holds(s));
        Assert.True(all.Length == 1, $"expected one violation of {id}, got: {string.Join("; ", all.Select(v => $"{v.InvariantId}: {v.Witness}"))}");
        Assert.Equal(id, all[0].InvariantId);
        Assert.Contains(text, all[0].Witness, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_invariant_is_an_error()
    {
        var h = Harness.For("intel-vtd");
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Checker.Check(h.State, "INV-NOPE").ToList());
        Assert.True(h.Checker.Holds(h.State));
        Assert.Empty(h.Checker.Check(h.State));
    }

    [Fact]
    public void Sva_on_a_rid_is_a_violation_unless_the_policy_allows_it()
    {
        foreach (var (model, allowed) in new[] { ("intel-vtd", false), ("arm-smmuv3-sva-rid", true) })
        {
            var h = Harness.For(model);
            h.Do("sva_bind dev=gpu mm=mm0");
            int sva = h.State.DomKind.ToList().IndexOf((int)DomainKind.Sva);
            Assert.True(sva >= 0);
            var s = Corrupt(h, d => d.RidDomain[h.GroupOf("gpu")] = sva);
            if (allowed)
            {
                Assert.Empty(Messages(h, s, InvariantIds.SvaRid));
            }
            else
            {
                AssertOnly(h, s, InvariantIds.SvaRid, $"RID has SVA domain d{sva} (mm mm0)");
            }
        }
    }

    [Fact]
    public void A_pasid_on_a_device_without_pasid_support_or_beyond_its_range_is_a_violation()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");

        var legacy = Corrupt(h, d => d.PasidDomain[h.Model.L.GroupPasid(h.GroupOf("legacy"), 1)] = 0);
        AssertOnly(h, legacy, InvariantIds.PasidCap, "PASID 1 is attached but no device of the group supports PASID");

        int narrowMax = h.Scope.EffectiveMaxPasids(h.DevIndex("narrow"));
        Assert.True(narrowMax > 0 && narrowMax < h.Model.L.PasidRow, "the conformance scope has a narrow device");
        var narrow = Corrupt(h, d => d.PasidDomain[h.Model.L.GroupPasid(h.GroupOf("narrow"), narrowMax)] = 0);
        AssertOnly(h, narrow, InvariantIds.PasidCap, $"device narrow has PASID {narrowMax} attached but supports PASIDs below {narrowMax}");

        // Below the range is fine.
        var inRange = Corrupt(h, d => d.PasidDomain[h.Model.L.GroupPasid(h.GroupOf("narrow"), narrowMax - 1)] = 0);
        Assert.Empty(Messages(h, inRange, InvariantIds.PasidCap));
    }

    [Fact]
    public void A_pasid_domain_or_rid_domain_that_is_not_pasid_compatible_is_a_violation()
    {
        // AMD v1 page tables cannot serve a PASID: paging domains without the pasid flag are not compatible.
        var h = Harness.For("amd-vi-v1");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        int g = h.GroupOf("gpu");

        var onPasid = Corrupt(h, d => d.PasidDomain[h.Model.L.GroupPasid(g, 1)] = 0);
        AssertOnly(h, onPasid, InvariantIds.PasidCap, "PASID 1 has domain d0, which is not PASID-compatible");

        var onRid = Corrupt(h, d =>
        {
            d.PasidDomain[h.Model.L.GroupPasid(g, 1)] = 1;
            d.RidDomain[g] = 0;
        });
        AssertOnly(h, onRid, InvariantIds.PasidCap, "has PASIDs attached but its RID domain d0 is not PASID-compatible");

        var compatible = Corrupt(h, d => d.PasidDomain[h.Model.L.GroupPasid(g, 1)] = 1);
        Assert.True(h.Checker.Holds(compatible));
    }

    [Fact]
    public void Vpasid_tables_must_be_injective_owned_by_the_vm_and_identity_under_the_identity_scheme()
    {
        var h = Harness.For("vpasid-allocated-checked");
        h.Do("vpasid_alloc vm=vm0 vpasid=1");
        h.Do("vpasid_alloc vm=vm0 vpasid=2");
        var L = h.Model.L;
        int p1 = h.State.VpasidTable[L.VmVpasid(0, 1)];
        int p2 = h.State.VpasidTable[L.VmVpasid(0, 2)];
        Assert.True(p1 > 0 && p2 > 0 && p1 != p2);

        var twoToOne = Corrupt(h, d =>
        {
            d.VpasidTable[L.VmVpasid(0, 2)] = p1;
            d.PasidOwner[p2] = 0;
        });
        AssertOnly(h, twoToOne, InvariantIds.VpasidBij, $"VM vm0 maps vPASIDs 1 and 2 to the same pPASID {p1}");

        var notOwned = Corrupt(h, d => d.PasidOwner[p2] = 0);
        AssertOnly(h, notOwned, InvariantIds.VpasidBij, $"VM vm0 vPASID 2 maps to pPASID {p2}, which the global allocator does not give to that VM");

        var guest = Corrupt(h, d => d.GuestPasid[L.DevPasid(h.DevIndex("pt0"), 1)] = 2);
        AssertOnly(h, guest, InvariantIds.VpasidBij, "pass-through device pt0 emits vPASID 2 but its domain is on pPASID 1");

        var identityGuest = Corrupt(h, d => d.GuestPasid[L.DevPasid(h.DevIndex("pt0"), 1)] = 1);
        Assert.Empty(Messages(h, identityGuest, InvariantIds.VpasidBij));

        var identity = Harness.For("vpasid-identity");
        identity.Do("vpasid_alloc vm=vm0 vpasid=1");
        int ip = identity.State.VpasidTable[identity.Model.L.VmVpasid(0, 1)];
        Assert.Equal(1, ip);
        var shifted = Corrupt(identity, d =>
        {
            d.VpasidTable[identity.Model.L.VmVpasid(0, 1)] = 2;
            d.PasidOwner[1] = 0;
            d.PasidOwner[2] = Layout.VmOwnerBase;
        });
        AssertOnly(identity, shifted, InvariantIds.VpasidBij, "VM vm0 vPASID 1 maps to pPASID 2 under the identity scheme");
    }

    [Fact]
    public void An_mm_pasid_owned_by_someone_else_is_a_violation()
    {
        var h = Harness.For("intel-vtd");
        h.Do("sva_bind dev=gpu mm=mm0");
        int p = h.State.MmPasid[0];
        Assert.True(p > 0);
        var s = Corrupt(h, d => d.PasidOwner[p] = 2);
        AssertOnly(h, s, InvariantIds.VpasidBij, $"mm mm0 has PASID {p}, which the global allocator gives to another owner");
    }

    [Fact]
    public void Attachments_to_freed_slots_and_idle_sva_domains_are_violations()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        int g = h.GroupOf("gpu");

        var rid = Corrupt(h, d => d.RidDomain[g] = 1);
        AssertOnly(h, rid, InvariantIds.DomainLive, "RID is attached to freed slot d1");

        var pasid = Corrupt(h, d => d.PasidDomain[h.Model.L.GroupPasid(g, 1)] = 1);
        var msgs = Messages(h, pasid, InvariantIds.DomainLive);
        Assert.Equal(["group " + h.Scope.Groups[g] + " PASID 1 is attached to freed slot d1"], msgs);

        var sva = Harness.For("intel-vtd");
        sva.Do("sva_bind dev=gpu mm=mm0");
        int slot = sva.State.DomKind.ToList().IndexOf((int)DomainKind.Sva);
        var idle = Corrupt(sva, d => d.DomUsers[slot] = 0);
        Assert.Equal([$"SVA domain d{slot} is live with no users and on no RID"], Messages(sva, idle, InvariantIds.DomainLive));
        var kept = Corrupt(sva, d => d.DomUsers[slot] = 2);
        Assert.Empty(Messages(sva, kept, InvariantIds.DomainLive));
    }

    [Fact]
    public void A_nested_domain_whose_parent_was_freed_is_a_violation()
    {
        var h = Harness.For("intel-vtd");
        var r = h.Do("alloc_domain dev=gpu kind=paging flags=nest_parent");
        Assert.False(r.Failed, string.Join(" ", r.Rules));
        r = h.Do("alloc_domain dev=gpu kind=nested flags=none parent=d0");
        Assert.False(r.Failed, string.Join(" ", r.Rules));
        var s = Corrupt(h, d => d.DomKind[0] = (int)DomainKind.Free);
        Assert.Equal(["nested domain d1 has freed parent d0"], Messages(h, s, InvariantIds.DomainLive));
    }

    [Fact]
    public void A_bound_device_whose_mm_pasid_lost_its_sva_domain_is_a_violation()
    {
        var h = Harness.For("intel-vtd");
        h.Do("sva_bind dev=gpu mm=mm0");
        int p = h.State.MmPasid[0];
        var L = h.Model.L;
        var noPasid = Corrupt(h, d => d.MmPasid[0] = 0);
        Assert.Contains("device gpu is bound to mm mm0 but PASID 0 does not carry an SVA domain of that mm", Messages(h, noPasid, InvariantIds.MmPasid));

        var detached = Corrupt(h, d => d.PasidDomain[L.GroupPasid(h.GroupOf("gpu"), p)] = -1);
        Assert.Equal([$"device gpu is bound to mm mm0 but PASID {p} does not carry an SVA domain of that mm"], Messages(h, detached, InvariantIds.MmPasid));

        int slot = h.State.DomKind.ToList().IndexOf((int)DomainKind.Sva);
        var otherMm = Corrupt(h, d => d.DomMm[slot] = 1);
        Assert.Single(Messages(h, otherMm, InvariantIds.MmPasid));
        var paging = Corrupt(h, d => d.DomKind[slot] = (int)DomainKind.Paging);
        Assert.Single(Messages(h, paging, InvariantIds.MmPasid));
    }

    [Fact]
    public void A_lost_mm_pasid_is_a_violation_even_when_slot_1_holds_that_mms_sva_domain()
    {
        // Slot 0 is a paging domain, so the SVA domain of mm0 lands in slot 1: a checker that read "no PASID" as slot 1
        // (or any slot) would find the right SVA domain there and miss the lost PASID.
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("sva_bind dev=gpu mm=mm0");
        Assert.Equal((int)DomainKind.Sva, h.State.DomKind[1]);
        Assert.Equal(0, h.State.DomMm[1]);
        var noPasid = Corrupt(h, d => d.MmPasid[0] = 0);
        AssertOnly(h, noPasid, InvariantIds.MmPasid, "device gpu is bound to mm mm0 but PASID 0 does not carry an SVA domain of that mm");
    }

    [Fact]
    public void A_stale_iotlb_or_device_tlb_entry_is_named_with_its_tag_page_and_both_translations()
    {
        // The nic has no ATS, so its translation is cached in the IOTLB only; the gpu's (ATS) lands in its device TLB.
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=nic kind=paging flags=none");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("attach_rid dev=nic domain=d0");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("translate dev=nic pasid=0 iova=0 access=read");
        h.Do("translate dev=gpu pasid=0 iova=0 access=read");
        Assert.NotEmpty(h.State.Iotlb);
        Assert.NotEmpty(h.State.DevTlb);
        var L = h.Model.L;

        // The table loses the page: every cached copy is stale against "no translation".
        var unmapped = Corrupt(h, d => d.Ptes[L.Pte(0, 0)] = 0);
        var gone = Messages(h, unmapped, InvariantIds.TlbCoh);
        Assert.Contains("IOTLB entry (did 1, pasid 0, iova 0) -> pa 1 rw is stale for nic/pasid 0, whose walk gives no translation", gone);
        Assert.Contains("device-TLB entry of gpu (pasid 0, iova 0) -> pa 1 rw is stale: the walk gives no translation", gone);
        Assert.All(gone, m => Assert.DoesNotContain("pasid 1", m, StringComparison.Ordinal));

        // The table now maps another page read-only.
        var moved = Corrupt(h, d => d.Ptes[L.Pte(0, 0)] = Pte.Make(2, 1));
        var changed = Messages(h, moved, InvariantIds.TlbCoh);
        Assert.Contains("IOTLB entry (did 1, pasid 0, iova 0) -> pa 1 rw is stale for nic/pasid 0, whose walk gives pa 2 r", changed);
        Assert.Contains("device-TLB entry of gpu (pasid 0, iova 0) -> pa 1 rw is stale: the walk gives pa 2 r", changed);

        // Only the permission changes: still stale, and the text shows which way.
        var readOnly = Corrupt(h, d => d.Ptes[L.Pte(0, 0)] = Pte.Make(1, 1));
        Assert.Contains("device-TLB entry of gpu (pasid 0, iova 0) -> pa 1 rw is stale: the walk gives pa 1 r", Messages(h, readOnly, InvariantIds.TlbCoh));
        Assert.Empty(Messages(h, h.State, InvariantIds.TlbCoh));
    }

    [Fact]
    public void A_pasid_on_a_group_of_two_pasid_capable_devices_holds_and_an_unknown_invariant_is_named()
    {
        // Two PASID-capable devices share group g0: the group supports PASID because either does (both do).
        var scope = Harness.MakeScope([("a", 0, -1, 4, false), ("b", 0, -1, 4, false)], pasids: 1);
        var h = new Harness(Harness.LoadModel("intel-vtd").Policy, scope);
        h.Do("alloc_domain dev=a kind=paging flags=pasid");
        var attached = Corrupt(h, d => d.PasidDomain[h.Model.L.GroupPasid(0, 1)] = 0);
        Assert.Empty(Messages(h, attached, InvariantIds.PasidCap));
        Assert.True(h.Checker.Holds(attached), string.Join("; ", h.Checker.Check(attached).Select(v => v.Witness)));

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => h.Checker.Check(h.State, "INV-NOPE").ToList());
        Assert.Equal("id", e.ParamName);
        Assert.Equal("INV-NOPE", e.ActualValue);
        Assert.StartsWith("unknown invariant", e.Message, StringComparison.Ordinal);
    }
}
