using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Compact;

/// <summary>sva_bind, sva_unbind, translate and the vPASID operations over the compact encoding
/// (ReferenceModel.Sva.cs, ReferenceModel.Translate.cs, ReferenceModel.Vpasid.cs).</summary>
internal sealed partial class CompactModel
{
    private const int MaxStackState = 512;

    private int LowestFreePasid(ReadOnlySpan<int> s, int below)
    {
        int top = Math.Min(_l.PasidRow, below);
        for (int p = 1; p < top; p++)
        {
            if (s[_owner + p] == 0)
            {
                return p;
            }
        }

        return -1;
    }

    private CompactStep SvaBind(ReadOnlySpan<int> s, Span<int> d, int dev, int mm, ref RuleMask rules)
    {
        int max = _devMax[dev];
        int pasid = s[_mmPasid + mm];
        bool withPasid = false;
        if (pasid != 0)
        {
            if (pasid >= max)
            {
                return Fail(Errno.EOVERFLOW, Rule.SvaBind2, ref rules);
            }
        }
        else
        {
            pasid = LowestFreePasid(s, max);
            if (pasid < 0)
            {
                return Fail(Errno.ENOSPC, Rule.SvaBind3, ref rules);
            }

            withPasid = true;
        }

        int handle = _sva + (dev * _l.Mms) + mm;
        s.CopyTo(d);
        if (s[handle] > 0)
        {
            // The reference bumps the count on the input state, not on the one with a fresh PASID.
            d[handle]++;
            return Done(Rule.SvaBind1, ref rules);
        }

        if (withPasid)
        {
            d[_mmPasid + mm] = pasid;
            d[_owner + pasid] = 1 + mm;
        }

        Span<int> before = _l.Width <= MaxStackState ? stackalloc int[_l.Width] : new int[_l.Width];
        for (int slot = 0; slot < _l.Slots; slot++)
        {
            if (d[_kind + slot] == Sva && d[_mm + slot] == mm && PasidAttachCheck(d, dev, pasid, slot, svaCaller: true, replacing: false, out _, out _))
            {
                d.CopyTo(before);
                SetGroupPasid(before, d, dev, pasid, slot);
                d[_users + slot]++;
                d[handle] = 1;
                return Done(Rule.SvaBind4, ref rules);
            }
        }

        int fresh = LowestFreeSlot(d);
        if (fresh < 0)
        {
            rules.Add(Rule.SvaBind5);
            if (withPasid)
            {
                rules.Add(Rule.SvaBind8);
            }

            return new CompactStep((int)Errno.ENOSPC, withPasid);
        }

        var saved = (d[_kind + fresh], d[_mm + fresh], d[_flags + fresh], d[_format + fresh], d[_parent + fresh]);
        d[_kind + fresh] = Sva;
        d[_mm + fresh] = mm;
        d[_flags + fresh] = 0;
        d[_format + fresh] = 0;
        d[_parent + fresh] = -1;
        if (!PasidAttachCheck(d, dev, pasid, fresh, svaCaller: true, replacing: false, out var e, out var r))
        {
            (d[_kind + fresh], d[_mm + fresh], d[_flags + fresh], d[_format + fresh], d[_parent + fresh]) = saved;
            rules.Add(Rule.SvaBind6);
            rules.Add(r);
            if (withPasid)
            {
                rules.Add(Rule.SvaBind8);
            }

            return new CompactStep((int)e, withPasid);
        }

        d.CopyTo(before);
        SetGroupPasid(before, d, dev, pasid, fresh);
        d[_users + fresh] = 1;
        d[handle] = 1;
        return Done(Rule.SvaBind7, ref rules);
    }

    private CompactStep SvaUnbind(ReadOnlySpan<int> s, Span<int> d, int dev, int mm, ref RuleMask rules)
    {
        int handle = _sva + (dev * _l.Mms) + mm;
        if (s[handle] == 0)
        {
            return Fail(Errno.ENOENT, Rule.SvaUnbind1, ref rules);
        }

        s.CopyTo(d);
        if (s[handle] > 1)
        {
            d[handle]--;
            return Done(Rule.SvaUnbind2, ref rules);
        }

        d[handle] = 0;
        int pasid = s[_mmPasid + mm];
        int slot = s[_pd + (_devGroup[dev] * _l.PasidRow) + pasid];
        SetGroupPasid(s, d, dev, pasid, -1);
        if (slot >= 0)
        {
            d[_users + slot]--;
            if (ReleaseUnusedSva(d, slot))
            {
                return Done(Rule.SvaUnbind3, ref rules);
            }
        }

        return Done(Rule.SvaUnbind5, ref rules);
    }

    /// <summary>SVA-UNBIND-3/4: frees an SVA domain with no users that sits on no RID.</summary>
    private bool ReleaseUnusedSva(Span<int> d, int slot)
    {
        if (slot < 0 || d[_kind + slot] != Sva || d[_users + slot] > 0 || ((ReadOnlySpan<int>)d.Slice(_rid, _l.Groups)).Contains(slot))
        {
            return false;
        }

        ClearSlot(d, slot);
        return true;
    }

    // ---- translate ----

    /// <summary>A translation result as one int: the physical page, or -1 - fault reason.</summary>
    private static int AccessResult(int pte, Access access) =>
        access == Access.Write && !Pte.Writable(pte) ? -1 - (int)FaultReason.Permission : Pte.Pa(pte);

    private CompactStep Translate(ReadOnlySpan<int> s, Span<int> d, int dev, int pasid, int iova, Access access, ref RuleMask rules)
    {
        int walkPte = Walk(s, dev, pasid, iova, out var fault);
        if (fault == FaultReason.NoContext && walkPte == 0)
        {
            rules.Add(Rule.Xlate1);
            return CompactStep.Same;
        }

        int domain = ContextDomain(s, dev, pasid);
        int walkResult;
        if (walkPte == 0)
        {
            walkResult = -1 - (int)fault;
            rules.Add(fault switch
            {
                FaultReason.Blocked => Rule.Xlate2,
                FaultReason.PasidNotAttached => Rule.Xlate4,
                _ => Rule.Xlate5,
            });
        }
        else
        {
            walkResult = AccessResult(walkPte, access);
            rules.Add(domain == IdentityDomain ? Rule.Xlate3 : walkResult < 0 ? Rule.Xlate6 : Rule.Xlate7);
        }

        int n = _l.PteValues;
        int devBase = _l.DevTlbContextBase(dev, pasid) + (iova * n);
        bool devAts = _devAts[dev];
        int tag = TagOf(s, dev, pasid);
        int tlbBase = tag == Tag.None ? -1 : _l.IotlbTagBase(tag) + (iova * n);
        bool anyCached = false, differs = false;
        for (int pte = 0; pte < n; pte++)
        {
            if ((devAts && CompactLayout.Has(s, _devtlb, devBase + pte)) || (tlbBase >= 0 && CompactLayout.Has(s, _iotlb, tlbBase + pte)))
            {
                anyCached = true;
                differs |= AccessResult(pte, access) != walkResult;
            }
        }

        if (differs)
        {
            rules.Add(Rule.Xlate8);
        }

        bool fillIotlb = walkPte != 0 && tag != Tag.None && domain != IdentityDomain;
        bool ats = devAts && domain != IdentityDomain;
        if (!fillIotlb && !(ats && (walkPte != 0 || anyCached)))
        {
            return CompactStep.Same;
        }

        s.CopyTo(d);
        if (fillIotlb)
        {
            CompactLayout.Set(d, _iotlb, tlbBase + walkPte);
        }

        if (ats)
        {
            if (walkPte != 0)
            {
                CompactLayout.Set(d, _devtlb, devBase + walkPte);
            }

            for (int pte = 0; pte < n; pte++)
            {
                if (CompactLayout.Has(s, _devtlb, devBase + pte) || (tlbBase >= 0 && CompactLayout.Has(s, _iotlb, tlbBase + pte)))
                {
                    CompactLayout.Set(d, _devtlb, devBase + pte);
                }
            }
        }

        return Done(Rule.Xlate9, ref rules);
    }

    // ---- vPASID ----
    private CompactStep VpasidAlloc(ReadOnlySpan<int> s, Span<int> d, int vm, int vpasid, ref RuleMask rules)
    {
        if (_p.VpasidScheme == VpasidScheme.None)
        {
            return Fail(Errno.EOPNOTSUPP, Rule.VpasidAlloc1, ref rules);
        }

        int i = _vtab + (vm * _l.VpasidRow) + vpasid;
        if (s[i] != 0)
        {
            return Fail(Errno.EEXIST, Rule.VpasidAlloc2, ref rules);
        }

        int pp;
        Rule rule;
        if (_p.VpasidScheme == VpasidScheme.Identity)
        {
            if (vpasid >= _l.PasidRow)
            {
                return Fail(Errno.EINVAL, Rule.VpasidAlloc3, ref rules);
            }

            if (s[_owner + vpasid] != 0)
            {
                return Fail(Errno.EBUSY, Rule.VpasidAlloc4, ref rules);
            }

            (pp, rule) = (vpasid, Rule.VpasidAlloc6);
        }
        else
        {
            pp = LowestFreePasid(s, int.MaxValue);
            if (pp < 0)
            {
                return Fail(Errno.ENOSPC, Rule.VpasidAlloc5, ref rules);
            }

            rule = Rule.VpasidAlloc7;
        }

        s.CopyTo(d);
        d[i] = pp;
        d[_owner + pp] = Reference.State.Layout.VmOwnerBase + vm;
        return Done(rule, ref rules);
    }

    private CompactStep VpasidFree(ReadOnlySpan<int> s, Span<int> d, int vm, int vpasid, ref RuleMask rules)
    {
        if (_p.VpasidScheme == VpasidScheme.None)
        {
            return Fail(Errno.EOPNOTSUPP, Rule.VpasidFree1, ref rules);
        }

        int i = _vtab + (vm * _l.VpasidRow) + vpasid;
        int pp = s[i];
        if (pp == 0)
        {
            return Fail(Errno.ENOENT, Rule.VpasidFree2, ref rules);
        }

        foreach (int g in _vmGroups[vm])
        {
            if (s[_pd + (g * _l.PasidRow) + pp] >= 0)
            {
                return Fail(Errno.EBUSY, Rule.VpasidFree3, ref rules);
            }
        }

        s.CopyTo(d);
        d[i] = 0;
        d[_owner + pp] = 0;
        return Done(Rule.VpasidFree4, ref rules);
    }

    private CompactStep VpasidAttach(ReadOnlySpan<int> s, Span<int> d, int vm, int dev, int vpasid, int slot, ref RuleMask rules)
    {
        if (_p.VpasidScheme == VpasidScheme.None)
        {
            return Fail(Errno.EOPNOTSUPP, Rule.VpasidAttach1, ref rules);
        }

        if (_devVm[dev] != vm)
        {
            return Fail(Errno.EINVAL, Rule.VpasidAttach2, ref rules);
        }

        int pp = s[_vtab + (vm * _l.VpasidRow) + vpasid];
        if (pp == 0)
        {
            return Fail(Errno.ENOENT, Rule.VpasidAttach3, ref rules);
        }

        bool passthrough = _devPassthrough[dev];
        if (passthrough && pp != vpasid && _p.PassthroughCheck)
        {
            return Fail(Errno.EINVAL, Rule.VpasidAttach4, ref rules);
        }

        if (!PasidAttachCheck(s, dev, pp, slot, svaCaller: false, replacing: false, out var e, out var r))
        {
            return Fail(e, r, ref rules);
        }

        s.CopyTo(d);
        SetGroupPasid(s, d, dev, pp, slot);
        if (passthrough)
        {
            d[_guest + (dev * _l.PasidRow) + pp] = vpasid;
        }

        return Done(passthrough ? Rule.VpasidAttach5 : Rule.VpasidAttach6, ref rules);
    }
}
