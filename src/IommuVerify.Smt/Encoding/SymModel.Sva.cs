using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>Spec area "SVA": sva_bind and sva_unbind (mirrors ReferenceModel.Sva.cs).</summary>
public sealed partial class SymModel
{
    /// <summary>SVA-BIND-1..8.</summary>
    private SymState SvaBindOp(SymState s, SvaBind op)
    {
        int dev = op.Dev, mm = op.Mm;
        int max = Sc.EffectiveMaxPasids(dev);
        var pasid0 = s.MmPasid[mm];
        var pasids = Enumerable.Range(1, L.PasidRow - 1).ToList();

        // The mm already has a PASID: SVA-BIND-2 refuses one the device cannot issue.
        var existing = OnValue(pasid0, pasids, p => p >= max ? s : BindWith(s, s, dev, mm, p), s);

        // A new PASID: SVA-BIND-3, the lowest free one below the device's width.
        int top = Math.Min(L.PasidRow, max);
        var free = Enumerable.Range(1, Math.Max(0, top - 1)).Select(p => s.PasidOwner[p].Eq(0)).ToList();
        var lowest = Lowest(free);
        SymState fresh = s;
        for (int i = free.Count - 1; i >= 0; i--)
        {
            int p = i + 1;
            var basis = s.Copy();
            basis.MmPasid[mm] = T.Int(p);
            basis.PasidOwner[p] = T.Int(1 + mm);
            fresh = SymState.Ite(T, lowest[i], BindWith(s, basis, dev, mm, p), fresh);
        }

        return SymState.Ite(T, pasid0.Eq(0), fresh, existing);
    }

    /// <summary>The part of sva_bind after the PASID is known: SVA-BIND-1, -4..-8 on <paramref name="basis"/>.</summary>
    private SymState BindWith(SymState s, SymState basis, int dev, int mm, int pasid)
    {
        int h = L.DevMm(dev, mm);

        // SVA-BIND-1: the handle exists, one more use (from the state before any new PASID).
        var again = s.Copy();
        again.SvaUsers[h] = s.SvaUsers[h] + 1;

        // SVA-BIND-7: a fresh SVA domain in the lowest free slot; SVA-BIND-5/6 fail keeping the new PASID (SVA-BIND-8).
        var lowestFree = Lowest([.. basis.DomKind.Select(k => k.Eq((int)DomainKind.Free))]);
        SymState viaFresh = basis;
        for (int f = L.Slots - 1; f >= 0; f--)
        {
            var withDomain = basis.Copy();
            withDomain.DomKind[f] = T.Int((int)DomainKind.Sva);
            withDomain.DomMm[f] = T.Int(mm);
            withDomain.DomFlags[f] = T.Int(0);
            withDomain.DomFormat[f] = T.Int(0);
            withDomain.DomParent[f] = T.Int(-1);
            var done = SetGroupPasid(withDomain, dev, pasid, T.Int(f));
            done.DomUsers[f] = T.Int(1);
            done.SvaUsers[h] = T.Int(1);
            var attached = Guard(PasidAttachPasses(withDomain, dev, pasid, f, svaCaller: true, replacing: false), done, basis);
            viaFresh = SymState.Ite(T, lowestFree[f], attached, viaFresh);
        }

        // SVA-BIND-4: reuse the first SVA domain of the mm that passes the attach checks.
        var result = viaFresh;
        for (int i = L.Slots - 1; i >= 0; i--)
        {
            var fits = basis.DomKind[i].Eq((int)DomainKind.Sva) & basis.DomMm[i].Eq(mm) &
                       PasidAttachPasses(basis, dev, pasid, i, svaCaller: true, replacing: false);
            var reuse = SetGroupPasid(basis, dev, pasid, T.Int(i));
            reuse.DomUsers[i] = basis.DomUsers[i] + 1;
            reuse.SvaUsers[h] = T.Int(1);
            result = SymState.Ite(T, fits, reuse, result);
        }

        return SymState.Ite(T, s.SvaUsers[h].Gt(0), again, result);
    }

    /// <summary>SVA-UNBIND-1..3, 5.</summary>
    private SymState SvaUnbindOp(SymState s, SvaUnbind op)
    {
        int h = L.DevMm(op.Dev, op.Mm);
        int g = GroupOf(op.Dev);
        var users = s.SvaUsers[h];
        var fewer = s.Copy();
        fewer.SvaUsers[h] = users - 1; // SVA-UNBIND-2
        var last = OnValue(s.MmPasid[op.Mm], Enumerable.Range(0, L.PasidRow), p =>
        {
            var d = s.Copy();
            d.SvaUsers[h] = T.Int(0);
            var slot = s.PasidDomain[L.GroupPasid(g, p)];
            d = SetGroupPasid(d, op.Dev, p, T.Int(-1));
            var r = d;
            for (int i = L.Slots - 1; i >= 0; i--)
            {
                var dec = d.Copy();
                dec.DomUsers[i] = d.DomUsers[i] - 1;
                r = SymState.Ite(T, slot.Eq(i), ReleaseUnusedSva(dec, T.Int(i)), r); // SVA-UNBIND-3 or SVA-UNBIND-5
            }

            return r;
        }, s); // SVA-UNBIND-3
        return SymState.Ite(T, users.Eq(0), s, SymState.Ite(T, users.Gt(1), fewer, last)); // SVA-UNBIND-1
    }
}
