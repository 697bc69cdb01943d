using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Engine;

/// <summary>Context decoding and the invalidations of attachment changes.</summary>
public sealed partial class TranslationEngine
{
    private bool CanIssue(int dev, int pasid) => pasid == 0 || pasid < _devMaxPasids[dev];

    /// <summary>The DID a slot uses when reached from a device (spec TLB-TAG-2, as <see cref="ReferenceModel.DidOf"/>).</summary>
    private int DidOf(int slot, int dev)
    {
        if (_domKind[slot] == (int)DomainKind.Sva && _policy.SvaSharedDid)
        {
            return Tag.SharedSvaDid;
        }

        if (_policy.DidAlloc == DidAlloc.PerDevice && _domFormat[slot] == (int)PageFormat.V2)
        {
            return Tag.PerDeviceDidBase + dev;
        }

        return slot + 1;
    }

    /// <summary>The IOTLB tag of a context (spec TLB-TAG-1..4, as <see cref="ReferenceModel.TagOf"/>).</summary>
    private int TagOf(int dev, int pasid)
    {
        if (!CanIssue(dev, pasid))
        {
            return Tag.None;
        }

        int g = _devGroup[dev];
        int rid = _ridDomain[g];
        if (pasid == 0)
        {
            return rid >= 0 ? Tag.Make(DidOf(rid, dev), 0) : Tag.None;
        }

        if (_policy.IotlbTag == IotlbTag.RidDomainPasid)
        {
            int did = rid >= 0 ? DidOf(rid, dev) : Tag.PerDeviceDidBase + dev;
            return Tag.Make(did, pasid);
        }

        int d = _pasidDomain[(g * _row) + pasid];
        return d < 0 ? Tag.None : Tag.Make(DidOf(d, dev), _policy.IotlbTag == IotlbTag.DomainPasid ? pasid : 0);
    }

    /// <summary>Re-decodes every context from the RID and PASID tables (after any attachment or domain change).</summary>
    private void RecomputeContexts()
    {
        for (int dev = 0; dev < _devices; dev++)
        {
            int g = _devGroup[dev];
            for (int p = 0; p < _row; p++)
            {
                ref Context c = ref _ctx[(dev * _row) + p];
                c = default;
                c.Tag = TagOf(dev, p);
                if (!CanIssue(dev, p))
                {
                    c.Walk = WalkNoContext;
                    c.Table = -1;
                    c.Domain = ReferenceModel.NoDomain;
                    continue;
                }

                int d = p == 0 ? _ridDomain[g] : _pasidDomain[(g * _row) + p];
                if (p != 0 && d < 0)
                {
                    d = ReferenceModel.NoDomain;
                }

                c.Domain = d;
                c.Fills = d != DomainRef.Identity.Value;
                if (d == DomainRef.Identity.Value)
                {
                    c.Walk = WalkIdentity;
                    c.Table = ReferenceModel.IdentityTable;
                }
                else if (d == DomainRef.Blocked.Value)
                {
                    c.Walk = WalkBlocked;
                    c.Table = -1;
                }
                else if (d < 0)
                {
                    c.Walk = WalkUnattached;
                    c.Table = -1;
                }
                else if (_domKind[d] == (int)DomainKind.Sva)
                {
                    c.Walk = WalkMm;
                    c.Slot = _domMm[d];
                    c.Table = ReferenceModel.MmTableBase + _domMm[d];
                }
                else
                {
                    c.Walk = WalkTable;
                    c.Slot = _domKind[d] == (int)DomainKind.Nested ? _domParent[d] : d;
                    c.Table = d;
                }
            }
        }
    }

    /// <summary>Remembers the decoded contexts before an attachment change.</summary>
    private void SnapshotContexts() => Array.Copy(_ctx, _before, _ctx.Length);

    /// <summary>After an attachment change in a group: re-decode, and flush what changed contexts cached (spec TLB-DETACH-1).</summary>
    private void AttachmentChanged(int group)
    {
        RecomputeContexts();
        if (!_policy.FlushOnDetach)
        {
            return;
        }

        for (int dev = 0; dev < _devices; dev++)
        {
            if (_devGroup[dev] != group)
            {
                continue;
            }

            for (int p = 0; p < _row; p++)
            {
                int i = (dev * _row) + p;
                int oldTag = _before[i].Tag;
                if (oldTag == _ctx[i].Tag && _before[i].Table == _ctx[i].Table)
                {
                    continue;
                }

                if (oldTag != Tag.None)
                {
                    _iotlb.RemoveWhere(~PageMask, (ulong)(uint)oldTag << PageBits);
                }

                _devTlb[dev]?.RemoveWhere(~PageMask, (ulong)(uint)(p + 1) << PageBits);
            }
        }
    }

    /// <summary>True when a context's domain is the slot or a nested domain over it.</summary>
    private bool ContextUses(in Context c, int slot) =>
        c.Domain == slot || (c.Domain >= 0 && _domKind[c.Domain] == (int)DomainKind.Nested && _domParent[c.Domain] == slot);

    /// <summary>The invalidation an unmap of (slot, page) issues (spec UNMAP-FLUSH-1..3).</summary>
    private void FlushDomainPage(int slot, ulong page)
    {
        bool ridOnly = _policy.UnmapFlush == UnmapFlush.RidTagOnly;
        bool devFlush = _policy.DevTlbFlush;
        for (int dev = 0; dev < _devices; dev++)
        {
            int b = dev * _row;
            for (int p = 0; p < _row; p++)
            {
                ref Context c = ref _ctx[b + p];
                if (c.Walk == WalkNoContext || !ContextUses(c, slot) || (ridOnly && p != 0))
                {
                    continue;
                }

                if (c.Tag != Tag.None)
                {
                    _iotlb.Remove(IotlbKey(c.Tag, page));
                }

                if (devFlush)
                {
                    _devTlb[dev]?.Remove(DevKey(p, page));
                }
            }
        }
    }
}
