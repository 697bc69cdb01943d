using System.Collections.Immutable;
using IommuVerify.Engine.Benchmarking;
using IommuVerify.Engine.Fuzzing;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Engine.Tests;

public sealed class SetAssociativeTlbTests
{
    [Fact]
    public void Full_set_evicts_round_robin()
    {
        var tlb = new SetAssociativeTlb(1, 2);
        tlb.Fill(1, 10);
        tlb.Fill(2, 20);
        tlb.Fill(3, 30);
        Assert.False(tlb.TryGet(1, out _));
        Assert.True(tlb.TryGet(2, out ulong v2));
        Assert.Equal(20UL, v2);
        tlb.Fill(4, 40);
        Assert.False(tlb.TryGet(2, out _));
        Assert.True(tlb.TryGet(3, out _));
        Assert.Equal(2, tlb.Count);
    }

    [Fact]
    public void Fill_of_a_present_key_overwrites_and_remove_where_matches_the_mask()
    {
        var tlb = new SetAssociativeTlb(8, 4);
        tlb.Fill(0x100_0001, 1);
        tlb.Fill(0x100_0001, 2);
        tlb.Fill(0x200_0001, 3);
        Assert.Equal(2, tlb.Count);
        Assert.True(tlb.TryGet(0x100_0001, out ulong v));
        Assert.Equal(2UL, v);
        tlb.RemoveWhere(~0xFFFFFFUL, 0x100_0000);
        Assert.False(tlb.TryGet(0x100_0001, out _));
        Assert.True(tlb.TryGet(0x200_0001, out _));
    }
}

public sealed class PageTablePoolTests
{
    [Fact]
    public void A_mapping_takes_four_levels_and_freeing_returns_every_node()
    {
        var pool = new PageTablePool();
        int root = 0;
        ulong page = (3UL << 27) | (5UL << 18) | (7UL << 9) | 9;
        pool.At(pool.LeafSlot(ref root, page)) = Leaf.Make(42, 3);
        Assert.Equal(4, pool.LiveNodes);
        Assert.Equal(42UL, Leaf.PaPage(pool.Lookup(root, page)));
        Assert.Equal(0UL, pool.Lookup(root, page + 1));
        Assert.Equal(0UL, pool.Lookup(root, page ^ (1UL << 27)));
        pool.At(pool.LeafSlot(ref root, page + 1)) = Leaf.Make(43, 1);
        Assert.Equal(4, pool.LiveNodes);
        pool.FreeTree(root);
        Assert.Equal(0, pool.LiveNodes);
    }
}

public sealed class TranslationEngineTests
{
    private static readonly BenchWorkload Workload = new(1024);

    [Fact]
    public void Fast_api_translates_64_bit_iovas_through_the_page_table()
    {
        var e = Workload.Engine();
        Assert.Equal(Result.Pa(5 + 7), e.Translate(BenchWorkload.Nic, 0, (5UL << 12) | 0x123, Access.Write));
        Assert.Equal(Result.Fault(FaultReason.NotPresent), e.Translate(BenchWorkload.Nic, 0, 1UL << 40, Access.Read));
        Assert.Equal(Result.Ok, e.Map(0, 1UL << 40, 99UL << 12, Perm.R));
        Assert.Equal(Result.Pa(99), e.Translate(BenchWorkload.Nic, 0, 1UL << 40, Access.Read));
        Assert.Equal(Result.Fault(FaultReason.Permission), e.Translate(BenchWorkload.Nic, 0, 1UL << 40, Access.Write));
        Assert.Equal(Result.OkWith(1), e.Unmap(0, 1UL << 40));
        Assert.Equal(Result.Fault(FaultReason.NotPresent), e.Translate(BenchWorkload.Nic, 0, 1UL << 40, Access.Read));
        Assert.Equal(Result.Fault(FaultReason.Blocked), e.Translate(0, 0, 0, Access.Read));
    }

    [Fact]
    public void Hot_paths_allocate_nothing()
    {
        var e = Workload.Engine();
        ulong iova = 1UL << 30;
        for (int warm = 0; warm < 3; warm++)
        {
            e.Translate(BenchWorkload.Nic, 0, 5UL << 12, Access.Read);
            e.Translate(BenchWorkload.Nic, 0, (ulong)(warm + 100) << 12, Access.Read);
            e.Map(0, iova, iova, Perm.RW);
            e.Unmap(0, iova);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = 0;
        for (int i = 0; i < 10000; i++)
        {
            ok += e.Translate(BenchWorkload.Nic, 0, 5UL << 12, Access.Read).IsSuccess ? 1 : 0;
            ok += e.Translate(BenchWorkload.Nic, 0, (ulong)(i % 1024) << 12, Access.Read).IsSuccess ? 1 : 0;
            ok += e.Map(0, iova, iova, Perm.RW).IsSuccess ? 1 : 0;
            ok += e.Unmap(0, iova).IsSuccess ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(40000, ok);
    }

    [Fact]
    public void Pinned_amd_v2_alias_trace_returns_the_other_devices_translation()
    {
        // Found by the stale-translation property search on amd-v2-per-domain-did (shrunk), pinned as a replay.
        var h = new LockstepHarness("amd-v2-per-domain-did");
        ImmutableArray<Op> ops =
        [
            new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1),
            new AttachRid(0, DomainRef.Slot(0)),
            new AttachRid(1, DomainRef.Slot(0)),
            new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1),
            new AttachPasid(0, 1, 1),
            new Map(1, 0, 1, Perm.RW),
            new Translate(0, 1, 0, Access.Write),
            new Translate(1, 1, 0, Access.Read),
        ];
        var steps = h.Run(ops);
        Assert.Equal(ops.Length, steps.Length);
        Assert.All(steps, s => Assert.True(s.Conforms));
        Assert.Equal(Result.Pa(1), steps[^1].Got);
        Assert.Equal(Result.Fault(FaultReason.PasidNotAttached), steps[^1].Allowed[0]);
        Assert.True(steps[^1].Stale);
    }

    [Fact]
    public void Per_device_dids_keep_the_same_trace_coherent()
    {
        var h = new LockstepHarness("amd-v2-per-device-did");
        ImmutableArray<Op> ops =
        [
            new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1),
            new AttachRid(0, DomainRef.Slot(0)),
            new AttachRid(1, DomainRef.Slot(0)),
            new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1),
            new AttachPasid(0, 1, 1),
            new Map(1, 0, 1, Perm.RW),
            new Translate(0, 1, 0, Access.Write),
            new Translate(1, 1, 0, Access.Read),
        ];
        var steps = h.Run(ops);
        Assert.All(steps, s => Assert.True(s.Conforms));
        Assert.Equal(Result.Fault(FaultReason.PasidNotAttached), steps[^1].Got);
        Assert.DoesNotContain(steps, s => s.Stale);
    }

    [Fact]
    public void Map_then_translate_round_trips_any_48_bit_iova()
    {
        var e = Workload.Engine();
        var iovas = FsCheck.Fluent.Gen.Sample(Generators.Iova48, 50, new FsCheck.Rnd(ModelSets.DefaultSeed), 200);
        foreach (ulong iova in iovas.Distinct())
        {
            ulong page = iova >> 12;
            var mapped = e.Map(0, iova, (page + 3) << 12, Perm.R);
            var expected = page < (ulong)Workload.Pages ? Result.Err(Errno.EEXIST) : Result.Ok;
            Assert.Equal(expected, mapped);
            Assert.Equal(Result.Pa((int)(page < (ulong)Workload.Pages ? page + 7 : page + 3)), e.Translate(BenchWorkload.Nic, 0, iova, Access.Read));
        }
    }
}

public sealed class ShrinkerTests
{
    [Fact]
    public void Shrinks_to_the_one_operation_that_fails_with_the_smallest_arguments()
    {
        ImmutableArray<Op> ops =
        [
            new Translate(1, 2, 3, Access.Write),
            new Map(1, 3, 1, Perm.RW),
            new Invalidate(InvalidateScope.All),
            new Map(1, 1, 1, Perm.RW),
            new Unmap(0, 1),
        ];
        var small = Shrinker.Shrink(ops, l => l.Any(o => o is Map m && m.Iova >= 1));
        Assert.Equal(new Map(0, 1, 0, Perm.R), Assert.Single(small));
    }
}
