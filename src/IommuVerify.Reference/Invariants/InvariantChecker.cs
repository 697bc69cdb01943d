using System.Collections.Immutable;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference.Invariants;

/// <summary>The invariants of spec/invariants.md as predicates that return their violations with witnesses.</summary>
public sealed class InvariantChecker(ReferenceModel model)
{
    private readonly ReferenceModel _m = model;
    private Scope Scope => _m.Scope;
    private Layout L => _m.L;

    /// <summary>Every violation in a state, grouped in spec order of invariant.</summary>
    public ImmutableArray<Violation> Check(IommuState s)
    {
        var list = ImmutableArray.CreateBuilder<Violation>();
        foreach (string id in InvariantIds.All)
        {
            list.AddRange(Check(s, id));
        }

        return list.ToImmutable();
    }

    /// <summary>The violations of one invariant.</summary>
    public IEnumerable<Violation> Check(IommuState s, string id) => id switch
    {
        InvariantIds.SvaRid => SvaRid(s),
        InvariantIds.PasidCap => PasidCap(s),
        InvariantIds.VpasidBij => VpasidBij(s),
        InvariantIds.TlbCoh => TlbCoh(s),
        InvariantIds.DomainLive => DomainLive(s),
        InvariantIds.MmPasid => MmPasid(s),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown invariant"),
    };

    /// <summary>True when no invariant is violated.</summary>
    public bool Holds(IommuState s) => Check(s).IsEmpty;

    private string Dev(int d) => Scope.Devices[d].Name;

    private string GroupName(int g) => Scope.Groups[g];

    /// <summary>An mm's name for a witness; a state spliced from others (tests) can hold an SVA domain without an mm.</summary>
    private string MmName(int mm) => mm >= 0 && mm < Scope.Mms.Length ? Scope.Mms[mm] : "none";

    /// <summary>INV-SVA-RID: no RID has an SVA domain unless the policy allows it.</summary>
    private IEnumerable<Violation> SvaRid(IommuState s)
    {
        if (_m.Policy.SvaOnRid == SvaOnRid.Allowed)
        {
            yield break;
        }

        for (int g = 0; g < L.Groups; g++)
        {
            int r = s.RidDomain[g];
            if (r >= 0 && s.DomKind[r] == (int)DomainKind.Sva)
            {
                yield return new Violation(InvariantIds.SvaRid, $"group {GroupName(g)} RID has SVA domain d{r} (mm {MmName(s.DomMm[r])}) and the policy does not allow SVA on a RID");
            }
        }
    }

    /// <summary>INV-PASID-CAP: PASID attachments need compatible domains, capable devices, in-range PASIDs, and a compatible RID domain.</summary>
    private IEnumerable<Violation> PasidCap(IommuState s)
    {
        var v = View.Of(s);
        for (int g = 0; g < L.Groups; g++)
        {
            bool any = false;
            for (int p = 1; p < L.PasidRow; p++)
            {
                int d = s.PasidDomain[L.GroupPasid(g, p)];
                if (d < 0)
                {
                    continue;
                }

                any = true;
                if (s.DomKind[d] != (int)DomainKind.Free && !_m.SlotPasidCompat(v, d))
                {
                    yield return new Violation(InvariantIds.PasidCap, $"group {GroupName(g)} PASID {p} has domain d{d}, which is not PASID-compatible");
                }

                bool capable = false;
                foreach (int dev in Scope.GroupDevices(g))
                {
                    int max = Scope.EffectiveMaxPasids(dev);
                    capable |= max > 0;
                    if (max > 0 && p >= max)
                    {
                        yield return new Violation(InvariantIds.PasidCap, $"device {Dev(dev)} has PASID {p} attached but supports PASIDs below {max}");
                    }
                }

                if (!capable)
                {
                    yield return new Violation(InvariantIds.PasidCap, $"group {GroupName(g)} PASID {p} is attached but no device of the group supports PASID");
                }
            }

            if (any && !_m.RidPasidCompat(v, g))
            {
                yield return new Violation(InvariantIds.PasidCap, $"group {GroupName(g)} has PASIDs attached but its RID domain {new DomainRef(s.RidDomain[g])} is not PASID-compatible");
            }
        }
    }

    /// <summary>INV-VPASID-BIJ: per-VM tables are bijections onto exclusively owned pPASIDs; identity means equal; pass-through devices use identity PASIDs.</summary>
    private IEnumerable<Violation> VpasidBij(IommuState s)
    {
        for (int vm = 0; vm < L.Vms; vm++)
        {
            var seen = new Dictionary<int, int>();
            for (int vp = 1; vp < L.VpasidRow; vp++)
            {
                int pp = s.VpasidTable[L.VmVpasid(vm, vp)];
                if (pp == 0)
                {
                    continue;
                }

                string vmName = Scope.Vms[vm].Name;
                if (!seen.TryAdd(pp, vp))
                {
                    yield return new Violation(InvariantIds.VpasidBij, $"VM {vmName} maps vPASIDs {seen[pp]} and {vp} to the same pPASID {pp}");
                }

                if (s.PasidOwner[pp] != Layout.VmOwnerBase + vm)
                {
                    yield return new Violation(InvariantIds.VpasidBij, $"VM {vmName} vPASID {vp} maps to pPASID {pp}, which the global allocator does not give to that VM");
                }

                if (_m.Policy.VpasidScheme == VpasidScheme.Identity && pp != vp)
                {
                    yield return new Violation(InvariantIds.VpasidBij, $"VM {vmName} vPASID {vp} maps to pPASID {pp} under the identity scheme");
                }
            }
        }

        for (int mm = 0; mm < L.Mms; mm++)
        {
            int p = s.MmPasid[mm];
            if (p != 0 && s.PasidOwner[p] != 1 + mm)
            {
                yield return new Violation(InvariantIds.VpasidBij, $"mm {Scope.Mms[mm]} has PASID {p}, which the global allocator gives to another owner");
            }
        }

        for (int dev = 0; dev < L.Devices; dev++)
        {
            for (int p = 1; p < L.PasidRow; p++)
            {
                int vp = s.GuestPasid[L.DevPasid(dev, p)];
                if (vp != 0 && vp != p)
                {
                    yield return new Violation(InvariantIds.VpasidBij, $"pass-through device {Dev(dev)} emits vPASID {vp} but its domain is on pPASID {p}: a pass-through device must get identity-mapped PASIDs");
                }
            }
        }
    }

    /// <summary>INV-TLB-COH: no tag shared by contexts with different page tables, and every cached entry agrees with the walk of every context that can hit it.</summary>
    private IEnumerable<Violation> TlbCoh(IommuState s)
    {
        var v = View.Of(s);
        var byTag = new Dictionary<int, (int Dev, int Pasid, int Table)>();
        var contexts = _m.Contexts().ToList();
        foreach (var (dev, p) in contexts)
        {
            int tag = _m.TagOf(v, dev, p);
            if (tag == Tag.None)
            {
                continue;
            }

            int table = _m.TableOf(v, dev, p);
            if (byTag.TryGetValue(tag, out var first))
            {
                if (first.Table != table)
                {
                    yield return new Violation(InvariantIds.TlbCoh, $"tag (did {Tag.Did(tag)}, pasid {Tag.Pasid(tag)}) is shared by {Dev(first.Dev)}/pasid {first.Pasid} and {Dev(dev)}/pasid {p}, which walk different page tables");
                }
            }
            else
            {
                byTag[tag] = (dev, p, table);
            }
        }

        foreach (long e in s.Iotlb)
        {
            int tag = Entry.IotlbTag(e), iova = Entry.Iova(e), pte = Entry.PteOf(e);
            foreach (var (dev, p) in contexts)
            {
                if (_m.TagOf(v, dev, p) != tag)
                {
                    continue;
                }

                int walk = _m.Walk(v, dev, p, iova).Pte;
                if (walk != pte && !_m.DeferredExempt(s, v, dev, p, iova))
                {
                    yield return new Violation(InvariantIds.TlbCoh, $"IOTLB entry (did {Tag.Did(tag)}, pasid {Tag.Pasid(tag)}, iova {iova}) -> {Describe(pte)} is stale for {Dev(dev)}/pasid {p}, whose walk gives {Describe(walk)}");
                }
            }
        }

        foreach (long e in s.DevTlb)
        {
            int dev = Entry.Dev(e), p = Entry.DevPasid(e), iova = Entry.Iova(e), pte = Entry.PteOf(e);
            int walk = _m.Walk(v, dev, p, iova).Pte;
            if (walk != pte && !_m.DeferredExempt(s, v, dev, p, iova))
            {
                yield return new Violation(InvariantIds.TlbCoh, $"device-TLB entry of {Dev(dev)} (pasid {p}, iova {iova}) -> {Describe(pte)} is stale: the walk gives {Describe(walk)}");
            }
        }
    }

    private static string Describe(int pte) => pte == 0 ? "no translation" : $"pa {Pte.Pa(pte)} {(Pte.Writable(pte) ? "rw" : "r")}";

    /// <summary>INV-DOMAIN-LIVE: every attachment and nested parent names a live domain; every SVA domain is in use.</summary>
    private IEnumerable<Violation> DomainLive(IommuState s)
    {
        for (int g = 0; g < L.Groups; g++)
        {
            int r = s.RidDomain[g];
            if (r >= 0 && s.DomKind[r] == (int)DomainKind.Free)
            {
                yield return new Violation(InvariantIds.DomainLive, $"group {GroupName(g)} RID is attached to freed slot d{r}");
            }

            for (int p = 1; p < L.PasidRow; p++)
            {
                int d = s.PasidDomain[L.GroupPasid(g, p)];
                if (d >= 0 && s.DomKind[d] == (int)DomainKind.Free)
                {
                    yield return new Violation(InvariantIds.DomainLive, $"group {GroupName(g)} PASID {p} is attached to freed slot d{d}");
                }
            }
        }

        for (int d = 0; d < L.Slots; d++)
        {
            if (s.DomKind[d] == (int)DomainKind.Nested && s.DomKind[s.DomParent[d]] == (int)DomainKind.Free)
            {
                yield return new Violation(InvariantIds.DomainLive, $"nested domain d{d} has freed parent d{s.DomParent[d]}");
            }

            if (s.DomKind[d] == (int)DomainKind.Sva && s.DomUsers[d] <= 0 && !s.RidDomain.Contains(d))
            {
                yield return new Violation(InvariantIds.DomainLive, $"SVA domain d{d} is live with no users and on no RID");
            }
        }
    }

    /// <summary>INV-MM-PASID: every device bound to an mm has the mm's PASID attached to an SVA domain of that mm.</summary>
    private IEnumerable<Violation> MmPasid(IommuState s)
    {
        for (int dev = 0; dev < L.Devices; dev++)
        {
            for (int mm = 0; mm < L.Mms; mm++)
            {
                if (s.SvaUsers[L.DevMm(dev, mm)] == 0)
                {
                    continue;
                }

                int p = s.MmPasid[mm];
                int d = p == 0 ? -1 : s.PasidDomain[L.GroupPasid(_m.GroupOf(dev), p)];
                if (d < 0 || s.DomKind[d] != (int)DomainKind.Sva || s.DomMm[d] != mm)
                {
                    yield return new Violation(InvariantIds.MmPasid, $"device {Dev(dev)} is bound to mm {Scope.Mms[mm]} but PASID {p} does not carry an SVA domain of that mm");
                }
            }
        }
    }
}
