using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>sva_bind and sva_unbind (spec section "SVA"), after drivers/iommu/iommu-sva.c.</summary>
public sealed partial class ReferenceModel
{
    private int LowestFreePasid(IReadOnlyList<int> owner, int below)
    {
        int top = Math.Min(L.PasidRow, below);
        for (int p = 1; p < top; p++)
        {
            if (owner[p] == 0)
            {
                return p;
            }
        }

        return -1;
    }

    /// <summary>sva_bind: SVA-BIND-1..8.</summary>
    private StepResult SvaBindOp(IommuState s, SvaBind op)
    {
        int dev = op.Dev, mm = op.Mm;
        int max = Scope.EffectiveMaxPasids(dev);
        int pasid = s.MmPasid[mm];
        Draft? withPasid = null;
        if (pasid != 0)
        {
            if (pasid >= max)
            {
                return Fail(s, Errno.EOVERFLOW, "SVA-BIND-2");
            }
        }
        else
        {
            pasid = LowestFreePasid(s.PasidOwner, max);
            if (pasid < 0)
            {
                return Fail(s, Errno.ENOSPC, "SVA-BIND-3");
            }

            withPasid = new Draft(s);
            withPasid.MmPasid[mm] = pasid;
            withPasid.PasidOwner[pasid] = 1 + mm;
        }

        if (s.SvaUsers[L.DevMm(dev, mm)] > 0)
        {
            var h = new Draft(s);
            h.SvaUsers[L.DevMm(dev, mm)]++;
            return Done(h, Result.OkWith(pasid), "SVA-BIND-1");
        }

        var basis = withPasid?.Freeze() ?? s;
        for (int slot = 0; slot < L.Slots; slot++)
        {
            if (basis.DomKind[slot] == (int)DomainKind.Sva && basis.DomMm[slot] == mm &&
                PasidAttachCheck(basis, dev, pasid, slot, PasidCaller.Sva, replacing: false) is null)
            {
                var d = new Draft(basis);
                SetGroupPasid(d, basis, dev, pasid, slot);
                d.DomUsers[slot]++;
                d.SvaUsers[L.DevMm(dev, mm)] = 1;
                return Done(d, Result.OkWith(pasid), "SVA-BIND-4");
            }
        }

        int fresh = LowestFreeSlot(basis.DomKind);
        if (fresh < 0)
        {
            return new StepResult(basis, [Result.Err(Errno.ENOSPC)], withPasid is null ? ["SVA-BIND-5"] : ["SVA-BIND-5", "SVA-BIND-8"]);
        }

        var n = new Draft(basis);
        n.DomKind[fresh] = (int)DomainKind.Sva;
        n.DomMm[fresh] = mm;
        n.DomFlags[fresh] = 0;
        n.DomFormat[fresh] = 0;
        n.DomParent[fresh] = -1;
        var withDomain = n.Freeze();
        if (PasidAttachCheck(withDomain, dev, pasid, fresh, PasidCaller.Sva, replacing: false) is { } bad)
        {
            return new StepResult(basis, [Result.Err(bad.Errno)], withPasid is null ? ["SVA-BIND-6", bad.Rule] : ["SVA-BIND-6", bad.Rule, "SVA-BIND-8"]);
        }

        var done = new Draft(withDomain);
        SetGroupPasid(done, withDomain, dev, pasid, fresh);
        done.DomUsers[fresh] = 1;
        done.SvaUsers[L.DevMm(dev, mm)] = 1;
        return Done(done, Result.OkWith(pasid), "SVA-BIND-7");
    }

    /// <summary>sva_unbind: SVA-UNBIND-1..5.</summary>
    private StepResult SvaUnbindOp(IommuState s, SvaUnbind op)
    {
        int h = L.DevMm(op.Dev, op.Mm);
        if (s.SvaUsers[h] == 0)
        {
            return Fail(s, Errno.ENOENT, "SVA-UNBIND-1");
        }

        var d = new Draft(s);
        if (s.SvaUsers[h] > 1)
        {
            d.SvaUsers[h]--;
            return Done(d, Result.Ok, "SVA-UNBIND-2");
        }

        d.SvaUsers[h] = 0;
        int pasid = s.MmPasid[op.Mm];
        int slot = s.PasidDomain[L.GroupPasid(GroupOf(op.Dev), pasid)];
        SetGroupPasid(d, s, op.Dev, pasid, -1);
        if (slot >= 0)
        {
            d.DomUsers[slot]--;
            if (ReleaseUnusedSva(d, slot))
            {
                return Done(d, Result.Ok, "SVA-UNBIND-3");
            }
        }

        return Done(d, Result.Ok, "SVA-UNBIND-5");
    }

    /// <summary>Frees an SVA domain that has no users and sits on no RID (SVA-UNBIND-3, SVA-UNBIND-4).</summary>
    /// <remarks>iommu_sva_unbind_device frees the domain when its last user goes; where a policy lets an SVA
    /// domain sit on a RID, that attachment keeps it alive until the RID leaves it.</remarks>
    private bool ReleaseUnusedSva(Draft d, int slot)
    {
        if (slot < 0 || d.DomKind[slot] != (int)DomainKind.Sva || d.DomUsers[slot] > 0 || d.RidDomain.Contains(slot))
        {
            return false;
        }

        ClearSlot(d, slot);
        return true;
    }
}
