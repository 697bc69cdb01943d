using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>attach_pasid, replace_pasid, detach_pasid (spec section "PASID attachment").</summary>
public sealed partial class ReferenceModel
{
    /// <summary>Who is attaching a PASID: iommufd (a user), the SVA core, or a vPASID attach.</summary>
    private enum PasidCaller
    {
        Iommufd,
        Sva,
    }

    /// <summary>The checks every PASID attach makes, in kernel order; returns null when all pass.</summary>
    /// <remarks>PASID-ATTACH-1..11, shared by attach_pasid, replace_pasid, sva_bind and vpasid_attach.</remarks>
    private (Errno Errno, string Rule)? PasidAttachCheck(IommuState s, int dev, int pasid, int slot, PasidCaller caller, bool replacing)
    {
        var v = View.Of(s);
        int g = GroupOf(dev);
        if (s.DomKind[slot] == (int)DomainKind.Free)
        {
            return (Errno.ENOENT, "PASID-ATTACH-1");
        }

        // Model choice: a device without PASID support is refused outright (the core would skip it).
        if (Scope.EffectiveMaxPasids(dev) == 0)
        {
            return (Errno.ENODEV, "PASID-ATTACH-3");
        }

        // iommufd_hwpt_pasid_compat runs before the core's own checks.
        if (!SlotPasidCompat(v, slot))
        {
            return (Errno.EINVAL, "PASID-ATTACH-6");
        }

        if (!RidPasidCompat(v, g))
        {
            return (Errno.EINVAL, "PASID-ATTACH-7");
        }

        var kind = (DomainKind)s.DomKind[slot];
        if (kind != DomainKind.Sva && Policy.PagingPasid == PagingPasid.Never)
        {
            return (Errno.EOPNOTSUPP, "PASID-ATTACH-4");
        }

        if (kind == DomainKind.Sva && caller != PasidCaller.Sva)
        {
            return (Errno.EINVAL, "PASID-ATTACH-5");
        }

        if (pasid == 0)
        {
            return (Errno.EINVAL, "PASID-ATTACH-2");
        }

        foreach (int other in Scope.GroupDevices(g))
        {
            int max = Scope.EffectiveMaxPasids(other);
            if (max > 0 && pasid >= max)
            {
                return (Errno.EINVAL, "PASID-ATTACH-8");
            }
        }

        if (!replacing && s.PasidDomain[L.GroupPasid(g, pasid)] >= 0)
        {
            return (Errno.EBUSY, "PASID-ATTACH-9");
        }

        var flags = (AllocFlags)s.DomFlags[slot];
        if (Policy.DirtyBlocksPasid && (flags & AllocFlags.DirtyTracking) != 0)
        {
            return (Errno.EINVAL, "PASID-ATTACH-10");
        }

        if (Policy.NestParentBlocksPasid && (flags & AllocFlags.NestParent) != 0)
        {
            return (Errno.EINVAL, "PASID-ATTACH-11");
        }

        return null;
    }

    /// <summary>Sets a group's PASID to a slot in a draft and flushes what changed.</summary>
    private void SetGroupPasid(Draft d, IommuState before, int dev, int pasid, int slot)
    {
        int g = GroupOf(dev);
        d.PasidDomain[L.GroupPasid(g, pasid)] = slot;
        foreach (int other in Scope.GroupDevices(g))
        {
            d.GuestPasid[L.DevPasid(other, pasid)] = 0;
        }

        FlushChangedContexts(d, View.Of(before), g);
    }

    /// <summary>attach_pasid: PASID-ATTACH-1..12.</summary>
    private StepResult AttachPasidOp(IommuState s, int dev, int pasid, int slot)
    {
        var bad = PasidAttachCheck(s, dev, pasid, slot, PasidCaller.Iommufd, replacing: false);
        if (bad is { } b)
        {
            return Fail(s, b.Errno, b.Rule);
        }

        var d = new Draft(s);
        SetGroupPasid(d, s, dev, pasid, slot);
        return Done(d, Result.Ok, "PASID-ATTACH-12");
    }

    /// <summary>replace_pasid: PASID-REPLACE-1..4 first (as iommu_replace_device_pasid), then the attach checks.</summary>
    private StepResult ReplacePasidOp(IommuState s, ReplacePasid op)
    {
        if (s.DomKind[op.Slot] == (int)DomainKind.Free)
        {
            return Fail(s, Errno.ENOENT, "PASID-ATTACH-1");
        }

        if (op.Pasid == 0)
        {
            return Fail(s, Errno.EINVAL, "PASID-ATTACH-2");
        }

        int current = s.PasidDomain[L.GroupPasid(GroupOf(op.Dev), op.Pasid)];
        if (current < 0)
        {
            return Fail(s, Errno.EINVAL, "PASID-REPLACE-1");
        }

        if (s.DomKind[current] == (int)DomainKind.Sva)
        {
            return Fail(s, Errno.EBUSY, "PASID-REPLACE-2");
        }

        if (current == op.Slot)
        {
            return Same(s, Result.Ok, "PASID-REPLACE-3");
        }

        var bad = PasidAttachCheck(s, op.Dev, op.Pasid, op.Slot, PasidCaller.Iommufd, replacing: true);
        if (bad is { } b)
        {
            return Fail(s, b.Errno, b.Rule);
        }

        var d = new Draft(s);
        SetGroupPasid(d, s, op.Dev, op.Pasid, op.Slot);
        return Done(d, Result.Ok, "PASID-REPLACE-4");
    }

    /// <summary>detach_pasid: PASID-DETACH-1..4.</summary>
    private StepResult DetachPasidOp(IommuState s, DetachPasid op)
    {
        if (op.Pasid == 0)
        {
            return Fail(s, Errno.EINVAL, "PASID-DETACH-1");
        }

        int g = GroupOf(op.Dev);
        int current = s.PasidDomain[L.GroupPasid(g, op.Pasid)];
        if (current < 0)
        {
            return Same(s, Result.Ok, "PASID-DETACH-2");
        }

        if (s.DomKind[current] == (int)DomainKind.Sva)
        {
            return Fail(s, Errno.EBUSY, "PASID-DETACH-3");
        }

        var d = new Draft(s);
        SetGroupPasid(d, s, op.Dev, op.Pasid, -1);
        return Done(d, Result.Ok, "PASID-DETACH-4");
    }
}
