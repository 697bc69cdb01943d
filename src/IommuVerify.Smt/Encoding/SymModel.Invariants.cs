using IommuVerify.Reference.State;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>The invariants of spec/invariants.md as terms that are true when the invariant holds (mirrors InvariantChecker).</summary>
public sealed partial class SymModel
{
    /// <summary>The term that holds exactly when invariant <paramref name="id"/> holds in <paramref name="s"/>.</summary>
    public Expr Invariant(SymState s, string id) => id switch
    {
        InvariantIds.SvaRid => SvaRid(s),
        InvariantIds.PasidCap => PasidCap(s),
        InvariantIds.VpasidBij => VpasidBij(s),
        InvariantIds.TlbCoh => TlbCoh(s, alias: true, stale: true),
        TlbCohAlias => TlbCoh(s, alias: true, stale: false),
        TlbCohStale => TlbCoh(s, alias: false, stale: true),
        InvariantIds.DomainLive => DomainLive(s),
        InvariantIds.MmPasid => MmPasidInv(s),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown invariant"),
    };

    /// <summary>The tag-aliasing half of INV-TLB-COH (reads no cache cell).</summary>
    public const string TlbCohAlias = InvariantIds.TlbCoh + "/alias";

    /// <summary>The stale-entry half of INV-TLB-COH.</summary>
    public const string TlbCohStale = InvariantIds.TlbCoh + "/stale";

    /// <summary>The reference invariant a part belongs to.</summary>
    public static string WholeInvariant(string id) => id.Split('/')[0];

    /// <summary>INV-SVA-RID.</summary>
    private Expr SvaRid(SymState s) =>
        P.SvaOnRid == SvaOnRid.Allowed ? T.True : T.And(s.RidDomain.Select(r => !Kind(s, r, DomainKind.Sva)));

    /// <summary>INV-PASID-CAP.</summary>
    private Expr PasidCap(SymState s)
    {
        var ok = new List<Expr>();
        for (int g = 0; g < L.Groups; g++)
        {
            var any = new List<Expr>();
            for (int p = 1; p < L.PasidRow; p++)
            {
                var d = s.PasidDomain[L.GroupPasid(g, p)];
                var attached = d.Ge(0);
                any.Add(attached);
                ok.Add(!(attached & !Kind(s, d, DomainKind.Free) & !SlotPasidCompat(s, d)));
                bool capable = false;
                foreach (int dev in Sc.GroupDevices(g))
                {
                    int max = Sc.EffectiveMaxPasids(dev);
                    capable |= max > 0;
                    if (max > 0 && p >= max)
                    {
                        ok.Add(!attached);
                    }
                }

                if (!capable)
                {
                    ok.Add(!attached);
                }
            }

            ok.Add(!(T.Or(any) & !DomainPasidCompatOnRid(s, s.RidDomain[g])));
        }

        return T.And(ok);
    }

    /// <summary>INV-VPASID-BIJ.</summary>
    private Expr VpasidBij(SymState s)
    {
        var ok = new List<Expr>();
        for (int vm = 0; vm < L.Vms; vm++)
        {
            for (int vp = 1; vp < L.VpasidRow; vp++)
            {
                var pp = s.VpasidTable[L.VmVpasid(vm, vp)];
                var used = pp.Ne(0);
                for (int earlier = 1; earlier < vp; earlier++)
                {
                    ok.Add(!(used & pp.Eq(s.VpasidTable[L.VmVpasid(vm, earlier)])));
                }

                var owner = T.Select(s.PasidOwner, pp, T.Int(-999));
                ok.Add(!(used & owner.Ne(Layout.VmOwnerBase + vm)));
                if (P.VpasidScheme == VpasidScheme.Identity)
                {
                    ok.Add(!(used & pp.Ne(vp)));
                }
            }
        }

        for (int mm = 0; mm < L.Mms; mm++)
        {
            var p = s.MmPasid[mm];
            ok.Add(!(p.Ne(0) & T.Select(s.PasidOwner, p, T.Int(-999)).Ne(1 + mm)));
        }

        for (int dev = 0; dev < L.Devices; dev++)
        {
            for (int p = 1; p < L.PasidRow; p++)
            {
                var vp = s.GuestPasid[L.DevPasid(dev, p)];
                ok.Add(!(vp.Ne(0) & vp.Ne(p)));
            }
        }

        return T.And(ok);
    }

    /// <summary>INV-TLB-COH: no tag shared by contexts walking different tables; no stale cache entry.</summary>
    private Expr TlbCoh(SymState s, bool alias, bool stale)
    {
        var ok = new List<Expr>();
        var contexts = Ref.Contexts().ToList();
        var tags = contexts.Select(c => TagOf(s, c.Dev, c.Pasid)).ToList();
        var tables = contexts.Select(c => TableOf(s, c.Dev, c.Pasid)).ToList();
        for (int a = 0; a < contexts.Count && alias; a++)
        {
            for (int b = a + 1; b < contexts.Count; b++)
            {
                ok.Add(!(tags[a].Ne(Tag.None) & tags[a].Eq(tags[b]) & tables[a].Ne(tables[b])));
            }
        }

        if (!stale)
        {
            return T.And(ok);
        }

        for (int c = 0; c < contexts.Count; c++)
        {
            var (dev, p) = contexts[c];
            if (tags[c].Value == Tag.None)
            {
                continue;
            }

            for (int iova = 0; iova < L.Iovas; iova++)
            {
                var walk = WalkPte(s, dev, p, iova);
                var exempt = DeferredExempt(s, dev, p, iova);
                foreach (int pte in U.PteValues)
                {
                    var cached = T.Or(U.Tags.Select(t => s.Iotlb[U.IotlbIndex(t, iova, pte)] & tags[c].Eq(t)));
                    ok.Add(!(cached & walk.Ne(pte) & !exempt));
                }
            }
        }

        for (int i = 0; i < U.DevTlbSize; i++)
        {
            var (dev, p, iova, pte) = U.DevTlbAt(i);
            ok.Add(!(s.DevTlb[i] & WalkPte(s, dev, p, iova).Ne(pte) & !DeferredExempt(s, dev, p, iova)));
        }

        return T.And(ok);
    }

    /// <summary>INV-DOMAIN-LIVE.</summary>
    private Expr DomainLive(SymState s)
    {
        var ok = new List<Expr>();
        ok.AddRange(s.RidDomain.Select(r => !Kind(s, r, DomainKind.Free)));
        for (int g = 0; g < L.Groups; g++)
        {
            for (int p = 1; p < L.PasidRow; p++)
            {
                ok.Add(!Kind(s, s.PasidDomain[L.GroupPasid(g, p)], DomainKind.Free));
            }
        }

        for (int d = 0; d < L.Slots; d++)
        {
            ok.Add(!(s.DomKind[d].Eq((int)DomainKind.Nested) & Kind(s, s.DomParent[d], DomainKind.Free)));
            int slot = d;
            Expr onRid = T.Or(Enumerable.Range(0, L.Groups).Select(g => s.RidDomain[g].Eq(slot)));
            ok.Add(!(s.DomKind[d].Eq((int)DomainKind.Sva) & !s.DomUsers[d].Gt(0) & !onRid));
        }

        return T.And(ok);
    }

    /// <summary>INV-MM-PASID.</summary>
    private Expr MmPasidInv(SymState s)
    {
        var ok = new List<Expr>();
        for (int dev = 0; dev < L.Devices; dev++)
        {
            int g = GroupOf(dev);
            for (int mm = 0; mm < L.Mms; mm++)
            {
                var bound = s.SvaUsers[L.DevMm(dev, mm)].Ne(0);
                var p = s.MmPasid[mm];
                var row = Enumerable.Range(0, L.PasidRow).Select(q => s.PasidDomain[L.GroupPasid(g, q)]).ToList();
                var d = T.Ite(p.Eq(0), T.Int(-1), T.Select(row, p, T.Int(-1)));
                var good = d.Ge(0) & Kind(s, d, DomainKind.Sva) & OnSlot(d, i => s.DomMm[i].Eq(mm), T.False);
                ok.Add(!bound | good);
            }
        }

        return T.And(ok);
    }
}
