using IommuVerify.Engine.Fuzzing;
using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Engine.Tests;

/// <summary>The sampler on scripted choices: each test feeds the exact values its draws return, so the weighted
/// choice, the biases and the rejection loop are pinned down one decision at a time.</summary>
/// <remarks>intel-vtd's conformance scope has every operation: devices gpu (0), nic (1), vf0 (2), legacy (3) and
/// narrow (4, two PASIDs, passed through to vm0); 2 domain slots, 2 PASIDs, 2 IOVA pages, 2 physical pages, 2 mms,
/// 1 vPASID.</remarks>
public sealed class OpSamplerTests
{
    // The cumulative weights, in the sampler's order, when every operation is possible (total 103).
    private static readonly (OpCode Code, int Start)[] Bands =
    [
        (OpCode.Translate, 0), (OpCode.Map, 30), (OpCode.Unmap, 42), (OpCode.AllocDomain, 49), (OpCode.AttachRid, 56),
        (OpCode.ReplaceRid, 63), (OpCode.DetachRid, 66), (OpCode.AttachPasid, 68), (OpCode.ReplacePasid, 76),
        (OpCode.DetachPasid, 79), (OpCode.FreeDomain, 82), (OpCode.SvaBind, 85), (OpCode.SvaUnbind, 89),
        (OpCode.Invalidate, 92), (OpCode.VpasidAlloc, 94), (OpCode.VpasidFree, 97), (OpCode.VpasidAttach, 99),
    ];

    private static readonly ReferenceModel Vtd = new LockstepHarness("intel-vtd").Reference;

    /// <summary>Two paging domains (slot 1 PASID-capable), gpu's RID on slot 0 with IOVA 1 mapped read-only to
    /// page 1, and nic's PASID 1 on slot 1.</summary>
    private static IommuState Prepared()
    {
        var s = Vtd.Initial();
        Op[] ops =
        [
            new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1),
            new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1),
            new AttachRid(0, DomainRef.Slot(0)),
            new Map(0, 1, 1, Perm.R),
            new AttachPasid(1, 1, 1),
        ];
        foreach (var op in ops)
        {
            var step = Vtd.Apply(s, op);
            Assert.True(step.Primary.IsSuccess, $"{op}: {step.Primary}");
            s = step.Next;
        }

        return s;
    }

    /// <summary>Draws return <paramref name="script"/> in order, then 0 (so every later chance succeeds and every
    /// later pick is the first item); each request's bound is recorded.</summary>
    private sealed class Script(params int[] script)
    {
        private int _next;

        public List<int> Bounds { get; } = [];

        public int Below(int n)
        {
            Bounds.Add(n);
            int v = _next < script.Length ? script[_next++] : 0;
            Assert.InRange(v, 0, n - 1);
            return v;
        }
    }

    private static Op Sample(IommuState s, params int[] script) => new OpSampler(Vtd, new Script(script).Below).Next(s);

    [Fact]
    public void Each_code_owns_the_band_of_its_weight_among_the_possible_codes()
    {
        var s = Prepared();
        var script = new Script(0);
        new OpSampler(Vtd, script.Below).Next(s);
        Assert.Equal(103, script.Bounds[0]);
        for (int i = 0; i < Bands.Length; i++)
        {
            Assert.Equal(Bands[i].Code, Sample(s, Bands[i].Start).Code);
            int end = i + 1 < Bands.Length ? Bands[i + 1].Start : 103;
            Assert.Equal(Bands[i].Code, Sample(s, end - 1).Code);
        }
    }

    [Fact]
    public void Codes_outside_the_scope_or_impossible_in_it_are_never_weighed()
    {
        // intel-vtd small: alloc_domain, attach_pasid, map, unmap, translate (30 + 12 + 7 + 7 + 8).
        var small = new LockstepHarness("intel-vtd", "small").Reference;
        var script = new Script(63);
        var op = new OpSampler(small, script.Below).Next(small.Initial());
        Assert.Equal(64, script.Bounds[0]);
        Assert.Equal(OpCode.AttachPasid, op.Code);
    }

    [Fact]
    public void Map_prefers_a_live_paging_slot_and_a_free_iova()
    {
        var s = Prepared();
        Assert.Equal(new Map(0, 0, 0, Perm.RW), Sample(s, 30));
        // No preference (chance fails): any slot, any IOVA, any page, read-only.
        Assert.Equal(new Map(1, 1, 1, Perm.R), Sample(s, 30, 90, 1, 85, 1, 1, 70));
        // The preferred slot list is [0, 1]: pick the second; its free IOVAs are [0, 1].
        Assert.Equal(new Map(1, 1, 0, Perm.RW), Sample(s, 30, 89, 1, 84, 1, 0, 69));
    }

    [Fact]
    public void Unmap_prefers_a_mapped_iova_of_a_live_paging_slot()
    {
        var s = Prepared();
        Assert.Equal(new Unmap(0, 1), Sample(s, 42));
        Assert.Equal(new Unmap(0, 0), Sample(s, 42, 0, 0, 90, 0));
    }

    [Fact]
    public void Alloc_takes_an_allocation_of_the_scope_for_any_device()
    {
        var s = Prepared();
        Assert.Equal(new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1), Sample(s, 49));
        Assert.Equal(new AllocDomain(4, DomainKind.Paging, AllocFlags.Pasid, -1), Sample(s, 49, 1, 4));
    }

    [Fact]
    public void Rid_attach_aims_at_blocked_rids_and_picks_identity_blocked_or_a_slot_by_band()
    {
        var s = Prepared();
        // Blocked RIDs: nic, vf0, legacy, narrow (gpu's is attached).
        Assert.Equal(new AttachRid(1, DomainRef.Identity), Sample(s, 56, 0, 0, 9));
        Assert.Equal(new AttachRid(2, DomainRef.Blocked), Sample(s, 56, 0, 1, 10));
        Assert.Equal(new AttachRid(4, DomainRef.Blocked), Sample(s, 56, 0, 3, 14));
        Assert.Equal(new AttachRid(1, DomainRef.Slot(1)), Sample(s, 56, 0, 0, 15, 0, 1));
        Assert.Equal(new AttachRid(0, DomainRef.Slot(0)), Sample(s, 56, 90, 0, 99));
    }

    [Fact]
    public void Rid_replace_aims_at_attached_rids()
    {
        var s = Prepared();
        Assert.Equal(new ReplaceRid(0, DomainRef.Identity), Sample(s, 63));
        Assert.Equal(new ReplaceRid(3, DomainRef.Slot(1)), Sample(s, 63, 90, 3, 20, 0, 1));
        Assert.Equal(new DetachRid(2), Sample(s, 66, 2));
    }

    [Fact]
    public void Pasid_attach_redraws_a_taken_pasid_at_most_three_times()
    {
        var s = Prepared();
        // PASID-capable devices: gpu, nic, vf0 (as its PF), narrow.
        Assert.Equal(new AttachPasid(0, 1, 0), Sample(s, 68));
        Assert.Equal(new AttachPasid(4, 1, 0), Sample(s, 68, 0, 3));
        Assert.Equal(new AttachPasid(2, 1, 0), Sample(s, 68, 0, 2));
        Assert.Equal(new AttachPasid(1, 2, 0), Sample(s, 68, 0, 1, 0, 1));
        Assert.Equal(new AttachPasid(1, 2, 0), Sample(s, 68, 0, 1, 0, 0, 0, 1));
        Assert.Equal(new AttachPasid(1, 1, 0), Sample(s, 68, 0, 1, 0, 0, 0, 0, 1));
        // No preference: any device; narrow has one usable PASID.
        Assert.Equal(new AttachPasid(3, 1, 1), Sample(s, 68, 90, 3, 1, 1));
    }

    [Fact]
    public void Pasid_replace_and_detach_aim_at_attached_pasids()
    {
        var s = Prepared();
        Assert.Equal(new ReplacePasid(1, 1, 1), Sample(s, 76, 0, 0, 1));
        Assert.Equal(new DetachPasid(1, 1), Sample(s, 79));
        Assert.Equal(new DetachPasid(4, 1), Sample(s, 79, 90, 90, 4));
        Assert.Equal(new DetachPasid(0, 2), Sample(s, 79, 90, 0, 0, 1));
    }

    [Fact]
    public void Free_takes_a_live_non_sva_slot()
    {
        var s = Prepared();
        Assert.Equal(new FreeDomain(1), Sample(s, 82, 0, 1));
        Assert.Equal(new FreeDomain(1), Sample(s, 82, 90, 1));
    }

    [Fact]
    public void Sva_bind_and_unbind_aim_at_pasid_devices_and_bound_pairs()
    {
        var s = Prepared();
        Assert.Equal(new SvaBind(1, 1), Sample(s, 85, 0, 1, 1));
        Assert.Equal(new SvaUnbind(2, 1), Sample(s, 89, 2, 1));
        var bound = Vtd.Apply(Vtd.Initial(), new SvaBind(0, 1));
        Assert.True(bound.Primary.IsSuccess, bound.Primary.ToString());
        Assert.Equal(new SvaUnbind(0, 1), Sample(bound.Next, 89));
        Assert.Equal(new SvaUnbind(3, 0), Sample(bound.Next, 89, 90, 3, 0));
    }

    [Fact]
    public void Invalidate_is_the_flush_queue_seventy_percent_of_the_time()
    {
        var s = Prepared();
        Assert.Equal(new Invalidate(InvalidateScope.Fq), Sample(s, 92, 69));
        Assert.Equal(new Invalidate(InvalidateScope.All), Sample(s, 92, 70));
    }

    [Fact]
    public void Translate_aims_at_live_contexts_and_mapped_iovas_and_reads_a_read_only_page()
    {
        var s = Prepared();
        // Live contexts: gpu's RID (slot 0, IOVA 1 read-only) and nic's PASID 1 (slot 1, nothing mapped).
        Assert.Equal(new Translate(0, 0, 1, Access.Read), Sample(s, 0));
        Assert.Equal(new Translate(0, 0, 1, Access.Read), Sample(s, 0, 60, 0, 0, 0, 79));
        Assert.Equal(new Translate(0, 0, 1, Access.Write), Sample(s, 0, 60, 0, 0, 0, 80));
        Assert.Equal(new Translate(0, 0, 0, Access.Write), Sample(s, 0, 60, 0, 0, 85, 0));
        Assert.Equal(new Translate(1, 1, 1, Access.Read), Sample(s, 0, 59, 0, 1, 1));
        // Not aimed (8%): any device, PASID and IOVA.
        Assert.Equal(new Translate(4, 2, 1, Access.Write), Sample(s, 0, 60, 92, 4, 2, 1));
        Assert.Equal(new Translate(3, 0, 0, Access.Read), Sample(Vtd.Initial(), 0, 0, 3));
    }

    [Fact]
    public void Vpasid_operations_aim_at_free_or_allocated_vpasids_and_the_vms_devices()
    {
        // vpasid-allocated-checked, conformance: pt0 (0) and mdev0 (1) in vm0, 2 slots, 3 vPASIDs; its nine
        // operations weigh 37: alloc_domain [0,7), attach_pasid [7,15), detach_pasid [15,18), free_domain [18,21),
        // sva_bind [21,25), sva_unbind [25,28), vpasid_alloc [28,31), vpasid_free [31,33), vpasid_attach [33,37).
        var vp = new LockstepHarness("vpasid-allocated-checked").Reference;
        Op On(IommuState st, params int[] script) => new OpSampler(vp, new Script(script).Below).Next(st);
        var s = vp.Initial();
        var script = new Script(36);
        Assert.Equal(OpCode.VpasidAttach, new OpSampler(vp, script.Below).Next(s).Code);
        Assert.Equal(37, script.Bounds[0]);
        Assert.Equal(new VpasidAlloc(0, 3), On(s, 28, 0, 2));
        Assert.Equal(new VpasidFree(0, 3), On(s, 31, 2));
        Assert.Equal(new VpasidAttach(0, 1, 2, 1), On(s, 33, 1, 0, 1, 1));
        Assert.Equal(new VpasidAttach(0, 0, 2, 1), On(s, 33, 1, 90, 0, 1));
        var allocated = vp.Apply(s, new VpasidAlloc(0, 2));
        Assert.True(allocated.Primary.IsSuccess, allocated.Primary.ToString());
        Assert.Equal(new VpasidFree(0, 2), On(allocated.Next, 31));
        Assert.Equal(new VpasidAlloc(0, 3), On(allocated.Next, 28, 0, 1));
        Assert.Equal(new VpasidAlloc(0, 2), On(allocated.Next, 28, 90, 1));
        Assert.Equal(new VpasidAttach(0, 0, 2, 0), On(allocated.Next, 33));
    }

    [Fact]
    public void A_rejected_candidate_is_kept_one_time_in_ten_else_redrawn()
    {
        var initial = Vtd.Initial();
        // unmap in the initial state fails (no domain); the keep-chance draw decides.
        Assert.Equal(new Unmap(0, 0), Sample(initial, 42, 0, 0, 9));
        Assert.Equal(new Translate(0, 0, 0, Access.Read), Sample(initial, 42, 0, 0, 10, 29));
    }

    [Fact]
    public void A_successful_candidate_is_kept_at_once_and_rejection_gives_up_after_ten_draws()
    {
        var s = Prepared();
        int codeDraws = 0;
        int Unlucky(int n)
        {
            codeDraws += n == 103 ? 1 : 0;
            return n == 103 ? 30 : n == 100 ? 99 : 0;
        }

        var (op, step) = new OpSampler(Vtd, Unlucky).NextStep(s);
        Assert.Equal(new Map(0, 0, 0, Perm.R), op);
        Assert.True(step.Primary.IsSuccess);
        Assert.Equal(1, codeDraws);

        codeDraws = 0;
        int Failing(int n)
        {
            codeDraws += n == 103 ? 1 : 0;
            return n == 103 ? 42 : n == 100 ? 99 : 0;
        }

        var (op2, step2) = new OpSampler(Vtd, Failing).NextStep(Vtd.Initial());
        Assert.Equal(new Unmap(0, 0), op2);
        Assert.False(step2.Primary.IsSuccess);
        Assert.Equal(10, codeDraws);
    }
}
