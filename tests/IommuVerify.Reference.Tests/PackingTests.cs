using IommuVerify.Reference.State;
using Xunit;

namespace IommuVerify.Reference.Tests;

/// <summary>The packed encodings of page-table entries, IOTLB tags and cache entries round-trip every field.</summary>
public sealed class PackingTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(5, 1)]
    [InlineData(1000, 3)]
    public void A_pte_keeps_its_page_and_permission(int pa, int perm)
    {
        int pte = Pte.Make(pa, perm);
        Assert.Equal(pa, Pte.Pa(pte));
        Assert.Equal(perm, Pte.Perm(pte));
        Assert.Equal(perm == 3, Pte.Writable(pte));
        Assert.NotEqual(0, pte);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2)]
    [InlineData(Tag.PerDeviceDidBase + 3, 1)]
    [InlineData(Tag.SharedSvaDid, 255)]
    public void A_tag_keeps_its_domain_id_and_pasid(int did, int pasid)
    {
        int tag = Tag.Make(did, pasid);
        Assert.Equal(did, Tag.Did(tag));
        Assert.Equal(pasid, Tag.Pasid(tag));
        Assert.NotEqual(Tag.None, tag);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(0x1203, 7, 0xFFFFF)]
    [InlineData(0x3C05, 0xFFF, 13)]
    public void An_iotlb_entry_keeps_tag_iova_and_pte(int tag, int iova, int pte)
    {
        long e = Entry.Iotlb(tag, iova, pte);
        Assert.Equal(tag, Entry.IotlbTag(e));
        Assert.Equal(iova, Entry.Iova(e));
        Assert.Equal(pte, Entry.PteOf(e));
    }

    [Theory]
    [InlineData(0, 0, 0, 1)]
    [InlineData(3, 2, 1, 7)]
    [InlineData(9, 255, 0xFFF, 0xFFFFF)]
    public void A_device_tlb_entry_keeps_device_pasid_iova_and_pte(int dev, int pasid, int iova, int pte)
    {
        long e = Entry.DevTlb(dev, pasid, iova, pte);
        Assert.Equal(dev, Entry.Dev(e));
        Assert.Equal(pasid, Entry.DevPasid(e));
        Assert.Equal(iova, Entry.Iova(e));
        Assert.Equal(pte, Entry.PteOf(e));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 3)]
    [InlineData(7, 0xFFFFF)]
    public void A_flush_queue_entry_keeps_slot_and_iova(int slot, int iova)
    {
        long e = Entry.Fq(slot, iova);
        Assert.Equal(slot, Entry.FqSlot(e));
        Assert.Equal(iova, Entry.FqIova(e));
    }

    [Fact]
    public void Entries_order_by_their_leading_field()
    {
        // The caches are sorted sets of these longs; the leading field decides the order.
        Assert.True(Entry.Iotlb(1, 0xFFF, 0xFFFFF) < Entry.Iotlb(2, 0, 1));
        Assert.True(Entry.DevTlb(0, 255, 0xFFF, 0xFFFFF) < Entry.DevTlb(1, 0, 0, 1));
        Assert.True(Entry.Fq(0, 0xFFFFF) < Entry.Fq(1, 0));
    }
}
