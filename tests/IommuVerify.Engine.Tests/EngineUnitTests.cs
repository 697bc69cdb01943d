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

public sealed class SetAssociativeTlbShapeTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 1)]
    [InlineData(-4, 1)]
    [InlineData(4, 0)]
    [InlineData(4, 256)]
    public void Sets_must_be_a_power_of_two_and_ways_1_to_255(int sets, int ways) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SetAssociativeTlb(sets, ways));

    [Fact]
    public void The_largest_shape_is_allowed_and_reports_itself()
    {
        var tlb = new SetAssociativeTlb(1, 255);
        Assert.Equal(1, tlb.Sets);
        Assert.Equal(255, tlb.Ways);
        for (ulong k = 1; k <= 255; k++)
        {
            tlb.Fill(k, k * 10);
        }

        Assert.Equal(255, tlb.Count);
        Assert.True(tlb.TryGet(255, out ulong v));
        Assert.Equal(2550UL, v);
    }

    [Fact]
    public void Fill_missed_takes_the_first_empty_way_then_the_round_robin_victim()
    {
        var tlb = new SetAssociativeTlb(1, 3);
        foreach (ulong k in new ulong[] { 1, 2, 3, 4, 5 })
        {
            Assert.False(tlb.TryGet(k, out ulong none, out int set));
            Assert.Equal(0UL, none);
            Assert.Equal(0, set);
            tlb.FillMissed(set, k, k + 100);
        }

        // 4 took way 0 (key 1), 5 took way 1 (key 2); 3 is still in way 2.
        Assert.False(tlb.TryGet(1, out _));
        Assert.False(tlb.TryGet(2, out _));
        Assert.True(tlb.TryGet(3, out ulong v3));
        Assert.Equal(103UL, v3);
        Assert.True(tlb.TryGet(5, out ulong v5));
        Assert.Equal(105UL, v5);
        Assert.Equal(3, tlb.Count);

        // A removed way is refilled before the victim moves on.
        tlb.Remove(4);
        Assert.False(tlb.TryGet(6, out _, out int s6));
        tlb.FillMissed(s6, 6, 106);
        Assert.True(tlb.TryGet(3, out _));
        Assert.True(tlb.TryGet(5, out _));
        Assert.True(tlb.TryGet(6, out ulong v6));
        Assert.Equal(106UL, v6);
        tlb.FillMissed(s6, 7, 107);
        Assert.False(tlb.TryGet(3, out _));
    }

    [Fact]
    public void The_set_returned_by_a_miss_is_where_fill_would_put_the_key()
    {
        var a = new SetAssociativeTlb(64, 2);
        var b = new SetAssociativeTlb(64, 2);
        var sets = new HashSet<int>();
        for (ulong k = 1; k <= 40; k++)
        {
            Assert.False(a.TryGet(k, out _, out int set));
            Assert.Equal(0, set % 2);
            sets.Add(set);
            a.FillMissed(set, k, k);
            b.Fill(k, k);
        }

        Assert.True(sets.Count > 20, $"{sets.Count} distinct sets for 40 keys");
        Assert.Equal(b.Count, a.Count);
        for (ulong k = 1; k <= 40; k++)
        {
            Assert.Equal(b.TryGet(k, out ulong vb), a.TryGet(k, out ulong va));
            Assert.Equal(vb, va);
        }
    }

    [Fact]
    public void Remove_takes_out_one_key_and_clear_empties_and_resets_the_victims()
    {
        var tlb = new SetAssociativeTlb(1, 2);
        tlb.Fill(1, 10);
        tlb.Fill(2, 20);
        tlb.Remove(2);
        tlb.Remove(99);
        Assert.Equal(1, tlb.Count);
        Assert.True(tlb.TryGet(1, out _));
        Assert.False(tlb.TryGet(2, out _));
        tlb.Fill(3, 30);
        tlb.Fill(4, 40);
        Assert.False(tlb.TryGet(1, out _));
        tlb.Clear();
        Assert.Equal(0, tlb.Count);
        Assert.False(tlb.TryGet(3, out _));
        tlb.Fill(5, 50);
        tlb.Fill(6, 60);
        tlb.Fill(7, 70);
        Assert.False(tlb.TryGet(5, out _));
        Assert.True(tlb.TryGet(6, out _));
    }

    [Fact]
    public void Remove_where_keeps_entries_outside_the_match_and_counts_what_is_left()
    {
        var tlb = new SetAssociativeTlb(16, 4);
        for (ulong tag = 1; tag <= 3; tag++)
        {
            for (ulong page = 1; page <= 4; page++)
            {
                tlb.Fill((tag << 32) | page, page);
            }
        }

        Assert.Equal(12, tlb.Count);
        tlb.RemoveWhere(0xFFFF_FFFF_0000_0000UL, 2UL << 32);
        Assert.Equal(8, tlb.Count);
        Assert.False(tlb.TryGet((2UL << 32) | 3, out _));
        Assert.True(tlb.TryGet((1UL << 32) | 3, out _));
        Assert.True(tlb.TryGet((3UL << 32) | 3, out ulong v));
        Assert.Equal(3UL, v);
        tlb.RemoveWhere(0xFFFF_FFFFUL, 4);
        Assert.Equal(6, tlb.Count);
        Assert.False(tlb.TryGet((1UL << 32) | 4, out _));
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

public sealed class PageTablePoolWalkTests
{
    private static readonly ulong Page = (3UL << 27) | (5UL << 18) | (7UL << 9) | 9;

    [Fact]
    public void An_empty_root_holds_nothing()
    {
        var pool = new PageTablePool();
        Assert.Equal(0UL, pool.Lookup(0, Page));
        Assert.Equal(-1, pool.FindLeafSlot(0, Page));
        pool.FreeTree(0);
        Assert.Equal(0, pool.LiveNodes);
        Assert.Equal(0L, pool.LiveBytes);
    }

    [Theory]
    [InlineData(27)]
    [InlineData(18)]
    [InlineData(9)]
    public void Each_level_index_selects_its_own_entry(int shift)
    {
        var pool = new PageTablePool();
        int root = 0;
        int slot = pool.LeafSlot(ref root, Page);
        pool.At(slot) = Leaf.Make(42, 3);
        Assert.Equal(slot, pool.FindLeafSlot(root, Page));
        ulong other = Page ^ (1UL << shift);
        Assert.Equal(0UL, pool.Lookup(root, other));
        Assert.Equal(-1, pool.FindLeafSlot(root, other));
        Assert.Equal(slot + 1, pool.FindLeafSlot(root, Page + 1));
        Assert.Equal(0UL, pool.Lookup(root, Page + 1));
        Assert.Equal(4, pool.LiveNodes);
        Assert.Equal(4L * 512 * 8, pool.LiveBytes);
    }

    [Fact]
    public void The_pool_grows_past_its_first_nodes_and_reuses_freed_ones_cleared()
    {
        var pool = new PageTablePool(initialNodes: 2);
        int root = 0;
        for (ulong i = 0; i < 20; i++)
        {
            pool.At(pool.LeafSlot(ref root, i << 27)) = Leaf.Make(100 + i, 1);
        }

        Assert.Equal(1 + (20 * 3), pool.LiveNodes);
        for (ulong i = 0; i < 20; i++)
        {
            Assert.Equal(100 + i, Leaf.PaPage(pool.Lookup(root, i << 27)));
        }

        pool.FreeTree(root);
        Assert.Equal(0, pool.LiveNodes);

        // Reused nodes come back empty: the old pages are gone from a new tree.
        int again = 0;
        pool.At(pool.LeafSlot(ref again, 1UL << 27)) = Leaf.Make(7, 1);
        Assert.Equal(4, pool.LiveNodes);
        for (ulong i = 0; i < 20; i++)
        {
            Assert.Equal(i == 1 ? 7UL : 0UL, Leaf.PaPage(pool.Lookup(again, i << 27)));
        }

        pool.Reserve(100);
        int third = 0;
        pool.At(pool.LeafSlot(ref third, Page)) = Leaf.Make(9, 3);
        Assert.Equal(9UL, Leaf.PaPage(pool.Lookup(third, Page)));
        Assert.Equal(7UL, Leaf.PaPage(pool.Lookup(again, 1UL << 27)));
        Assert.Equal(8, pool.LiveNodes);
    }
}

/// <summary>How the pool's array grows: never below two nodes, exactly to a reservation, by doubling otherwise.</summary>
public sealed class PageTablePoolCapacityTests
{
    /// <summary>Allocates <paramref name="n"/> fresh nodes: one leaf node per page, each under a new level-1 node after the first.</summary>
    private static void Grow(PageTablePool pool, ref int root, int pages)
    {
        for (int i = 0; i < pages; i++)
        {
            pool.At(pool.LeafSlot(ref root, (ulong)i << 18)) = Leaf.Make((ulong)i, 1);
        }
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(10, 10)]
    public void A_new_pool_has_room_for_at_least_two_nodes(int initial, int capacity) =>
        Assert.Equal(capacity, new PageTablePool(initial).CapacityNodes);

    [Fact]
    public void Reserve_grows_to_exactly_what_is_asked_and_then_nothing_grows_until_it_is_used()
    {
        var pool = new PageTablePool(8);
        int root = 0;
        Grow(pool, ref root, 1); // root, level 2, level 1, leaf: nodes 1-4 of 0-7
        Assert.Equal(4, pool.LiveNodes);
        pool.Reserve(3); // 5 + 3 = 8 nodes: room already
        Assert.Equal(8, pool.CapacityNodes);
        pool.Reserve(10); // 5 + 10 = 15 nodes
        Assert.Equal(15, pool.CapacityNodes);
        pool.Reserve(1);
        Assert.Equal(15, pool.CapacityNodes);

        Grow(pool, ref root, 6); // page 0 is there; pages 1-5 take a level-1 node and a leaf each: 10 nodes, used 15
        Assert.Equal(14, pool.LiveNodes);
        Assert.Equal(15, pool.CapacityNodes);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal((ulong)i, Leaf.PaPage(pool.Lookup(root, (ulong)i << 18)));
        }

        Grow(pool, ref root, 7); // two more nodes: the array doubles once
        Assert.Equal(16, pool.LiveNodes);
        Assert.Equal(30, pool.CapacityNodes);
        Assert.Equal(6UL, Leaf.PaPage(pool.Lookup(root, 6UL << 18)));
    }

    [Fact]
    public void Freed_nodes_are_reused_before_the_array_grows()
    {
        var pool = new PageTablePool(5);
        int a = 0;
        Grow(pool, ref a, 1);
        Assert.Equal(5, pool.CapacityNodes);
        pool.FreeTree(a);
        int b = 0;
        Grow(pool, ref b, 1);
        Assert.Equal(5, pool.CapacityNodes);
        Assert.Equal(4, pool.LiveNodes);
        Assert.Equal(0UL, Leaf.PaPage(pool.Lookup(b, 0)));
        Assert.Equal(1UL, pool.Lookup(b, 0) & Leaf.Present);
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
