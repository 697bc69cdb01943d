using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>Contexts, tags and page walks as terms (mirrors ReferenceModel.Contexts.cs).</summary>
public sealed partial class SymModel
{
    /// <summary>The domain a context is attached to; -3 for an unattached PASID.</summary>
    internal Expr ContextDomain(SymState s, int dev, int pasid)
    {
        int g = GroupOf(dev);
        if (pasid == 0)
        {
            return s.RidDomain[g];
        }

        var d = s.PasidDomain[L.GroupPasid(g, pasid)];
        return T.Ite(d.Ge(0), d, T.Int(ReferenceModel.NoDomain));
    }

    /// <summary>PASID-COMPAT-1 for a slot term.</summary>
    internal Expr SlotPasidCompat(SymState s, Expr slot) => OnSlot(slot, i => SlotPasidCompat(s, i), T.False);

    private Expr SlotPasidCompat(SymState s, int i) =>
        s.DomKind[i].Eq((int)DomainKind.Sva) | T.Bool(P.PagingPasid == PagingPasid.Always) | HasFlag(s.DomFlags[i], AllocFlags.Pasid);

    /// <summary>The nest-parent-blocks-PASID condition of PASID-COMPAT-2 for a slot.</summary>
    private Expr IsNestParentBlocking(SymState s, int i) =>
        P.NestParentBlocksPasid ? HasFlag(s.DomFlags[i], AllocFlags.NestParent) : T.False;

    /// <summary>PASID-COMPAT-2 for a domain term (static domains always compatible).</summary>
    internal Expr DomainPasidCompatOnRid(SymState s, Expr domain) =>
        domain.Lt(0) | OnSlot(domain, i => SlotPasidCompat(s, i) & !IsNestParentBlocking(s, i), T.False);

    /// <summary>The tag a concrete slot gives a device and PASID part (TLB-TAG-2).</summary>
    private Expr DidTag(SymState s, int slot, int dev, int pasidPart)
    {
        Expr tag = T.Int(Tag.Make(slot + 1, pasidPart));
        if (P.DidAlloc == DidAlloc.PerDevice)
        {
            tag = T.Ite(s.DomFormat[slot].Eq((int)PageFormat.V2), T.Int(Tag.Make(Tag.PerDeviceDidBase + dev, pasidPart)), tag);
        }

        if (P.SvaSharedDid)
        {
            tag = T.Ite(s.DomKind[slot].Eq((int)DomainKind.Sva), T.Int(Tag.Make(Tag.SharedSvaDid, pasidPart)), tag);
        }

        return tag;
    }

    /// <summary>The IOTLB tag of a context (TLB-TAG-1..4); -1 for none.</summary>
    internal Expr TagOf(SymState s, int dev, int pasid) => Memo(s, 1, dev, pasid, 0, () => TagOfRaw(s, dev, pasid));

    private Expr TagOfRaw(SymState s, int dev, int pasid)
    {
        if (!Ref.CanIssue(dev, pasid))
        {
            return T.Int(Tag.None);
        }

        int g = GroupOf(dev);
        var rid = s.RidDomain[g];
        if (pasid == 0)
        {
            return OnSlot(rid, i => DidTag(s, i, dev, 0), T.Int(Tag.None));
        }

        if (P.IotlbTag == IotlbTag.RidDomainPasid)
        {
            return OnSlot(rid, i => DidTag(s, i, dev, pasid), T.Int(Tag.Make(Tag.PerDeviceDidBase + dev, pasid)));
        }

        int part = P.IotlbTag == IotlbTag.DomainPasid ? pasid : 0;
        return OnSlot(s.PasidDomain[L.GroupPasid(g, pasid)], i => DidTag(s, i, dev, part), T.Int(Tag.None));
    }

    /// <summary>The page table a context walks: slot, MmTableBase+mm, IdentityTable, or -1.</summary>
    internal Expr TableOf(SymState s, int dev, int pasid) => Memo(s, 2, dev, pasid, 0, () => TableOfRaw(s, dev, pasid));

    private Expr TableOfRaw(SymState s, int dev, int pasid)
    {
        if (!Ref.CanIssue(dev, pasid))
        {
            return T.Int(-1);
        }

        var d = ContextDomain(s, dev, pasid);
        return OnSlot(
            d,
            i => T.Ite(s.DomKind[i].Eq((int)DomainKind.Sva), s.DomMm[i] + ReferenceModel.MmTableBase, T.Int(i)),
            T.Ite(d.Eq(DomainRef.Identity.Value), ReferenceModel.IdentityTable, -1));
    }

    /// <summary>SVA-MM-1 for an mm term.</summary>
    private Expr MmPte(Expr mm, int iova) =>
        T.Select([.. Enumerable.Range(0, L.Mms).Select(m => T.Int(Ref.MmPte(m, iova)))], mm, T.Int(0));

    /// <summary>The PTE a concrete slot's walk finds, through a nested domain's parent (XLATE-5..7).</summary>
    private Expr SlotPte(SymState s, int slot, int iova)
    {
        var k = s.DomKind[slot];
        var nested = OnSlot(s.DomParent[slot], j => s.Ptes[L.Pte(j, iova)], T.Int(0));
        return T.Ite(
            k.Eq((int)DomainKind.Paging),
            s.Ptes[L.Pte(slot, iova)],
            T.Ite(k.Eq((int)DomainKind.Nested), nested, T.Ite(k.Eq((int)DomainKind.Sva), MmPte(s.DomMm[slot], iova), T.Int(0))));
    }

    /// <summary>The PTE a context's walk finds, 0 for a fault (XLATE-1..7).</summary>
    internal Expr WalkPte(SymState s, int dev, int pasid, int iova) => Memo(s, 3, dev, pasid, iova, () => WalkPteRaw(s, dev, pasid, iova));

    private Expr WalkPteRaw(SymState s, int dev, int pasid, int iova)
    {
        if (!Ref.CanIssue(dev, pasid))
        {
            return T.Int(0);
        }

        var d = ContextDomain(s, dev, pasid);
        return OnSlot(d, i => SlotPte(s, i, iova), T.Ite(d.Eq(DomainRef.Identity.Value), T.Int(Pte.Make(iova % Sc.PhysPages, 3)), T.Int(0)));
    }

    /// <summary>True when a context's domain is the slot or a nested domain over it.</summary>
    internal Expr ContextUses(SymState s, int dev, int pasid, int slot) => Memo(s, 4, dev, pasid, slot, () => ContextUsesRaw(s, dev, pasid, slot));

    private Expr ContextUsesRaw(SymState s, int dev, int pasid, int slot)
    {
        if (!Ref.CanIssue(dev, pasid))
        {
            return T.False;
        }

        var d = ContextDomain(s, dev, pasid);
        return d.Eq(slot) | OnSlot(d, i => s.DomKind[i].Eq((int)DomainKind.Nested) & s.DomParent[i].Eq(slot), T.False);
    }

    /// <summary>TLB-FQ-2: a queued invalidation still covers the context and page, and the IOVA was not reused.</summary>
    internal Expr DeferredExempt(SymState s, int dev, int pasid, int iova) => Memo(s, 5, dev, pasid, iova, () =>
        T.Or(Enumerable.Range(0, L.Slots).Select(j => s.Fq[U.FqIndex(j, iova)] & ContextUses(s, dev, pasid, j) & s.Ptes[L.Pte(j, iova)].Eq(0))));
}
