using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>Contexts, tags and page walks: the read-only functions every operation and invariant shares.</summary>
public sealed partial class ReferenceModel
{
    /// <summary>Page-table identity of the identity domain.</summary>
    public const int IdentityTable = -2;

    /// <summary>Page-table identity of an mm's page table is this plus the mm index.</summary>
    public const int MmTableBase = 1000;

    /// <summary>What <see cref="ContextDomain"/> returns for a PASID with nothing attached.</summary>
    public const int NoDomain = -3;

    /// <summary>The group of a device.</summary>
    public int GroupOf(int dev) => Scope.Devices[dev].Group;

    /// <summary>True when (dev, pasid) is a context the device can issue: PASID 0, or a PASID below its width.</summary>
    /// <remarks>Rules XLATE-1, DEV-VF-1.</remarks>
    public bool CanIssue(int dev, int pasid) => pasid == 0 || pasid < Scope.EffectiveMaxPasids(dev);

    /// <summary>The domain a context is attached to, as a <see cref="DomainRef"/> value; -3 for nothing (PASID unattached).</summary>
    public int ContextDomain(in View v, int dev, int pasid)
    {
        int g = GroupOf(dev);
        if (pasid == 0)
        {
            return v.RidDomain[g];
        }

        int d = v.PasidDomain[L.GroupPasid(g, pasid)];
        return d >= 0 ? d : NoDomain;
    }

    /// <summary>True when a slot's domain may serve a PASID by its allocation (spec PASID-COMPAT-1).</summary>
    /// <remarks>SVA domains always; paging and nested domains when allocated with the PASID flag, or on a
    /// platform whose paging domains are always PASID-capable (SEMANTICS.md section 1).</remarks>
    public bool SlotPasidCompat(in View v, int slot) =>
        (DomainKind)v.DomKind[slot] == DomainKind.Sva ||
        Policy.PagingPasid == PagingPasid.Always ||
        (((AllocFlags)v.DomFlags[slot]) & AllocFlags.Pasid) != 0;

    /// <summary>True when a group's RID domain allows PASIDs beside it (spec PASID-COMPAT-2).</summary>
    /// <remarks>The static domains (blocked, identity) always; a slot when <see cref="SlotPasidCompat"/> and it is
    /// not a nest parent whose stage-2-only context blocks PASIDs (Arm SMMUv3).</remarks>
    public bool RidPasidCompat(in View v, int group) => DomainPasidCompatOnRid(v, v.RidDomain[group]);

    /// <summary>True when a domain (a <see cref="DomainRef"/> value) may sit on a RID that has PASIDs attached.</summary>
    public bool DomainPasidCompatOnRid(in View v, int domain) =>
        domain < 0 || (SlotPasidCompat(v, domain) && !IsNestParentBlocking(v, domain));

    /// <summary>True when a slot is a nest-parent (stage-2) domain and the policy says that blocks PASIDs.</summary>
    public bool IsNestParentBlocking(in View v, int slot) =>
        Policy.NestParentBlocksPasid && (((AllocFlags)v.DomFlags[slot]) & AllocFlags.NestParent) != 0;

    /// <summary>The domain ID a slot uses when reached from a device (spec TLB-TAG-2).</summary>
    public int DidOf(in View v, int slot, int dev)
    {
        if ((DomainKind)v.DomKind[slot] == DomainKind.Sva && Policy.SvaSharedDid)
        {
            return Tag.SharedSvaDid;
        }

        if (Policy.DidAlloc == DidAlloc.PerDevice && (PageFormat)v.DomFormat[slot] == PageFormat.V2)
        {
            return Tag.PerDeviceDidBase + dev;
        }

        return slot + 1;
    }

    /// <summary>The IOTLB tag a context's translations are cached under, or <see cref="Tag.None"/> (spec TLB-TAG-1..4).</summary>
    public int TagOf(in View v, int dev, int pasid)
    {
        if (!CanIssue(dev, pasid))
        {
            return Tag.None;
        }

        int g = GroupOf(dev);
        int rid = v.RidDomain[g];
        if (pasid == 0)
        {
            return rid >= 0 ? Tag.Make(DidOf(v, rid, dev), 0) : Tag.None;
        }

        if (Policy.IotlbTag == IotlbTag.RidDomainPasid)
        {
            int did = rid >= 0 ? DidOf(v, rid, dev) : Tag.PerDeviceDidBase + dev;
            return Tag.Make(did, pasid);
        }

        int d = v.PasidDomain[L.GroupPasid(g, pasid)];
        if (d < 0)
        {
            return Tag.None;
        }

        return Tag.Make(DidOf(v, d, dev), Policy.IotlbTag == IotlbTag.DomainPasid ? pasid : 0);
    }

    /// <summary>Which page table a context walks: a slot (a nested domain's own slot), an mm, identity, or -1 for none.</summary>
    public int TableOf(in View v, int dev, int pasid)
    {
        if (!CanIssue(dev, pasid))
        {
            return -1;
        }

        int d = ContextDomain(v, dev, pasid);
        if (d == DomainRef.Identity.Value)
        {
            return IdentityTable;
        }

        if (d < 0)
        {
            return -1;
        }

        return (DomainKind)v.DomKind[d] == DomainKind.Sva ? MmTableBase + v.DomMm[d] : d;
    }

    /// <summary>The PTE an mm's page table holds for a page: every mm maps every page, read-write.</summary>
    /// <remarks>Spec SVA-MM-1: mm m maps page i to physical page (i + m + 1) mod phys_pages. CPU page-table
    /// changes and their mmu-notifier invalidations are outside the model.</remarks>
    public int MmPte(int mm, int iova) => Pte.Make((iova + mm + 1) % Scope.PhysPages, 3);

    /// <summary>The PTE a slot's walk finds for a page, following a nested domain to its parent (0 = none).</summary>
    public int SlotPte(in View v, int slot, int iova) => (DomainKind)v.DomKind[slot] switch
    {
        DomainKind.Paging => v.Ptes[L.Pte(slot, iova)],
        DomainKind.Nested => v.Ptes[L.Pte(v.DomParent[slot], iova)],
        DomainKind.Sva => MmPte(v.DomMm[slot], iova),
        _ => 0,
    };

    /// <summary>Walks a context's tables: the PTE found, or 0 with the fault reason.</summary>
    /// <remarks>Rules XLATE-1..XLATE-6.</remarks>
    public (int Pte, FaultReason Fault) Walk(in View v, int dev, int pasid, int iova)
    {
        if (!CanIssue(dev, pasid))
        {
            return (0, FaultReason.NoContext);
        }

        int d = ContextDomain(v, dev, pasid);
        if (d == DomainRef.Identity.Value)
        {
            return (Pte.Make(iova % Scope.PhysPages, 3), default);
        }

        if (d == DomainRef.Blocked.Value)
        {
            return (0, FaultReason.Blocked);
        }

        if (d < 0)
        {
            return (0, FaultReason.PasidNotAttached);
        }

        int pte = SlotPte(v, d, iova);
        return pte == 0 ? (0, FaultReason.NotPresent) : (pte, default);
    }

    /// <summary>True when a context's domain is <paramref name="slot"/> or a nested domain over it.</summary>
    public bool ContextUses(in View v, int dev, int pasid, int slot)
    {
        if (!CanIssue(dev, pasid))
        {
            return false;
        }

        int d = ContextDomain(v, dev, pasid);
        return d == slot || (d >= 0 && (DomainKind)v.DomKind[d] == DomainKind.Nested && v.DomParent[d] == slot);
    }

    /// <summary>Every context of the scope: (device, PASID) for PASID 0 and each PASID the device can issue.</summary>
    public IEnumerable<(int Dev, int Pasid)> Contexts()
    {
        for (int dev = 0; dev < L.Devices; dev++)
        {
            for (int p = 0; p < L.PasidRow; p++)
            {
                if (CanIssue(dev, p))
                {
                    yield return (dev, p);
                }
            }
        }
    }

    /// <summary>True when a deferred invalidation still covers (context, iova) and the IOVA was not reused (spec TLB-FQ-2).</summary>
    public bool DeferredExempt(IommuState s, in View v, int dev, int pasid, int iova)
    {
        foreach (long e in s.FlushQueue)
        {
            int slot = Entry.FqSlot(e);
            if (Entry.FqIova(e) == iova && ContextUses(v, dev, pasid, slot) && v.Ptes[L.Pte(slot, iova)] == 0)
            {
                return true;
            }
        }

        return false;
    }
}
