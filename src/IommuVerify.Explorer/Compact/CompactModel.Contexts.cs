using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Compact;

/// <summary>Contexts, tags, walks and cache invalidation over the compact encoding (ReferenceModel.Contexts.cs, ReferenceModel.Caches.cs).</summary>
internal sealed partial class CompactModel
{
    /// <summary>Contexts the scope's devices can issue, as parallel arrays (device, PASID), in the reference's order.</summary>
    public int ContextCount => _ctxDev.Length;

    /// <summary>The device of context <paramref name="c"/>.</summary>
    public int ContextDev(int c) => _ctxDev[c];

    /// <summary>The PASID of context <paramref name="c"/>.</summary>
    public int ContextPasid(int c) => _ctxPasid[c];

    /// <summary>The group of a device.</summary>
    public int GroupOf(int dev) => _devGroup[dev];

    /// <summary>The effective PASID width of a device.</summary>
    public int MaxPasids(int dev) => _devMax[dev];

    /// <summary>The devices of a group.</summary>
    public int[] GroupDevices(int g) => _groupDevs[g];

    /// <summary>The policy.</summary>
    public Policy Policy => _p;

    private bool CanIssue(int dev, int pasid) => pasid == 0 || pasid < _devMax[dev];

    private int ContextDomain(ReadOnlySpan<int> s, int dev, int pasid)
    {
        int g = _devGroup[dev];
        if (pasid == 0)
        {
            return s[_rid + g];
        }

        int d = s[_pd + (g * _l.PasidRow) + pasid];
        return d >= 0 ? d : ReferenceModel.NoDomain;
    }

    /// <summary>PASID-COMPAT-1 (<see cref="ReferenceModel.SlotPasidCompat"/>).</summary>
    public bool SlotPasidCompat(ReadOnlySpan<int> s, int slot) =>
        s[_kind + slot] == Sva || _p.PagingPasid == PagingPasid.Always || ((AllocFlags)s[_flags + slot] & AllocFlags.Pasid) != 0;

    /// <summary><see cref="ReferenceModel.DomainPasidCompatOnRid"/>.</summary>
    public bool DomainPasidCompatOnRid(ReadOnlySpan<int> s, int domain) =>
        domain < 0 || (SlotPasidCompat(s, domain) && !(_p.NestParentBlocksPasid && ((AllocFlags)s[_flags + domain] & AllocFlags.NestParent) != 0));

    private int DidOf(ReadOnlySpan<int> s, int slot, int dev)
    {
        if (s[_kind + slot] == Sva && _p.SvaSharedDid)
        {
            return Tag.SharedSvaDid;
        }

        if (_p.DidAlloc == DidAlloc.PerDevice && s[_format + slot] == (int)PageFormat.V2)
        {
            return Tag.PerDeviceDidBase + dev;
        }

        return slot + 1;
    }

    /// <summary>The IOTLB tag of a context (<see cref="ReferenceModel.TagOf"/>).</summary>
    public int TagOf(ReadOnlySpan<int> s, int dev, int pasid)
    {
        if (!CanIssue(dev, pasid))
        {
            return Tag.None;
        }

        int g = _devGroup[dev];
        int rid = s[_rid + g];
        if (pasid == 0)
        {
            return rid >= 0 ? Tag.Make(DidOf(s, rid, dev), 0) : Tag.None;
        }

        if (_p.IotlbTag == IotlbTag.RidDomainPasid)
        {
            return Tag.Make(rid >= 0 ? DidOf(s, rid, dev) : Tag.PerDeviceDidBase + dev, pasid);
        }

        int d = s[_pd + (g * _l.PasidRow) + pasid];
        return d < 0 ? Tag.None : Tag.Make(DidOf(s, d, dev), _p.IotlbTag == IotlbTag.DomainPasid ? pasid : 0);
    }

    /// <summary>The page table a context walks (<see cref="ReferenceModel.TableOf"/>).</summary>
    public int TableOf(ReadOnlySpan<int> s, int dev, int pasid)
    {
        if (!CanIssue(dev, pasid))
        {
            return -1;
        }

        int d = ContextDomain(s, dev, pasid);
        if (d == IdentityDomain)
        {
            return ReferenceModel.IdentityTable;
        }

        if (d < 0)
        {
            return -1;
        }

        return s[_kind + d] == Sva ? ReferenceModel.MmTableBase + s[_mm + d] : d;
    }

    private int SlotPte(ReadOnlySpan<int> s, int slot, int iova) => s[_kind + slot] switch
    {
        Paging => s[_ptes + (slot * _l.Iovas) + iova],
        Nested => s[_ptes + (s[_parent + slot] * _l.Iovas) + iova],
        Sva => Pte.Make((iova + s[_mm + slot] + 1) % _l.PhysPages, 3),
        _ => 0,
    };

    /// <summary>A context's walk: the PTE, or 0 with the fault (<see cref="ReferenceModel.Walk"/>).</summary>
    public int Walk(ReadOnlySpan<int> s, int dev, int pasid, int iova, out FaultReason fault)
    {
        fault = default;
        if (!CanIssue(dev, pasid))
        {
            fault = FaultReason.NoContext;
            return 0;
        }

        int d = ContextDomain(s, dev, pasid);
        if (d == IdentityDomain)
        {
            return Pte.Make(iova % _l.PhysPages, 3);
        }

        if (d == Blocked)
        {
            fault = FaultReason.Blocked;
            return 0;
        }

        if (d < 0)
        {
            fault = FaultReason.PasidNotAttached;
            return 0;
        }

        int pte = SlotPte(s, d, iova);
        fault = pte == 0 ? FaultReason.NotPresent : default;
        return pte;
    }

    /// <summary>True when a context's domain is the slot or a nested domain over it (<see cref="ReferenceModel.ContextUses"/>).</summary>
    public bool ContextUses(ReadOnlySpan<int> s, int dev, int pasid, int slot)
    {
        if (!CanIssue(dev, pasid))
        {
            return false;
        }

        int d = ContextDomain(s, dev, pasid);
        return d == slot || (d >= 0 && s[_kind + d] == Nested && s[_parent + d] == slot);
    }

    /// <summary>TLB-FQ-2 (<see cref="ReferenceModel.DeferredExempt"/>).</summary>
    public bool DeferredExempt(ReadOnlySpan<int> s, int dev, int pasid, int iova)
    {
        for (int slot = 0; slot < _l.Slots; slot++)
        {
            if (CompactLayout.Has(s, _fq, _l.FqBit(slot, iova)) && ContextUses(s, dev, pasid, slot) && s[_ptes + (slot * _l.Iovas) + iova] == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>TLB-DETACH-1: after an attachment change in group <paramref name="g"/>, flush what the contexts whose
    /// tag or table differ between <paramref name="before"/> and <paramref name="d"/> may have cached.</summary>
    private void FlushChangedContexts(ReadOnlySpan<int> before, Span<int> d, int g)
    {
        if (!_p.FlushOnDetach)
        {
            return;
        }

        int span = _l.Iovas * _l.PteValues;
        foreach (int dev in _groupDevs[g])
        {
            for (int p = 0; p < _l.PasidRow; p++)
            {
                int oldTag = TagOf(before, dev, p);
                if (oldTag == TagOf(d, dev, p) && TableOf(before, dev, p) == TableOf(d, dev, p))
                {
                    continue;
                }

                if (oldTag != Tag.None)
                {
                    CompactLayout.ClearRange(d, _iotlb, _l.IotlbTagBase(oldTag), span);
                }

                CompactLayout.ClearRange(d, _devtlb, _l.DevTlbContextBase(dev, p), span);
            }
        }
    }

    /// <summary>UNMAP-FLUSH-1..3: the invalidation of (slot, iova).</summary>
    private void FlushDomainPage(Span<int> d, int slot, int iova)
    {
        int n = _l.PteValues, at = iova * n;
        for (int c = 0; c < _ctxDev.Length; c++)
        {
            int dev = _ctxDev[c], p = _ctxPasid[c];
            if (!ContextUses(d, dev, p, slot) || (_p.UnmapFlush == UnmapFlush.RidTagOnly && p != 0))
            {
                continue;
            }

            int tag = TagOf(d, dev, p);
            if (tag != Tag.None)
            {
                CompactLayout.ClearRange(d, _iotlb, _l.IotlbTagBase(tag) + at, n);
            }

            if (_p.DevTlbFlush && _devAts[dev])
            {
                CompactLayout.ClearRange(d, _devtlb, _l.DevTlbContextBase(dev, p) + at, n);
            }
        }
    }

    /// <summary>TLB-FQ-1: drains the flush-queue bits [<paramref name="from"/>, +<paramref name="count"/>) in ascending order, doing their invalidations.</summary>
    private void DrainQueue(Span<int> d, int from, int count)
    {
        for (int bit = from; bit < from + count; bit++)
        {
            if (CompactLayout.Has(d, _fq, bit))
            {
                FlushDomainPage(d, bit / _l.Iovas, bit % _l.Iovas);
                CompactLayout.Clear(d, _fq, bit);
            }
        }
    }

    // ---- Page tables (ReferenceModel.PageTables.cs) ----
    private CompactStep Map(ReadOnlySpan<int> s, Span<int> d, int slot, int iova, int pa, int perm, ref RuleMask rules)
    {
        int kind = s[_kind + slot];
        if (kind == Free)
        {
            return Fail(Errno.ENOENT, Rule.Map1, ref rules);
        }

        if (kind != Paging)
        {
            return Fail(Errno.EINVAL, Rule.Map2, ref rules);
        }

        int i = _ptes + (slot * _l.Iovas) + iova;
        if (s[i] != 0)
        {
            return Fail(Errno.EEXIST, Rule.Map3, ref rules);
        }

        bool pending = CompactLayout.Has(s, _fq, _l.FqBit(slot, iova));
        if (pending && !_p.FqIovaReuse)
        {
            return Fail(Errno.EBUSY, Rule.Map4, ref rules);
        }

        s.CopyTo(d);
        d[i] = Pte.Make(pa, perm);
        return Done(pending ? Rule.Map6 : Rule.Map5, ref rules);
    }

    private CompactStep Unmap(ReadOnlySpan<int> s, Span<int> d, int slot, int iova, ref RuleMask rules)
    {
        int kind = s[_kind + slot];
        if (kind == Free)
        {
            return Fail(Errno.ENOENT, Rule.Unmap1, ref rules);
        }

        if (kind != Paging)
        {
            return Fail(Errno.EINVAL, Rule.Unmap2, ref rules);
        }

        int i = _ptes + (slot * _l.Iovas) + iova;
        if (s[i] == 0)
        {
            rules.Add(Rule.Unmap3);
            return CompactStep.Same;
        }

        s.CopyTo(d);
        d[i] = 0;
        if (_p.Invalidation == InvalidationMode.Strict)
        {
            FlushDomainPage(d, slot, iova);
            return Done(Rule.Unmap4, ref rules);
        }

        CompactLayout.Set(d, _fq, _l.FqBit(slot, iova));
        return Done(Rule.Unmap5, ref rules);
    }

    private CompactStep Invalidate(ReadOnlySpan<int> s, Span<int> d, InvalidateScope scope, ref RuleMask rules)
    {
        s.CopyTo(d);
        if (scope == InvalidateScope.Fq)
        {
            DrainQueue(d, 0, _l.FqBits);
            return Done(Rule.Inval1, ref rules);
        }

        d.Slice(_iotlb, _l.Width - _iotlb).Clear();
        return Done(Rule.Inval2, ref rules);
    }
}
