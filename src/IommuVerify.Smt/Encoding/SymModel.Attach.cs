using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>Spec area "attach": alloc_domain, free_domain, attach/replace/detach_rid (mirrors ReferenceModel.Domains.cs and .Rid.cs).</summary>
public sealed partial class SymModel
{
    /// <summary>DOM-ALLOC-1..8.</summary>
    private SymState AllocDomainOp(SymState s, AllocDomain a)
    {
        Expr ok = T.True;
        Expr format = T.Int((int)PageFormat.Default);
        if (a.Kind == DomainKind.Nested)
        {
            var pk = s.DomKind[a.Parent];
            ok &= pk.Ne((int)DomainKind.Free); // DOM-ALLOC-2
            ok &= pk.Eq((int)DomainKind.Paging) & HasFlag(s.DomFlags[a.Parent], AllocFlags.NestParent); // DOM-ALLOC-3
            ok &= T.Bool((a.Flags & (AllocFlags.NestParent | AllocFlags.DirtyTracking)) == 0); // DOM-ALLOC-4
            format = s.DomFormat[a.Parent];
        }
        else if (P.SplitFormats)
        {
            ok &= T.Bool(!((a.Flags & AllocFlags.Pasid) != 0 && (a.Flags & AllocFlags.DirtyTracking) != 0)); // DOM-ALLOC-5
            format = T.Int((int)((a.Flags & AllocFlags.Pasid) != 0 ? PageFormat.V2 : PageFormat.V1)); // DOM-ALLOC-7
        }

        var lowest = Lowest([.. s.DomKind.Select(k => k.Eq((int)DomainKind.Free))]);
        ok &= T.Or(lowest); // DOM-ALLOC-1
        var n = s.Copy();
        for (int i = 0; i < L.Slots; i++)
        {
            var here = ok & lowest[i]; // DOM-ALLOC-6/7/8: the lowest free slot gets the domain
            n.DomKind[i] = T.Ite(here, T.Int((int)a.Kind), s.DomKind[i]);
            n.DomFlags[i] = T.Ite(here, T.Int((int)a.Flags), s.DomFlags[i]);
            n.DomFormat[i] = T.Ite(here, format, s.DomFormat[i]);
            n.DomParent[i] = T.Ite(here, T.Int(a.Kind == DomainKind.Nested ? a.Parent : -1), s.DomParent[i]);
            n.DomMm[i] = T.Ite(here, T.Int(-1), s.DomMm[i]);
            n.DomUsers[i] = T.Ite(here, T.Int(0), s.DomUsers[i]);
        }

        return n;
    }

    /// <summary>The in-use test of DOM-FREE-3.</summary>
    private Expr InUse(SymState s, int slot) =>
        T.Or(s.RidDomain.Select(r => r.Eq(slot)).Concat(s.PasidDomain.Select(p => p.Eq(slot)))
            .Concat(Enumerable.Range(0, L.Slots).Select(i => s.DomKind[i].Eq((int)DomainKind.Nested) & s.DomParent[i].Eq(slot))));

    /// <summary>DOM-FREE-1..4.</summary>
    private SymState FreeDomainOp(SymState s, FreeDomain f)
    {
        int slot = f.Slot;
        var k = s.DomKind[slot];
        var ok = k.Ne((int)DomainKind.Free) & k.Ne((int)DomainKind.Sva) & !InUse(s, slot); // DOM-FREE-1, -2, -3
        var n = DrainQueue(s, (j, _) => j == slot); // DOM-FREE-4: queued invalidations of the slot happen first
        n = ClearSlot(n, slot);
        return Guard(ok, n, s);
    }

    /// <summary>Frees a slot's fields and page table.</summary>
    private SymState ClearSlot(SymState s, int slot)
    {
        var n = s.Copy();
        n.DomKind[slot] = T.Int(0);
        n.DomFlags[slot] = T.Int(0);
        n.DomFormat[slot] = T.Int(0);
        n.DomMm[slot] = T.Int(-1);
        n.DomParent[slot] = T.Int(-1);
        n.DomUsers[slot] = T.Int(0);
        for (int i = 0; i < L.Iovas; i++)
        {
            n.Ptes[L.Pte(slot, i)] = T.Int(0);
        }

        return n;
    }

    private Expr GroupHasPasids(SymState s, int g) =>
        T.Or(Enumerable.Range(1, L.PasidRow - 1).Select(p => s.PasidDomain[L.GroupPasid(g, p)].Ge(0)));

    /// <summary>RID-ATTACH-1..6 and RID-REPLACE-1..3 (an SVA domain the RID leaves may be freed: SVA-UNBIND-4).</summary>
    private SymState AttachRidOp(SymState s, int dev, int target, bool replace)
    {
        int g = GroupOf(dev);
        var tk = target >= 0 ? s.DomKind[target] : T.Int(-1);
        Expr ok = target >= 0 ? tk.Ne((int)DomainKind.Free) : T.True; // RID-ATTACH-1
        var current = s.RidDomain[g];
        if (!replace)
        {
            ok &= current.Eq(DomainRef.Blocked.Value); // RID-ATTACH-2
        }
        else
        {
            ok &= current.Ne(DomainRef.Blocked.Value); // RID-REPLACE-3: nothing attached to replace
            ok &= current.Ne(target); // RID-REPLACE-1: same domain, nothing changes
        }

        if (target >= 0 && P.SvaOnRid == SvaOnRid.Refused)
        {
            ok &= tk.Ne((int)DomainKind.Sva); // RID-ATTACH-3 (RID-ATTACH-4 lets it through otherwise)
        }

        ok &= !(GroupHasPasids(s, g) & !DomainPasidCompatOnRid(s, T.Int(target))); // RID-ATTACH-5
        var n = s.Copy();
        n.RidDomain[g] = T.Int(target); // RID-ATTACH-6, RID-REPLACE-2
        n = FlushChangedContexts(n, s, g);
        n = ReleaseUnusedSva(n, current); // SVA-UNBIND-4
        return Guard(ok, n, s);
    }

    /// <summary>Frees the SVA domain in <paramref name="slot"/> when it has no users and sits on no RID (SVA-UNBIND-3, SVA-UNBIND-4).</summary>
    private SymState ReleaseUnusedSva(SymState n, Expr slot)
    {
        var r = n;
        for (int i = L.Slots - 1; i >= 0; i--)
        {
            int slotIndex = i;
            Expr onRid = T.Or(Enumerable.Range(0, L.Groups).Select(g => n.RidDomain[g].Eq(slotIndex)));
            Expr release = slot.Eq(i) & n.DomKind[i].Eq((int)DomainKind.Sva) & !n.DomUsers[i].Gt(0) & !onRid;
            r = SymState.Ite(T, release, ClearSlot(n, i), r);
        }

        return r;
    }

    /// <summary>RID-DETACH-1..2.</summary>
    private SymState DetachRidOp(SymState s, DetachRid op)
    {
        int g = GroupOf(op.Dev);
        var n = s.Copy();
        n.RidDomain[g] = T.Int(DomainRef.Blocked.Value);
        n = FlushChangedContexts(n, s, g);
        n = ReleaseUnusedSva(n, s.RidDomain[g]); // SVA-UNBIND-4
        return Guard(s.RidDomain[g].Ne(DomainRef.Blocked.Value), n, s); // RID-DETACH-1 when already blocked
    }
}
