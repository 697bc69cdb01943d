using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Engine.Tests;

/// <summary>What the engine's caches hold after each operation: which translations fill them, which hits refill the
/// device TLB, and exactly what each invalidation removes. The lockstep properties check results only; a cache that
/// filled nothing, or flushed everything on every change, would pass them.</summary>
public sealed class EngineCacheTests
{
    private static TranslationEngine Start(string model)
    {
        var h = new LockstepHarness(model);
        var e = new TranslationEngine();
        e.Start(h.Model.Policy, h.Scope);
        return e;
    }

    private static void Ok(TranslationEngine e, Op op) => Assert.True(e.ApplyOne(op).IsSuccess, $"{op}: {e.ApplyOne(op)}");

    /// <summary>gpu (ATS) on d0 with IOVAs 0 and 1 mapped, nic (no ATS) on d1 with IOVA 0 mapped read-only.</summary>
    private static TranslationEngine TwoDomains(string model)
    {
        var e = Start(model);
        Assert.Equal(Result.OkDomain(0), e.ApplyOne(new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1)));
        Assert.Equal(Result.OkDomain(1), e.ApplyOne(new AllocDomain(1, DomainKind.Paging, AllocFlags.None, -1)));
        Ok(e, new AttachRid(0, DomainRef.Slot(0)));
        Ok(e, new AttachRid(1, DomainRef.Slot(1)));
        Ok(e, new Map(0, 0, 0, Perm.RW));
        Ok(e, new Map(0, 1, 1, Perm.RW));
        Ok(e, new Map(1, 0, 1, Perm.R));
        return e;
    }

    /// <summary>Translates every mapped page of <see cref="TwoDomains"/> once: gpu's IOVAs 0 and 1, nic's IOVA 0.</summary>
    private static void WarmAll(TranslationEngine e)
    {
        foreach (var (dev, iova) in new[] { (0, 0), (0, 1), (1, 0) })
        {
            Assert.True(e.ApplyOne(new Translate(dev, 0, iova, Access.Read)).IsSuccess);
        }
    }

    private static (int Iotlb, int GpuDevTlb) Counts(TranslationEngine e) => (e.Iotlb.Count, e.DevTlbOf(0)!.Count);

    [Fact]
    public void A_walk_fills_the_iotlb_and_the_device_tlb_and_a_hit_fills_nothing_new()
    {
        var e = TwoDomains("intel-vtd");
        Assert.Null(e.DevTlbOf(1));
        Assert.Equal((0, 0), Counts(e));
        Assert.Equal(Result.Pa(0), e.ApplyOne(new Translate(0, 0, 0, Access.Read)));
        Assert.Equal((1, 1), Counts(e));
        Assert.Equal(Result.Pa(0), e.ApplyOne(new Translate(0, 0, 0, Access.Write)));
        Assert.Equal((1, 1), Counts(e));
        Assert.Equal(Result.Pa(1), e.ApplyOne(new Translate(0, 0, 1, Access.Read)));
        Assert.Equal((2, 2), Counts(e));
        Assert.Equal(Result.Pa(1), e.ApplyOne(new Translate(1, 0, 0, Access.Read)));
        Assert.Equal((3, 2), Counts(e));

        // A permission fault is answered from the cache and fills nothing.
        Assert.Equal(Result.Fault(FaultReason.Permission), e.ApplyOne(new Translate(1, 0, 0, Access.Write)));
        Assert.Equal((3, 2), Counts(e));

        // Faults before a leaf fill nothing: not present, blocked, PASID without a domain.
        Assert.Equal(Result.Fault(FaultReason.NotPresent), e.ApplyOne(new Translate(1, 0, 1, Access.Read)));
        Assert.Equal(Result.Fault(FaultReason.Blocked), e.ApplyOne(new Translate(3, 0, 0, Access.Read)));
        Assert.Equal(Result.Fault(FaultReason.PasidNotAttached), e.ApplyOne(new Translate(0, 1, 0, Access.Read)));
        Assert.Equal((3, 2), Counts(e));
    }

    [Fact]
    public void An_iotlb_hit_refills_the_device_tlb()
    {
        var e = TwoDomains("intel-vtd");
        e.ApplyOne(new Translate(0, 0, 0, Access.Read));
        e.DevTlbOf(0)!.Clear();
        Assert.Equal((1, 0), Counts(e));
        Assert.Equal(Result.Pa(0), e.ApplyOne(new Translate(0, 0, 0, Access.Read)));
        Assert.Equal((1, 1), Counts(e));
    }

    [Fact]
    public void An_identity_domain_translates_without_caching()
    {
        var e = TwoDomains("intel-vtd");
        Ok(e, new AttachRid(3, DomainRef.Identity));
        Assert.True(e.ApplyOne(new Translate(3, 0, 1, Access.Write)).IsSuccess);
        Assert.Equal(0, e.Iotlb.Count);
    }

    [Fact]
    public void A_strict_unmap_removes_exactly_that_page_from_both_caches()
    {
        var e = TwoDomains("intel-vtd");
        WarmAll(e);
        Assert.Equal((3, 2), Counts(e));
        Assert.Equal(Result.OkWith(1), e.ApplyOne(new Unmap(0, 0)));
        Assert.Equal((2, 1), Counts(e));
        Assert.Equal(Result.OkWith(0), e.ApplyOne(new Unmap(0, 0)));
        Assert.Equal((2, 1), Counts(e));
        Assert.Equal(Result.Fault(FaultReason.NotPresent), e.ApplyOne(new Translate(0, 0, 0, Access.Read)));
        Assert.Equal(Result.Pa(1), e.ApplyOne(new Translate(0, 0, 1, Access.Read)));
    }

    [Fact]
    public void A_detach_flushes_the_detached_contexts_tag_only_and_invalidate_all_flushes_everything()
    {
        var e = TwoDomains("intel-vtd");
        e.ApplyOne(new Translate(0, 0, 0, Access.Read));
        e.ApplyOne(new Translate(1, 0, 0, Access.Read));
        Assert.Equal((2, 1), Counts(e));
        Ok(e, new DetachRid(1));
        Assert.Equal((1, 1), Counts(e));
        Ok(e, new ReplaceRid(0, DomainRef.Slot(1)));
        Assert.Equal((0, 0), Counts(e));
        e.ApplyOne(new Translate(0, 0, 0, Access.Read));
        Assert.Equal((1, 1), Counts(e));
        Ok(e, new Invalidate(InvalidateScope.All));
        Assert.Equal((0, 0), Counts(e));
    }

    [Fact]
    public void Without_flush_on_detach_a_detached_contexts_entries_stay()
    {
        var e = TwoDomains("arm-smmuv3-no-flush-on-detach");
        e.ApplyOne(new Translate(0, 0, 0, Access.Read));
        e.ApplyOne(new Translate(1, 0, 0, Access.Read));
        Assert.Equal((2, 1), Counts(e));
        Ok(e, new DetachRid(1));
        Ok(e, new DetachRid(0));
        Assert.Equal((2, 1), Counts(e));
    }

    [Fact]
    public void A_deferred_unmap_waits_in_the_queue_until_a_flush_queue_invalidation()
    {
        var e = TwoDomains("intel-flush-queue");
        WarmAll(e);
        Assert.Equal((3, 2), Counts(e));
        Assert.Equal(Result.OkWith(1), e.ApplyOne(new Unmap(0, 0)));
        Assert.Equal(Result.OkWith(1), e.ApplyOne(new Unmap(1, 0)));
        Assert.Equal((3, 2), Counts(e));
        Assert.Equal(Result.OkWith(0), e.ApplyOne(new Unmap(0, 0)));
        Ok(e, new Invalidate(InvalidateScope.Fq));
        Assert.Equal((1, 1), Counts(e));
        Assert.Equal(Result.Fault(FaultReason.NotPresent), e.ApplyOne(new Translate(0, 0, 0, Access.Read)));
        Assert.Equal(Result.Pa(1), e.ApplyOne(new Translate(0, 0, 1, Access.Read)));
        Ok(e, new Invalidate(InvalidateScope.Fq));
        Assert.Equal((1, 1), Counts(e));

        // After the queue drained, the page can be mapped again at once.
        Ok(e, new Map(0, 0, 1, Perm.R));
        Assert.Equal(Result.Pa(1), e.ApplyOne(new Translate(0, 0, 0, Access.Read)));
    }

    [Fact]
    public void The_fast_api_rejects_arguments_outside_the_scope_and_faults_above_48_bits()
    {
        var e = TwoDomains("intel-vtd");
        ulong top = PageTablePool.PageLimit << 12;
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Translate(5, 0, 0, Access.Read));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Translate(-1, 0, 0, Access.Read));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Translate(0, 3, 0, Access.Read));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Translate(0, -1, 0, Access.Read));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Map(2, 0, 0, Perm.R));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Map(-1, 0, 0, Perm.R));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Map(0, top, 0, Perm.R));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Unmap(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Unmap(-1, 0));

        // The last page below 2^48 maps and translates; the first page above faults without a walk.
        Assert.Equal(Result.Ok, e.Map(0, top - 4096, 5UL << 12, Perm.RW));
        Assert.Equal(Result.Pa(5), e.Translate(0, 0, top - 4096, Access.Write));
        Assert.Equal(Result.Fault(FaultReason.NotPresent), e.Translate(0, 0, top, Access.Read));
        Assert.Equal(Result.Fault(FaultReason.NotPresent), e.Translate(0, 0, ulong.MaxValue, Access.Read));

        // Above the limit, a context that cannot issue the PASID still says so (narrow has PASIDs below 2).
        Assert.Equal(Result.Fault(FaultReason.NoContext), e.Translate(4, 2, top, Access.Read));
        Assert.Equal(Result.Fault(FaultReason.NoContext), e.Translate(4, 2, 0, Access.Read));
        Assert.Equal(Result.Fault(FaultReason.NoContext), e.Translate(3, 1, top, Access.Read));
    }

    [Fact]
    public void Map_and_unmap_refuse_free_and_non_paging_slots_and_a_mapped_page()
    {
        var e = TwoDomains("intel-vtd");
        Assert.Equal(Result.Err(Errno.EEXIST), e.ApplyOne(new Map(0, 0, 1, Perm.R)));
        Ok(e, new DetachRid(1));
        Ok(e, new FreeDomain(1));
        Assert.Equal(Result.Err(Errno.ENOENT), e.ApplyOne(new Map(1, 0, 0, Perm.R)));
        Assert.Equal(Result.Err(Errno.ENOENT), e.ApplyOne(new Unmap(1, 0)));
        Ok(e, new SvaBind(0, 0));
        Assert.Equal(Result.Err(Errno.EINVAL), e.ApplyOne(new Map(1, 0, 0, Perm.R)));
        Assert.Equal(Result.Err(Errno.EINVAL), e.ApplyOne(new Unmap(1, 0)));
    }
}
