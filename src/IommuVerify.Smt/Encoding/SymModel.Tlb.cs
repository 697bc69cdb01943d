using IommuVerify.Reference.State;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>Spec area "page tables and TLB": map, unmap, invalidate, translate and the policy's invalidations
/// (mirrors ReferenceModel.PageTables.cs, .Caches.cs and .Translate.cs).</summary>
public sealed partial class SymModel
{
    /// <summary>TLB-DETACH-1: after an attachment change in a group, drop what changed contexts cached.</summary>
    private SymState FlushChangedContexts(SymState after, SymState before, int g)
    {
        if (!P.FlushOnDetach)
        {
            return after;
        }

        var n = after.Copy();
        var dropTag = U.Tags.ToDictionary(t => t, _ => new List<Expr>());
        foreach (int dev in Sc.GroupDevices(g))
        {
            for (int p = 0; p < L.PasidRow; p++)
            {
                var oldTag = TagOf(before, dev, p);
                var changed = oldTag.Ne(TagOf(after, dev, p)) | TableOf(before, dev, p).Ne(TableOf(after, dev, p));
                if (changed.IsFalse)
                {
                    continue;
                }

                foreach (int t in U.Tags)
                {
                    dropTag[t].Add(changed & oldTag.Eq(t));
                }

                for (int iova = 0; iova < L.Iovas && Sc.Devices[dev].Ats; iova++)
                {
                    foreach (int pte in U.PteValues)
                    {
                        int k = U.DevTlbIndex(dev, p, iova, pte);
                        n.DevTlb[k] = n.DevTlb[k] & !changed;
                    }
                }
            }
        }

        var drop = U.Tags.ToDictionary(t => t, t => T.Or(dropTag[t]));
        for (int i = 0; i < U.IotlbSize; i++)
        {
            n.Iotlb[i] = n.Iotlb[i] & !drop[U.IotlbAt(i).Tag];
        }

        return n;
    }

    /// <summary>UNMAP-FLUSH-1..3: the invalidation for (slot, iova), performed when <paramref name="when"/> holds.</summary>
    private SymState FlushDomainPage(SymState s, int slot, int iova, Expr when)
    {
        var n = s.Copy();
        var dropTag = U.Tags.ToDictionary(t => t, _ => new List<Expr>());
        foreach (var (dev, p) in Ref.Contexts())
        {
            if (P.UnmapFlush == UnmapFlush.RidTagOnly && p != 0)
            {
                continue; // UNMAP-FLUSH-3: PASID tags forgotten
            }

            var uses = when & ContextUses(s, dev, p, slot);
            if (uses.IsFalse)
            {
                continue;
            }

            var tag = TagOf(s, dev, p);
            foreach (int t in U.Tags)
            {
                dropTag[t].Add(uses & tag.Eq(t));
            }

            if (P.DevTlbFlush && Sc.Devices[dev].Ats)
            {
                foreach (int pte in U.PteValues)
                {
                    int k = U.DevTlbIndex(dev, p, iova, pte);
                    n.DevTlb[k] = n.DevTlb[k] & !uses;
                }
            }
        }

        foreach (int t in U.Tags)
        {
            var drop = T.Or(dropTag[t]);
            foreach (int pte in U.PteValues)
            {
                int i = U.IotlbIndex(t, iova, pte);
                n.Iotlb[i] = n.Iotlb[i] & !drop;
            }
        }

        return n;
    }

    /// <summary>TLB-FQ-1: performs and removes the queued invalidations a filter selects.</summary>
    private SymState DrainQueue(SymState s, Func<int, int, bool> which)
    {
        var n = s;
        for (int j = 0; j < L.Slots; j++)
        {
            for (int iova = 0; iova < L.Iovas; iova++)
            {
                if (!which(j, iova))
                {
                    continue;
                }

                int q = U.FqIndex(j, iova);
                var queued = s.Fq[q];
                if (queued.IsFalse)
                {
                    continue;
                }

                n = FlushDomainPage(n, j, iova, queued);
                n = n.Copy();
                n.Fq[q] = T.False;
            }
        }

        return n;
    }

    /// <summary>MAP-1..6.</summary>
    private SymState MapOp(SymState s, Map op)
    {
        var k = s.DomKind[op.Slot];
        var pte = s.Ptes[L.Pte(op.Slot, op.Iova)];
        var ok = k.Ne((int)DomainKind.Free) & k.Eq((int)DomainKind.Paging) & pte.Eq(0); // MAP-1, MAP-2, MAP-3
        if (!P.FqIovaReuse)
        {
            ok &= !s.Fq[U.FqIndex(op.Slot, op.Iova)]; // MAP-4 (MAP-6 allows reuse)
        }

        var n = s.Copy();
        n.Ptes[L.Pte(op.Slot, op.Iova)] = T.Int(Pte.Make(op.Pa, (int)op.Perm)); // MAP-5
        return Guard(ok, n, s);
    }

    /// <summary>UNMAP-1..5.</summary>
    private SymState UnmapOp(SymState s, Unmap op)
    {
        var k = s.DomKind[op.Slot];
        var ok = k.Eq((int)DomainKind.Paging) & s.Ptes[L.Pte(op.Slot, op.Iova)].Ne(0); // UNMAP-1, -2, -3 (UNMAP-3 changes nothing)
        var n = s.Copy();
        n.Ptes[L.Pte(op.Slot, op.Iova)] = T.Int(0);
        if (P.Invalidation == InvalidationMode.Strict)
        {
            n = FlushDomainPage(n, op.Slot, op.Iova, T.True); // UNMAP-4
        }
        else
        {
            n.Fq[U.FqIndex(op.Slot, op.Iova)] = T.True; // UNMAP-5
        }

        return Guard(ok, n, s);
    }

    /// <summary>INVAL-1 (drain the queue) and INVAL-2 (flush everything).</summary>
    private SymState InvalidateOp(SymState s, Invalidate op)
    {
        if (op.Scope == InvalidateScope.Fq)
        {
            return DrainQueue(s, (_, _) => true);
        }

        var n = s.Copy();
        Array.Fill(n.Iotlb, T.False);
        Array.Fill(n.DevTlb, T.False);
        Array.Fill(n.Fq, T.False);
        return n;
    }

    /// <summary>XLATE-1..9: only the cache fills change the state (the access kind does not).</summary>
    private SymState TranslateOp(SymState s, Translate op)
    {
        int dev = op.Dev, pasid = op.Pasid, iova = op.Iova;
        if (!Ref.CanIssue(dev, pasid))
        {
            return s; // XLATE-1
        }

        var walk = WalkPte(s, dev, pasid, iova);
        var d = ContextDomain(s, dev, pasid);
        var tag = TagOf(s, dev, pasid);
        var notIdentity = d.Ne(DomainRef.Identity.Value);
        var fillIotlb = walk.Ne(0) & tag.Ne(Tag.None) & notIdentity;
        bool ats = Sc.Devices[dev].Ats;
        var n = s.Copy();
        var fillTag = U.Tags.ToDictionary(t => t, t => fillIotlb & tag.Eq(t));
        foreach (int pte in U.PteValues)
        {
            var walkIs = walk.Eq(pte);
            foreach (int t in U.Tags)
            {
                int i = U.IotlbIndex(t, iova, pte);
                n.Iotlb[i] = s.Iotlb[i] | (fillTag[t] & walkIs); // XLATE-9 IOTLB fill
            }

            if (ats)
            {
                int k = U.DevTlbIndex(dev, pasid, iova, pte);
                var fromIotlb = T.Or(U.Tags.Select(t => tag.Eq(t) & s.Iotlb[U.IotlbIndex(t, iova, pte)])); // XLATE-8 cached entries
                n.DevTlb[k] = s.DevTlb[k] | (notIdentity & (walk.Eq(pte) | fromIotlb)); // XLATE-9 device-TLB fill
            }
        }

        return n;
    }
}
