using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>attach_rid, replace_rid, detach_rid (spec section "RID attachment").</summary>
public sealed partial class ReferenceModel
{
    private bool GroupHasPasids(in View v, int group)
    {
        for (int p = 1; p < L.PasidRow; p++)
        {
            if (v.PasidDomain[L.GroupPasid(group, p)] >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>attach_rid (RID-ATTACH-1..6) and replace_rid (RID-REPLACE-1..3).</summary>
    private StepResult AttachRidOp(IommuState s, int dev, int target, bool replace)
    {
        var v = View.Of(s);
        int g = GroupOf(dev);
        if (target >= 0 && s.DomKind[target] == (int)DomainKind.Free)
        {
            return Fail(s, Errno.ENOENT, "RID-ATTACH-1");
        }

        int current = s.RidDomain[g];
        if (!replace && current != DomainRef.Blocked.Value)
        {
            return Fail(s, Errno.EBUSY, "RID-ATTACH-2");
        }

        if (replace && current == DomainRef.Blocked.Value)
        {
            return Fail(s, Errno.EINVAL, "RID-REPLACE-3");
        }

        if (replace && current == target)
        {
            return Same(s, Result.Ok, "RID-REPLACE-1");
        }

        string svaRule = "";
        if (target >= 0 && s.DomKind[target] == (int)DomainKind.Sva)
        {
            if (Policy.SvaOnRid == SvaOnRid.Refused)
            {
                return Fail(s, Errno.ENODEV, "RID-ATTACH-3");
            }

            svaRule = "RID-ATTACH-4";
        }

        if (GroupHasPasids(v, g) && !DomainPasidCompatOnRid(v, target))
        {
            return Fail(s, Errno.EINVAL, "RID-ATTACH-5");
        }

        var d = new Draft(s);
        d.RidDomain[g] = target;
        FlushChangedContexts(d, v, g);
        bool freed = ReleaseUnusedSva(d, current);
        string done = replace ? "RID-REPLACE-2" : "RID-ATTACH-6";
        var rules = new List<string>();
        if (svaRule.Length > 0)
        {
            rules.Add(svaRule);
        }

        if (freed)
        {
            rules.Add("SVA-UNBIND-4");
        }

        rules.Add(done);
        return Done(d, Result.Ok, [.. rules]);
    }

    /// <summary>detach_rid: RID-DETACH-1..2.</summary>
    private StepResult DetachRidOp(IommuState s, DetachRid op)
    {
        int g = GroupOf(op.Dev);
        if (s.RidDomain[g] == DomainRef.Blocked.Value)
        {
            return Same(s, Result.Ok, "RID-DETACH-1");
        }

        var d = new Draft(s);
        int old = s.RidDomain[g];
        d.RidDomain[g] = DomainRef.Blocked.Value;
        FlushChangedContexts(d, View.Of(s), g);
        return ReleaseUnusedSva(d, old) ? Done(d, Result.Ok, "SVA-UNBIND-4", "RID-DETACH-2") : Done(d, Result.Ok, "RID-DETACH-2");
    }
}
