using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>The context functions the caches are keyed by: domain IDs, IOTLB tags, the table a context walks, and
/// what exactly an invalidation removes (spec TLB-TAG-*, UNMAP-FLUSH-*, TLB-DETACH-1).</summary>
public sealed class ContextTests
{
    private static View V(Harness h) => View.Of(h.State);

    [Fact]
    public void Intel_tags_a_pasid_context_with_its_domains_id_and_the_pasid_and_sva_shares_one_id()
    {
        var h = Harness.For("intel-vtd");
        int gpu = h.DevIndex("gpu");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        Assert.Equal(Tag.None, h.Model.TagOf(V(h), gpu, 0));
        Assert.Equal(-1, h.Model.TableOf(V(h), gpu, 0));
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("attach_pasid dev=gpu pasid=1 domain=d0");
        Assert.Equal(1, h.Model.DidOf(V(h), 0, gpu));
        Assert.Equal(Tag.Make(1, 0), h.Model.TagOf(V(h), gpu, 0));
        Assert.Equal(Tag.Make(1, 1), h.Model.TagOf(V(h), gpu, 1));
        Assert.Equal(0, h.Model.TableOf(V(h), gpu, 1));

        int nic = h.DevIndex("nic");
        var bind = h.Do("sva_bind dev=nic mm=mm1");
        Assert.False(bind.Failed, string.Join(" ", bind.Rules) + " " + string.Join(" ", bind.Allowed));
        int p = h.State.MmPasid[1];
        int sva = h.State.DomKind.ToList().IndexOf((int)DomainKind.Sva);
        Assert.Equal(Tag.SharedSvaDid, h.Model.DidOf(V(h), sva, nic));
        Assert.Equal(Tag.Make(Tag.SharedSvaDid, p), h.Model.TagOf(V(h), nic, p));
        Assert.Equal(ReferenceModel.MmTableBase + 1, h.Model.TableOf(V(h), nic, p));
        Assert.Equal(h.Model.MmPte(1, 0), h.Model.SlotPte(V(h), sva, 0));
    }

    [Fact]
    public void Amd_v2_with_per_device_ids_tags_by_device_and_v1_tags_pasids_with_the_rid_domain()
    {
        var v2 = Harness.For("amd-v2-per-device-did");
        int nic = v2.DevIndex("nic");
        v2.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        Assert.Equal(Tag.PerDeviceDidBase + nic, v2.Model.DidOf(V(v2), 0, nic));
        Assert.NotEqual(v2.Model.DidOf(V(v2), 0, v2.DevIndex("gpu")), v2.Model.DidOf(V(v2), 0, nic));

        var v1 = Harness.For("amd-vi-v1");
        int gpu = v1.DevIndex("gpu");
        v1.Do("alloc_domain dev=gpu kind=paging flags=none");
        v1.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        Assert.Equal(1, v1.Model.DidOf(V(v1), 0, gpu)); // v1 page tables keep per-domain ids
        // Without a RID domain a PASID context is tagged with the device's own id; with one, with that domain's id.
        Assert.Equal(Tag.Make(Tag.PerDeviceDidBase + gpu, 1), v1.Model.TagOf(V(v1), gpu, 1));
        v1.Do("attach_rid dev=gpu domain=d1");
        Assert.Equal(Tag.Make(v1.Model.DidOf(V(v1), 1, gpu), 1), v1.Model.TagOf(V(v1), gpu, 1));
    }

    [Fact]
    public void Arm_tags_a_pasid_context_with_the_domain_alone()
    {
        var h = Harness.For("arm-smmuv3");
        int gpu = h.DevIndex("gpu");
        h.Do("alloc_domain dev=gpu kind=paging flags=none");
        h.Do("attach_pasid dev=gpu pasid=1 domain=d0");
        Assert.Equal(Tag.Make(1, 0), h.Model.TagOf(V(h), gpu, 1));
        Assert.Equal(Tag.None, h.Model.TagOf(V(h), gpu, 0));
    }

    [Fact]
    public void An_mm_maps_every_page_read_write_shifted_by_the_mm()
    {
        var h = Harness.For("intel-vtd");
        int phys = h.Scope.PhysPages;
        for (int mm = 0; mm < 2; mm++)
        {
            for (int iova = 0; iova < h.Scope.IovaPages; iova++)
            {
                int pte = h.Model.MmPte(mm, iova);
                Assert.Equal((iova + mm + 1) % phys, Pte.Pa(pte));
                Assert.True(Pte.Writable(pte));
            }
        }
    }

    [Fact]
    public void Unmap_removes_only_that_page_from_the_iotlb_and_the_device_tlb()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        h.Do("map domain=d0 iova=0 pa=0 perm=rw");
        h.Do("map domain=d0 iova=1 pa=1 perm=r");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("translate dev=gpu pasid=0 iova=0 access=read");
        h.Do("translate dev=gpu pasid=0 iova=1 access=read");
        Assert.Equal(2, h.State.Iotlb.Count);
        int devtlb = h.State.DevTlb.Count;
        Assert.Equal(2, devtlb); // the gpu has ATS
        h.Do("unmap domain=d0 iova=0");
        Assert.Equal([1], h.State.Iotlb.Select(Entry.Iova));
        Assert.Equal([1], h.State.DevTlb.Select(Entry.Iova));
    }

    [Fact]
    public void A_detach_flushes_the_changed_context_and_keeps_the_others()
    {
        var h = Harness.For("intel-vtd");
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        h.Do("map domain=d0 iova=0 pa=0 perm=rw");
        h.Do("attach_rid dev=gpu domain=d0");
        h.Do("attach_pasid dev=gpu pasid=1 domain=d0");
        h.Do("translate dev=gpu pasid=0 iova=0 access=read");
        h.Do("translate dev=gpu pasid=1 iova=0 access=read");
        Assert.Equal(2, h.State.Iotlb.Count);
        Assert.Equal(2, h.State.DevTlb.Count);
        h.Do("detach_pasid dev=gpu pasid=1");
        Assert.Equal([0], h.State.Iotlb.Select(e => Tag.Pasid(Entry.IotlbTag(e))));
        Assert.Equal([0], h.State.DevTlb.Select(Entry.DevPasid));
    }

    [Fact]
    public void Freeing_a_domain_clears_its_slot_entirely()
    {
        var h = Harness.For("intel-vtd");
        var before = h.State;
        h.Do("alloc_domain dev=gpu kind=paging flags=pasid");
        h.Do("map domain=d0 iova=0 pa=1 perm=rw");
        h.Do("map domain=d0 iova=1 pa=0 perm=r");
        h.Expect("free_domain domain=d0", "ok");
        Assert.Equal(before, h.State);
        Assert.Equal(-1, h.State.DomParent[0]);
        Assert.Equal(-1, h.State.DomMm[0]);
        Assert.All(h.State.Ptes, p => Assert.Equal(0, p));
    }
}
