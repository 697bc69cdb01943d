using System.Collections.Immutable;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Engine.Tests;

/// <summary>Stale translations the property search found (shrunk), pinned as replays, plus the flush-queue reuse case.</summary>
public sealed class PinnedStaleTests
{
    private static void AssertStaleAtEnd(string model, ImmutableArray<Op> ops, Result stale, Result walk)
    {
        var steps = new LockstepHarness(model).Run(ops);
        Assert.Equal(ops.Length, steps.Length);
        Assert.All(steps, s => Assert.True(s.Conforms));
        Assert.True(steps[^1].Stale);
        Assert.Equal(stale, steps[^1].Got);
        Assert.Equal(walk, steps[^1].Allowed[0]);
    }

    [Fact]
    public void Smmuv3_without_flush_on_detach_keeps_the_replaced_pasid_domain_cached()
    {
        AssertStaleAtEnd(
            "arm-smmuv3-no-flush-on-detach",
            [
                new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1),
                new AttachPasid(0, 1, 0),
                new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1),
                new Map(0, 1, 0, Perm.R),
                new Translate(0, 1, 1, Access.Read),
                new ReplacePasid(0, 1, 1),
                new Translate(0, 1, 1, Access.Read),
            ],
            Result.Pa(0),
            Result.Fault(FaultReason.NotPresent));
    }

    [Fact]
    public void Amd_v2_per_domain_did_lets_a_second_device_hit_the_first_devices_sva_entry()
    {
        AssertStaleAtEnd(
            "amd-v2-per-domain-did",
            [
                new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1),
                new SvaBind(0, 0),
                new AttachRid(0, DomainRef.Slot(0)),
                new Translate(0, 1, 0, Access.Read),
                new AttachRid(1, DomainRef.Slot(0)),
                new Translate(1, 1, 0, Access.Read),
            ],
            Result.Pa(1),
            Result.Fault(FaultReason.PasidNotAttached));
    }

    [Fact]
    public void Unmap_that_flushes_only_rid_tags_leaves_the_pasid_entry()
    {
        AssertStaleAtEnd(
            "intel-unmap-forgets-pasid",
            [
                new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1),
                new AttachPasid(1, 1, 0),
                new Map(0, 1, 0, Perm.R),
                new Translate(1, 1, 1, Access.Read),
                new Unmap(0, 1),
                new Translate(1, 1, 1, Access.Read),
            ],
            Result.Pa(0),
            Result.Fault(FaultReason.NotPresent));
    }

    [Fact]
    public void Flush_queue_iova_reuse_returns_the_old_page_for_a_remapped_iova()
    {
        AssertStaleAtEnd(
            "intel-flush-queue-reuse",
            [
                new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1),
                new AttachPasid(1, 1, 0),
                new Map(0, 1, 0, Perm.R),
                new Translate(1, 1, 1, Access.Read),
                new Unmap(0, 1),
                new Map(0, 1, 1, Perm.R),
                new Translate(1, 1, 1, Access.Read),
            ],
            Result.Pa(0),
            Result.Pa(1));
    }

    [Fact]
    public void Flush_queue_without_reuse_refuses_the_remap_until_the_flush()
    {
        var steps = new LockstepHarness("intel-flush-queue").Run(
        [
            new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1),
            new AttachPasid(1, 1, 0),
            new Map(0, 1, 0, Perm.R),
            new Translate(1, 1, 1, Access.Read),
            new Unmap(0, 1),
            new Map(0, 1, 1, Perm.R),
        ]);
        Assert.All(steps, s => Assert.True(s.Conforms));
        Assert.Equal(Result.Err(Errno.EBUSY), steps[^1].Got);
    }
}
