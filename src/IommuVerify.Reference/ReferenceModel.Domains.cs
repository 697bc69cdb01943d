using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>alloc_domain and free_domain (spec section "Domains").</summary>
public sealed partial class ReferenceModel
{
    private int LowestFreeSlot(IReadOnlyList<int> kinds)
    {
        for (int i = 0; i < L.Slots; i++)
        {
            if (kinds[i] == (int)DomainKind.Free)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>alloc_domain: rules DOM-ALLOC-1..6.</summary>
    private StepResult AllocDomainOp(IommuState s, AllocDomain a)
    {
        var v = View.Of(s);
        var format = PageFormat.Default;
        if (a.Kind == DomainKind.Nested)
        {
            // iommufd_hwpt_nested_alloc rejects flags before it looks at the parent.
            if ((a.Flags & (AllocFlags.NestParent | AllocFlags.DirtyTracking)) != 0)
            {
                return Fail(s, Errno.EOPNOTSUPP, "DOM-ALLOC-4");
            }

            if (s.DomKind[a.Parent] == (int)DomainKind.Free)
            {
                return Fail(s, Errno.EINVAL, "DOM-ALLOC-2");
            }

            if (s.DomKind[a.Parent] != (int)DomainKind.Paging || ((AllocFlags)s.DomFlags[a.Parent] & AllocFlags.NestParent) == 0)
            {
                return Fail(s, Errno.EINVAL, "DOM-ALLOC-3");
            }

            format = (PageFormat)s.DomFormat[a.Parent];
        }
        else if (Policy.SplitFormats)
        {
            // AMD: amd_iommu_domain_alloc_paging_flags picks v2 for the PASID flag, v1 for dirty tracking
            // and by default, and refuses the two together.
            if ((a.Flags & AllocFlags.Pasid) != 0 && (a.Flags & AllocFlags.DirtyTracking) != 0)
            {
                return Fail(s, Errno.EOPNOTSUPP, "DOM-ALLOC-5");
            }

            format = (a.Flags & AllocFlags.Pasid) != 0 ? PageFormat.V2 : PageFormat.V1;
        }

        int slot = LowestFreeSlot(v.DomKind);
        if (slot < 0)
        {
            return Fail(s, Errno.ENOSPC, "DOM-ALLOC-1");
        }

        var d = new Draft(s);
        d.DomKind[slot] = (int)a.Kind;
        d.DomFlags[slot] = (int)a.Flags;
        d.DomFormat[slot] = (int)format;
        d.DomParent[slot] = a.Kind == DomainKind.Nested ? a.Parent : -1;
        d.DomMm[slot] = -1;
        d.DomUsers[slot] = 0;
        return Done(d, Result.OkDomain(slot), a.Kind == DomainKind.Nested ? "DOM-ALLOC-6" : Policy.SplitFormats ? "DOM-ALLOC-7" : "DOM-ALLOC-8");
    }

    /// <summary>True when a slot is attached to any RID or PASID, or is the parent of a live nested domain.</summary>
    private bool InUse(IommuState s, int slot)
    {
        if (s.RidDomain.Contains(slot) || s.PasidDomain.Contains(slot))
        {
            return true;
        }

        for (int i = 0; i < L.Slots; i++)
        {
            if (s.DomKind[i] == (int)DomainKind.Nested && s.DomParent[i] == slot)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>free_domain: rules DOM-FREE-1..4.</summary>
    private StepResult FreeDomainOp(IommuState s, FreeDomain f)
    {
        int slot = f.Slot;
        if (s.DomKind[slot] == (int)DomainKind.Free)
        {
            return Fail(s, Errno.ENOENT, "DOM-FREE-1");
        }

        if (s.DomKind[slot] == (int)DomainKind.Sva)
        {
            return Fail(s, Errno.EINVAL, "DOM-FREE-2");
        }

        if (InUse(s, slot))
        {
            return Fail(s, Errno.EBUSY, "DOM-FREE-3");
        }

        var d = new Draft(s);
        DrainQueue(d, e => Entry.FqSlot(e) == slot);
        ClearSlot(d, slot);
        return Done(d, Result.Ok, "DOM-FREE-4");
    }

    private void ClearSlot(Draft d, int slot)
    {
        d.DomKind[slot] = 0;
        d.DomFlags[slot] = 0;
        d.DomFormat[slot] = 0;
        d.DomMm[slot] = -1;
        d.DomParent[slot] = -1;
        d.DomUsers[slot] = 0;
        for (int i = 0; i < L.Iovas; i++)
        {
            d.Ptes[L.Pte(slot, i)] = 0;
        }
    }
}
