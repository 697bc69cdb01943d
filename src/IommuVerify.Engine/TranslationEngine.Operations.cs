using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Engine;

/// <summary>The control operations, with the reference model's check order and errnos (ReferenceModel.*.cs).</summary>
public sealed partial class TranslationEngine
{
    private int LowestFreeSlot()
    {
        for (int i = 0; i < _slots; i++)
        {
            if (_domKind[i] == (int)DomainKind.Free)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>alloc_domain: DOM-ALLOC-1..8.</summary>
    private Result AllocDomainOp(AllocDomain a)
    {
        var format = PageFormat.Default;
        if (a.Kind == DomainKind.Nested)
        {
            if ((a.Flags & (AllocFlags.NestParent | AllocFlags.DirtyTracking)) != 0)
            {
                return Result.Err(Errno.EOPNOTSUPP);
            }

            if (_domKind[a.Parent] != (int)DomainKind.Paging || ((AllocFlags)_domFlags[a.Parent] & AllocFlags.NestParent) == 0)
            {
                return Result.Err(Errno.EINVAL);
            }

            format = (PageFormat)_domFormat[a.Parent];
        }
        else if (_policy.SplitFormats)
        {
            if ((a.Flags & AllocFlags.Pasid) != 0 && (a.Flags & AllocFlags.DirtyTracking) != 0)
            {
                return Result.Err(Errno.EOPNOTSUPP);
            }

            format = (a.Flags & AllocFlags.Pasid) != 0 ? PageFormat.V2 : PageFormat.V1;
        }

        int slot = LowestFreeSlot();
        if (slot < 0)
        {
            return Result.Err(Errno.ENOSPC);
        }

        _domKind[slot] = (int)a.Kind;
        _domFlags[slot] = (int)a.Flags;
        _domFormat[slot] = (int)format;
        _domParent[slot] = a.Kind == DomainKind.Nested ? a.Parent : -1;
        _domMm[slot] = -1;
        _domUsers[slot] = 0;
        RecomputeContexts();
        return Result.OkDomain(slot);
    }

    private bool InUse(int slot)
    {
        if (Array.IndexOf(_ridDomain, slot) >= 0 || Array.IndexOf(_pasidDomain, slot) >= 0)
        {
            return true;
        }

        for (int i = 0; i < _slots; i++)
        {
            if (_domKind[i] == (int)DomainKind.Nested && _domParent[i] == slot)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>free_domain: DOM-FREE-1..4.</summary>
    private Result FreeDomainOp(int slot)
    {
        if (_domKind[slot] == (int)DomainKind.Free)
        {
            return Result.Err(Errno.ENOENT);
        }

        if (_domKind[slot] == (int)DomainKind.Sva)
        {
            return Result.Err(Errno.EINVAL);
        }

        if (InUse(slot))
        {
            return Result.Err(Errno.EBUSY);
        }

        DrainQueue(slot);
        ClearSlot(slot);
        return Result.Ok;
    }

    private void ClearSlot(int slot)
    {
        _domKind[slot] = 0;
        _domFlags[slot] = 0;
        _domFormat[slot] = 0;
        _domMm[slot] = -1;
        _domParent[slot] = -1;
        _domUsers[slot] = 0;
        _pool.FreeTree(_root[slot]);
        _root[slot] = 0;
        RecomputeContexts();
    }

    private bool GroupHasPasids(int group)
    {
        for (int p = 1; p < _row; p++)
        {
            if (_pasidDomain[(group * _row) + p] >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool SlotPasidCompat(int slot) =>
        _domKind[slot] == (int)DomainKind.Sva ||
        _policy.PagingPasid == PagingPasid.Always ||
        ((AllocFlags)_domFlags[slot] & AllocFlags.Pasid) != 0;

    private bool DomainPasidCompatOnRid(int domain) =>
        domain < 0 || (SlotPasidCompat(domain) && !(_policy.NestParentBlocksPasid && ((AllocFlags)_domFlags[domain] & AllocFlags.NestParent) != 0));

    /// <summary>attach_rid (RID-ATTACH-1..6) and replace_rid (RID-REPLACE-1..3).</summary>
    private Result AttachRidOp(int dev, int target, bool replace)
    {
        int g = _devGroup[dev];
        if (target >= 0 && _domKind[target] == (int)DomainKind.Free)
        {
            return Result.Err(Errno.ENOENT);
        }

        int current = _ridDomain[g];
        if (!replace && current != DomainRef.Blocked.Value)
        {
            return Result.Err(Errno.EBUSY);
        }

        if (replace && current == DomainRef.Blocked.Value)
        {
            return Result.Err(Errno.EINVAL);
        }

        if (replace && current == target)
        {
            return Result.Ok;
        }

        if (target >= 0 && _domKind[target] == (int)DomainKind.Sva && _policy.SvaOnRid == SvaOnRid.Refused)
        {
            return Result.Err(Errno.ENODEV);
        }

        if (GroupHasPasids(g) && !DomainPasidCompatOnRid(target))
        {
            return Result.Err(Errno.EINVAL);
        }

        SnapshotContexts();
        _ridDomain[g] = target;
        AttachmentChanged(g);
        ReleaseUnusedSva(current);
        return Result.Ok;
    }

    /// <summary>detach_rid: RID-DETACH-1..2.</summary>
    private Result DetachRidOp(int dev)
    {
        int g = _devGroup[dev];
        if (_ridDomain[g] == DomainRef.Blocked.Value)
        {
            return Result.Ok;
        }

        int old = _ridDomain[g];
        SnapshotContexts();
        _ridDomain[g] = DomainRef.Blocked.Value;
        AttachmentChanged(g);
        ReleaseUnusedSva(old);
        return Result.Ok;
    }

    /// <summary>Frees an SVA domain that has no users and sits on no RID (SVA-UNBIND-3, SVA-UNBIND-4).</summary>
    private void ReleaseUnusedSva(int slot)
    {
        if (slot < 0 || _domKind[slot] != (int)DomainKind.Sva || _domUsers[slot] > 0 || Array.IndexOf(_ridDomain, slot) >= 0)
        {
            return;
        }

        ClearSlot(slot);
    }

    /// <summary>The PASID attach checks in kernel order (PASID-ATTACH-1..11); Ok when all pass.</summary>
    private Result PasidAttachCheck(int dev, int pasid, int slot, bool sva, bool replacing)
    {
        int g = _devGroup[dev];
        if (_domKind[slot] == (int)DomainKind.Free)
        {
            return Result.Err(Errno.ENOENT);
        }

        if (_devMaxPasids[dev] == 0)
        {
            return Result.Err(Errno.ENODEV);
        }

        if (!SlotPasidCompat(slot) || !DomainPasidCompatOnRid(_ridDomain[g]))
        {
            return Result.Err(Errno.EINVAL);
        }

        bool isSva = _domKind[slot] == (int)DomainKind.Sva;
        if (!isSva && _policy.PagingPasid == PagingPasid.Never)
        {
            return Result.Err(Errno.EOPNOTSUPP);
        }

        if ((isSva && !sva) || pasid == 0)
        {
            return Result.Err(Errno.EINVAL);
        }

        for (int other = 0; other < _devices; other++)
        {
            int max = _devMaxPasids[other];
            if (_devGroup[other] == g && max > 0 && pasid >= max)
            {
                return Result.Err(Errno.EINVAL);
            }
        }

        if (!replacing && _pasidDomain[(g * _row) + pasid] >= 0)
        {
            return Result.Err(Errno.EBUSY);
        }

        var flags = (AllocFlags)_domFlags[slot];
        if ((_policy.DirtyBlocksPasid && (flags & AllocFlags.DirtyTracking) != 0) ||
            (_policy.NestParentBlocksPasid && (flags & AllocFlags.NestParent) != 0))
        {
            return Result.Err(Errno.EINVAL);
        }

        return Result.Ok;
    }

    private void SetGroupPasid(int dev, int pasid, int slot)
    {
        int g = _devGroup[dev];
        SnapshotContexts();
        _pasidDomain[(g * _row) + pasid] = slot;
        AttachmentChanged(g);
    }

    /// <summary>attach_pasid: PASID-ATTACH-1..12.</summary>
    private Result AttachPasidOp(int dev, int pasid, int slot)
    {
        var bad = PasidAttachCheck(dev, pasid, slot, sva: false, replacing: false);
        if (bad.Kind == ResultKind.Err)
        {
            return bad;
        }

        SetGroupPasid(dev, pasid, slot);
        return Result.Ok;
    }

    /// <summary>replace_pasid: PASID-REPLACE-1..3 before the attach checks, as iommu_replace_device_pasid.</summary>
    private Result ReplacePasidOp(int dev, int pasid, int slot)
    {
        if (_domKind[slot] == (int)DomainKind.Free)
        {
            return Result.Err(Errno.ENOENT);
        }

        if (pasid == 0)
        {
            return Result.Err(Errno.EINVAL);
        }

        int current = _pasidDomain[(_devGroup[dev] * _row) + pasid];
        if (current < 0)
        {
            return Result.Err(Errno.EINVAL);
        }

        if (_domKind[current] == (int)DomainKind.Sva)
        {
            return Result.Err(Errno.EBUSY);
        }

        if (current == slot)
        {
            return Result.Ok;
        }

        var bad = PasidAttachCheck(dev, pasid, slot, sva: false, replacing: true);
        if (bad.Kind == ResultKind.Err)
        {
            return bad;
        }

        SetGroupPasid(dev, pasid, slot);
        return Result.Ok;
    }

    /// <summary>detach_pasid: PASID-DETACH-1..4.</summary>
    private Result DetachPasidOp(int dev, int pasid)
    {
        if (pasid == 0)
        {
            return Result.Err(Errno.EINVAL);
        }

        int current = _pasidDomain[(_devGroup[dev] * _row) + pasid];
        if (current < 0)
        {
            return Result.Ok;
        }

        if (_domKind[current] == (int)DomainKind.Sva)
        {
            return Result.Err(Errno.EBUSY);
        }

        SetGroupPasid(dev, pasid, -1);
        return Result.Ok;
    }

    private int LowestFreePasid(int below)
    {
        int top = Math.Min(_row, below);
        for (int p = 1; p < top; p++)
        {
            if (_pasidOwner[p] == 0)
            {
                return p;
            }
        }

        return -1;
    }

    /// <summary>sva_bind: SVA-BIND-1..8 (an mm keeps a PASID it was given even when the bind then fails).</summary>
    private Result SvaBindOp(int dev, int mm)
    {
        int max = _devMaxPasids[dev];
        int pasid = _mmPasid[mm];
        if (pasid != 0)
        {
            if (pasid >= max)
            {
                return Result.Err(Errno.EOVERFLOW);
            }
        }
        else
        {
            pasid = LowestFreePasid(max);
            if (pasid < 0)
            {
                return Result.Err(Errno.ENOSPC);
            }

            _mmPasid[mm] = pasid;
            _pasidOwner[pasid] = 1 + mm;
        }

        int h = (dev * _scope.Mms.Length) + mm;
        if (_svaUsers[h] > 0)
        {
            _svaUsers[h]++;
            return Result.OkWith(pasid);
        }

        for (int slot = 0; slot < _slots; slot++)
        {
            if (_domKind[slot] == (int)DomainKind.Sva && _domMm[slot] == mm &&
                PasidAttachCheck(dev, pasid, slot, sva: true, replacing: false).Kind != ResultKind.Err)
            {
                SetGroupPasid(dev, pasid, slot);
                _domUsers[slot]++;
                _svaUsers[h] = 1;
                return Result.OkWith(pasid);
            }
        }

        int fresh = LowestFreeSlot();
        if (fresh < 0)
        {
            return Result.Err(Errno.ENOSPC);
        }

        _domKind[fresh] = (int)DomainKind.Sva;
        _domMm[fresh] = mm;
        _domFlags[fresh] = 0;
        _domFormat[fresh] = 0;
        _domParent[fresh] = -1;
        var bad = PasidAttachCheck(dev, pasid, fresh, sva: true, replacing: false);
        if (bad.Kind == ResultKind.Err)
        {
            _domKind[fresh] = 0;
            _domMm[fresh] = -1;
            return bad;
        }

        RecomputeContexts();
        SetGroupPasid(dev, pasid, fresh);
        _domUsers[fresh] = 1;
        _svaUsers[h] = 1;
        return Result.OkWith(pasid);
    }

    /// <summary>sva_unbind: SVA-UNBIND-1..5.</summary>
    private Result SvaUnbindOp(int dev, int mm)
    {
        int h = (dev * _scope.Mms.Length) + mm;
        if (_svaUsers[h] == 0)
        {
            return Result.Err(Errno.ENOENT);
        }

        if (_svaUsers[h] > 1)
        {
            _svaUsers[h]--;
            return Result.Ok;
        }

        _svaUsers[h] = 0;
        int pasid = _mmPasid[mm];
        int slot = _pasidDomain[(_devGroup[dev] * _row) + pasid];
        SetGroupPasid(dev, pasid, -1);
        if (slot >= 0)
        {
            _domUsers[slot]--;
            ReleaseUnusedSva(slot);
        }

        return Result.Ok;
    }

    /// <summary>vpasid_alloc: VPASID-ALLOC-1..7.</summary>
    private Result VpasidAllocOp(int vm, int vpasid)
    {
        if (_policy.VpasidScheme == VpasidScheme.None)
        {
            return Result.Err(Errno.EOPNOTSUPP);
        }

        int i = (vm * _vpasidRow) + vpasid;
        if (_vpasidTable[i] != 0)
        {
            return Result.Err(Errno.EEXIST);
        }

        int pp;
        if (_policy.VpasidScheme == VpasidScheme.Identity)
        {
            if (vpasid >= _row)
            {
                return Result.Err(Errno.EINVAL);
            }

            if (_pasidOwner[vpasid] != 0)
            {
                return Result.Err(Errno.EBUSY);
            }

            pp = vpasid;
        }
        else
        {
            pp = LowestFreePasid(int.MaxValue);
            if (pp < 0)
            {
                return Result.Err(Errno.ENOSPC);
            }
        }

        _vpasidTable[i] = pp;
        _pasidOwner[pp] = Layout.VmOwnerBase + vm;
        return Result.OkWith(pp);
    }

    /// <summary>vpasid_free: VPASID-FREE-1..4.</summary>
    private Result VpasidFreeOp(int vm, int vpasid)
    {
        if (_policy.VpasidScheme == VpasidScheme.None)
        {
            return Result.Err(Errno.EOPNOTSUPP);
        }

        int i = (vm * _vpasidRow) + vpasid;
        int pp = _vpasidTable[i];
        if (pp == 0)
        {
            return Result.Err(Errno.ENOENT);
        }

        foreach (var vd in _scope.Vms[vm].Devices)
        {
            if (_pasidDomain[(_devGroup[vd.Dev] * _row) + pp] >= 0)
            {
                return Result.Err(Errno.EBUSY);
            }
        }

        _vpasidTable[i] = 0;
        _pasidOwner[pp] = 0;
        return Result.Ok;
    }

    /// <summary>vpasid_attach: VPASID-ATTACH-1..6 with the PASID attach checks on the pPASID.</summary>
    private Result VpasidAttachOp(int vm, int dev, int vpasid, int slot)
    {
        if (_policy.VpasidScheme == VpasidScheme.None)
        {
            return Result.Err(Errno.EOPNOTSUPP);
        }

        var assigned = _scope.VmOf(dev);
        if (assigned is not { } a || a.Vm != vm)
        {
            return Result.Err(Errno.EINVAL);
        }

        int pp = _vpasidTable[(vm * _vpasidRow) + vpasid];
        if (pp == 0)
        {
            return Result.Err(Errno.ENOENT);
        }

        if (a.Assign == Assignment.Passthrough && pp != vpasid && _policy.PassthroughCheck)
        {
            return Result.Err(Errno.EINVAL);
        }

        var bad = PasidAttachCheck(dev, pp, slot, sva: false, replacing: false);
        if (bad.Kind == ResultKind.Err)
        {
            return bad;
        }

        SetGroupPasid(dev, pp, slot);
        return Result.OkWith(pp);
    }
}
