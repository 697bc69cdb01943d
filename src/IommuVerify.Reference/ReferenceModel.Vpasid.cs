using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>vpasid_alloc, vpasid_free, vpasid_attach (spec section "vPASID"): proposals of seeds 000 and 002, not mainline.</summary>
public sealed partial class ReferenceModel
{
    /// <summary>vpasid_alloc: VPASID-ALLOC-1..6.</summary>
    private StepResult VpasidAllocOp(IommuState s, VpasidAlloc op)
    {
        if (Policy.VpasidScheme == VpasidScheme.None)
        {
            return Fail(s, Errno.EOPNOTSUPP, "VPASID-ALLOC-1");
        }

        int i = L.VmVpasid(op.Vm, op.Vpasid);
        if (s.VpasidTable[i] != 0)
        {
            return Fail(s, Errno.EEXIST, "VPASID-ALLOC-2");
        }

        int pp;
        string rule;
        if (Policy.VpasidScheme == VpasidScheme.Identity)
        {
            if (op.Vpasid >= L.PasidRow)
            {
                return Fail(s, Errno.EINVAL, "VPASID-ALLOC-3");
            }

            if (s.PasidOwner[op.Vpasid] != 0)
            {
                return Fail(s, Errno.EBUSY, "VPASID-ALLOC-4");
            }

            pp = op.Vpasid;
            rule = "VPASID-ALLOC-6";
        }
        else
        {
            pp = LowestFreePasid(s.PasidOwner, int.MaxValue);
            if (pp < 0)
            {
                return Fail(s, Errno.ENOSPC, "VPASID-ALLOC-5");
            }

            rule = "VPASID-ALLOC-7";
        }

        var d = new Draft(s);
        d.VpasidTable[i] = pp;
        d.PasidOwner[pp] = Layout.VmOwnerBase + op.Vm;
        return Done(d, Result.OkWith(pp), rule);
    }

    /// <summary>vpasid_free: VPASID-FREE-1..4.</summary>
    private StepResult VpasidFreeOp(IommuState s, VpasidFree op)
    {
        if (Policy.VpasidScheme == VpasidScheme.None)
        {
            return Fail(s, Errno.EOPNOTSUPP, "VPASID-FREE-1");
        }

        int i = L.VmVpasid(op.Vm, op.Vpasid);
        int pp = s.VpasidTable[i];
        if (pp == 0)
        {
            return Fail(s, Errno.ENOENT, "VPASID-FREE-2");
        }

        foreach (var vd in Scope.Vms[op.Vm].Devices)
        {
            if (s.PasidDomain[L.GroupPasid(GroupOf(vd.Dev), pp)] >= 0)
            {
                return Fail(s, Errno.EBUSY, "VPASID-FREE-3");
            }
        }

        var d = new Draft(s);
        d.VpasidTable[i] = 0;
        d.PasidOwner[pp] = 0;
        return Done(d, Result.Ok, "VPASID-FREE-4");
    }

    /// <summary>vpasid_attach: VPASID-ATTACH-1..5 plus the PASID attach checks on the pPASID.</summary>
    private StepResult VpasidAttachOp(IommuState s, VpasidAttach op)
    {
        if (Policy.VpasidScheme == VpasidScheme.None)
        {
            return Fail(s, Errno.EOPNOTSUPP, "VPASID-ATTACH-1");
        }

        var assigned = Scope.VmOf(op.Dev);
        if (assigned is not { } a || a.Vm != op.Vm)
        {
            return Fail(s, Errno.EINVAL, "VPASID-ATTACH-2");
        }

        int pp = s.VpasidTable[L.VmVpasid(op.Vm, op.Vpasid)];
        if (pp == 0)
        {
            return Fail(s, Errno.ENOENT, "VPASID-ATTACH-3");
        }

        bool passthrough = a.Assign == Assignment.Passthrough;
        if (passthrough && pp != op.Vpasid && Policy.PassthroughCheck)
        {
            return Fail(s, Errno.EINVAL, "VPASID-ATTACH-4");
        }

        if (PasidAttachCheck(s, op.Dev, pp, op.Slot, PasidCaller.Iommufd, replacing: false) is { } bad)
        {
            return Fail(s, bad.Errno, bad.Rule);
        }

        var d = new Draft(s);
        SetGroupPasid(d, s, op.Dev, pp, op.Slot);
        if (passthrough)
        {
            d.GuestPasid[L.DevPasid(op.Dev, pp)] = op.Vpasid;
        }

        return Done(d, Result.OkWith(pp), passthrough ? "VPASID-ATTACH-5" : "VPASID-ATTACH-6");
    }
}
