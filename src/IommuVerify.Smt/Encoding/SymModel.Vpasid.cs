using IommuVerify.Reference.State;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>Spec area "vPASID": vpasid_alloc, vpasid_free, vpasid_attach (mirrors ReferenceModel.Vpasid.cs).</summary>
public sealed partial class SymModel
{
    /// <summary>VPASID-ALLOC-1..7.</summary>
    private SymState VpasidAllocOp(SymState s, VpasidAlloc op)
    {
        if (P.VpasidScheme == VpasidScheme.None)
        {
            return s; // VPASID-ALLOC-1
        }

        int i = L.VmVpasid(op.Vm, op.Vpasid);
        var unused = s.VpasidTable[i].Eq(0); // VPASID-ALLOC-2
        SymState Give(int pp)
        {
            var n = s.Copy();
            n.VpasidTable[i] = T.Int(pp);
            n.PasidOwner[pp] = T.Int(Layout.VmOwnerBase + op.Vm);
            return n;
        }

        if (P.VpasidScheme == VpasidScheme.Identity)
        {
            if (op.Vpasid >= L.PasidRow)
            {
                return s; // VPASID-ALLOC-3
            }

            return Guard(unused & s.PasidOwner[op.Vpasid].Eq(0), Give(op.Vpasid), s); // VPASID-ALLOC-4, -6
        }

        var lowest = Lowest([.. Enumerable.Range(1, L.PasidRow - 1).Select(p => s.PasidOwner[p].Eq(0))]);
        var r = s; // VPASID-ALLOC-5 when none is free
        for (int k = lowest.Length - 1; k >= 0; k--)
        {
            r = SymState.Ite(T, lowest[k], Give(k + 1), r); // VPASID-ALLOC-7
        }

        return Guard(unused, r, s);
    }

    /// <summary>VPASID-FREE-1..4.</summary>
    private SymState VpasidFreeOp(SymState s, VpasidFree op)
    {
        if (P.VpasidScheme == VpasidScheme.None)
        {
            return s; // VPASID-FREE-1
        }

        int i = L.VmVpasid(op.Vm, op.Vpasid);
        return OnValue(s.VpasidTable[i], Enumerable.Range(1, L.PasidRow - 1), pp =>
        {
            var busy = T.Or(Sc.Vms[op.Vm].Devices.Select(vd => s.PasidDomain[L.GroupPasid(GroupOf(vd.Dev), pp)].Ge(0))); // VPASID-FREE-3
            var n = s.Copy();
            n.VpasidTable[i] = T.Int(0);
            n.PasidOwner[pp] = T.Int(0); // VPASID-FREE-4
            return Guard(!busy, n, s);
        }, s); // VPASID-FREE-2 for 0
    }

    /// <summary>VPASID-ATTACH-1..6 with the PASID attach checks on the pPASID.</summary>
    private SymState VpasidAttachOp(SymState s, VpasidAttach op)
    {
        if (P.VpasidScheme == VpasidScheme.None)
        {
            return s; // VPASID-ATTACH-1
        }

        var assigned = Sc.VmOf(op.Dev);
        if (assigned is not { } a || a.Vm != op.Vm)
        {
            return s; // VPASID-ATTACH-2
        }

        bool passthrough = a.Assign == Assignment.Passthrough;
        return OnValue(s.VpasidTable[L.VmVpasid(op.Vm, op.Vpasid)], Enumerable.Range(1, L.PasidRow - 1), pp =>
        {
            if (passthrough && pp != op.Vpasid && P.PassthroughCheck)
            {
                return s; // VPASID-ATTACH-4
            }

            var n = SetGroupPasid(s, op.Dev, pp, T.Int(op.Slot));
            if (passthrough)
            {
                n.GuestPasid[L.DevPasid(op.Dev, pp)] = T.Int(op.Vpasid); // VPASID-ATTACH-5
            }

            return Guard(PasidAttachPasses(s, op.Dev, pp, op.Slot, svaCaller: false, replacing: false), n, s); // VPASID-ATTACH-6
        }, s); // VPASID-ATTACH-3 for 0
    }
}
