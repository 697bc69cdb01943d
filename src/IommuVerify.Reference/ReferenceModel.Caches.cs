using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Reference;

/// <summary>Cache invalidation as the policy issues it.</summary>
public sealed partial class ReferenceModel
{
    /// <summary>After an attachment change in a group, flush what changed contexts may have cached (spec TLB-DETACH-1).</summary>
    /// <remarks>Only when the policy flushes on detach; the SMMUv3 rule (flush the ASID/VMID when the last
    /// device leaves) is the case where this matters, because later unmaps find no device to invalidate.</remarks>
    private void FlushChangedContexts(Draft d, in View before, int group)
    {
        if (!Policy.FlushOnDetach)
        {
            return;
        }

        var after = View.Of(d);
        foreach (int dev in Scope.GroupDevices(group))
        {
            for (int p = 0; p < L.PasidRow; p++)
            {
                int oldTag = TagOf(before, dev, p);
                if (oldTag == TagOf(after, dev, p) && TableOf(before, dev, p) == TableOf(after, dev, p))
                {
                    continue;
                }

                if (oldTag != Tag.None)
                {
                    d.Iotlb.RemoveWhere(e => Entry.IotlbTag(e) == oldTag);
                }

                int dv = dev, pv = p;
                d.DevTlb.RemoveWhere(e => Entry.Dev(e) == dv && Entry.DevPasid(e) == pv);
            }
        }
    }

    /// <summary>The invalidation an unmap of (slot, iova) issues, now or when the flush queue drains (spec UNMAP-FLUSH-1..3).</summary>
    private void FlushDomainPage(Draft d, int slot, int iova)
    {
        var v = View.Of(d);
        foreach (var (dev, p) in Contexts())
        {
            if (!ContextUses(v, dev, p, slot))
            {
                continue;
            }

            if (Policy.UnmapFlush == UnmapFlush.RidTagOnly && p != 0)
            {
                continue;
            }

            int tag = TagOf(v, dev, p);
            if (tag != Tag.None)
            {
                d.Iotlb.RemoveWhere(e => Entry.IotlbTag(e) == tag && Entry.Iova(e) == iova);
            }

            if (Policy.DevTlbFlush && Scope.Devices[dev].Ats)
            {
                int dv = dev, pv = p;
                d.DevTlb.RemoveWhere(e => Entry.Dev(e) == dv && Entry.DevPasid(e) == pv && Entry.Iova(e) == iova);
            }
        }
    }

    /// <summary>Drains flush-queue entries matching a filter, performing their invalidations (spec TLB-FQ-1).</summary>
    private void DrainQueue(Draft d, Func<long, bool> which)
    {
        foreach (long e in d.FlushQueue.Where(which).ToList())
        {
            FlushDomainPage(d, Entry.FqSlot(e), Entry.FqIova(e));
            d.FlushQueue.Remove(e);
        }
    }
}
