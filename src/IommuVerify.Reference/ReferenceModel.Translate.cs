using System.Collections.Immutable;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>translate (spec section "Translation").</summary>
public sealed partial class ReferenceModel
{
    /// <summary>What a PTE gives for an access: the page, or a permission fault (XLATE-6).</summary>
    public static Result Access(int pte, Access access) =>
        access == Vocabulary.Operations.Access.Write && !Pte.Writable(pte) ? Result.Fault(FaultReason.Permission) : Result.Pa(Pte.Pa(pte));

    /// <summary>Every PTE the caches may return for a context and page: device TLB, then IOTLB under the context's tag.</summary>
    public IEnumerable<int> CachedPtes(IommuState s, int dev, int pasid, int iova)
    {
        if (Scope.Devices[dev].Ats)
        {
            foreach (long e in s.DevTlb)
            {
                if (Entry.Dev(e) == dev && Entry.DevPasid(e) == pasid && Entry.Iova(e) == iova)
                {
                    yield return Entry.PteOf(e);
                }
            }
        }

        int tag = TagOf(View.Of(s), dev, pasid);
        if (tag == Tag.None)
        {
            yield break;
        }

        foreach (long e in s.Iotlb)
        {
            if (Entry.IotlbTag(e) == tag && Entry.Iova(e) == iova)
            {
                yield return Entry.PteOf(e);
            }
        }
    }

    /// <summary>translate: XLATE-1..9. Allowed results: the walk first, then whatever cached entries give.</summary>
    private StepResult TranslateOp(IommuState s, Translate op)
    {
        var v = View.Of(s);
        var (walkPte, fault) = Walk(v, op.Dev, op.Pasid, op.Iova);
        if (fault == FaultReason.NoContext && walkPte == 0)
        {
            return Same(s, Result.Fault(FaultReason.NoContext), "XLATE-1");
        }

        var rules = ImmutableArray.CreateBuilder<string>();
        var allowed = new List<Result>();
        int d = ContextDomain(v, op.Dev, op.Pasid);
        if (walkPte == 0)
        {
            allowed.Add(Result.Fault(fault));
            rules.Add(fault switch
            {
                FaultReason.Blocked => "XLATE-2",
                FaultReason.PasidNotAttached => "XLATE-4",
                _ => "XLATE-5",
            });
        }
        else
        {
            var r = Access(walkPte, op.Access);
            allowed.Add(r);
            rules.Add(d == DomainRef.Identity.Value ? "XLATE-3" : r.Kind == ResultKind.Fault ? "XLATE-6" : "XLATE-7");
        }

        var cached = CachedPtes(s, op.Dev, op.Pasid, op.Iova).ToList();
        foreach (int pte in cached)
        {
            var r = Access(pte, op.Access);
            if (!allowed.Contains(r))
            {
                allowed.Add(r);
                if (!rules.Contains("XLATE-8"))
                {
                    rules.Add("XLATE-8");
                }
            }
        }

        int tag = TagOf(v, op.Dev, op.Pasid);
        bool fillIotlb = walkPte != 0 && tag != Tag.None && d != DomainRef.Identity.Value;
        bool ats = Scope.Devices[op.Dev].Ats && d != DomainRef.Identity.Value;
        var fillDev = new List<int>();
        if (ats)
        {
            if (walkPte != 0)
            {
                fillDev.Add(walkPte);
            }

            fillDev.AddRange(cached);
        }

        if (!fillIotlb && fillDev.Count == 0)
        {
            return new StepResult(s, [.. allowed], rules.ToImmutable());
        }

        var n = new Draft(s);
        if (fillIotlb)
        {
            n.Iotlb.Add(Entry.Iotlb(tag, op.Iova, walkPte));
        }

        foreach (int pte in fillDev)
        {
            n.DevTlb.Add(Entry.DevTlb(op.Dev, op.Pasid, op.Iova, pte));
        }

        rules.Add("XLATE-9");
        return new StepResult(n.Freeze(), [.. allowed], rules.ToImmutable());
    }
}
