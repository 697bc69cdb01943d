using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>Spec area "PASID": the shared attach checks and attach/replace/detach_pasid (mirrors ReferenceModel.Pasid.cs).</summary>
public sealed partial class SymModel
{
    /// <summary>True when PASID-ATTACH-1..11 all pass for a concrete PASID and slot.</summary>
    private Expr PasidAttachPasses(SymState s, int dev, int pasid, int slot, bool svaCaller, bool replacing)
    {
        int g = GroupOf(dev);
        var k = s.DomKind[slot];
        if (pasid == 0 || Sc.EffectiveMaxPasids(dev) == 0)
        {
            return T.False; // PASID-ATTACH-2, PASID-ATTACH-3
        }

        foreach (int other in Sc.GroupDevices(g))
        {
            int max = Sc.EffectiveMaxPasids(other);
            if (max > 0 && pasid >= max)
            {
                return T.False; // PASID-ATTACH-8
            }
        }

        var ok = k.Ne((int)DomainKind.Free); // PASID-ATTACH-1
        if (P.PagingPasid == PagingPasid.Never)
        {
            ok &= k.Eq((int)DomainKind.Sva); // PASID-ATTACH-4
        }

        if (!svaCaller)
        {
            ok &= k.Ne((int)DomainKind.Sva); // PASID-ATTACH-5
        }

        ok &= SlotPasidCompat(s, slot); // PASID-ATTACH-6
        ok &= DomainPasidCompatOnRid(s, s.RidDomain[g]); // PASID-ATTACH-7
        if (!replacing)
        {
            ok &= s.PasidDomain[L.GroupPasid(g, pasid)].Lt(0); // PASID-ATTACH-9
        }

        if (P.DirtyBlocksPasid)
        {
            ok &= !HasFlag(s.DomFlags[slot], AllocFlags.DirtyTracking); // PASID-ATTACH-10
        }

        if (P.NestParentBlocksPasid)
        {
            ok &= !HasFlag(s.DomFlags[slot], AllocFlags.NestParent); // PASID-ATTACH-11
        }

        return ok;
    }

    /// <summary>Sets a group's PASID to a slot term, clears guest PASIDs there, and flushes what changed.</summary>
    private SymState SetGroupPasid(SymState s, int dev, int pasid, Expr slot)
    {
        int g = GroupOf(dev);
        var n = s.Copy();
        n.PasidDomain[L.GroupPasid(g, pasid)] = slot;
        foreach (int other in Sc.GroupDevices(g))
        {
            n.GuestPasid[L.DevPasid(other, pasid)] = T.Int(0);
        }

        return FlushChangedContexts(n, s, g);
    }

    /// <summary>PASID-ATTACH-1..12.</summary>
    private SymState AttachPasidOp(SymState s, AttachPasid op) =>
        Guard(PasidAttachPasses(s, op.Dev, op.Pasid, op.Slot, svaCaller: false, replacing: false), SetGroupPasid(s, op.Dev, op.Pasid, T.Int(op.Slot)), s);

    /// <summary>The attach checks, then PASID-REPLACE-1..4.</summary>
    private SymState ReplacePasidOp(SymState s, ReplacePasid op)
    {
        var ok = PasidAttachPasses(s, op.Dev, op.Pasid, op.Slot, svaCaller: false, replacing: true);
        if (ok.IsFalse)
        {
            return s;
        }

        var current = s.PasidDomain[L.GroupPasid(GroupOf(op.Dev), op.Pasid)];
        ok &= current.Ge(0); // PASID-REPLACE-1
        ok &= !Kind(s, current, DomainKind.Sva); // PASID-REPLACE-2
        ok &= current.Ne(op.Slot); // PASID-REPLACE-3 changes nothing
        return Guard(ok, SetGroupPasid(s, op.Dev, op.Pasid, T.Int(op.Slot)), s); // PASID-REPLACE-4
    }

    /// <summary>PASID-DETACH-1..4.</summary>
    private SymState DetachPasidOp(SymState s, DetachPasid op)
    {
        if (op.Pasid == 0)
        {
            return s; // PASID-DETACH-1
        }

        var current = s.PasidDomain[L.GroupPasid(GroupOf(op.Dev), op.Pasid)];
        var ok = current.Ge(0) & !Kind(s, current, DomainKind.Sva); // PASID-DETACH-2, PASID-DETACH-3
        return Guard(ok, SetGroupPasid(s, op.Dev, op.Pasid, T.Int(-1)), s); // PASID-DETACH-4
    }
}
