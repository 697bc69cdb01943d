using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>map, unmap and invalidate (spec section "Page tables and invalidation").</summary>
public sealed partial class ReferenceModel
{
    /// <summary>map: MAP-1..6.</summary>
    private StepResult MapOp(IommuState s, Map op)
    {
        if (s.DomKind[op.Slot] == (int)DomainKind.Free)
        {
            return Fail(s, Errno.ENOENT, "MAP-1");
        }

        if (s.DomKind[op.Slot] != (int)DomainKind.Paging)
        {
            return Fail(s, Errno.EINVAL, "MAP-2");
        }

        int i = L.Pte(op.Slot, op.Iova);
        if (s.Ptes[i] != 0)
        {
            return Fail(s, Errno.EEXIST, "MAP-3");
        }

        bool pending = s.FlushQueue.Contains(Entry.Fq(op.Slot, op.Iova));
        if (pending && !Policy.FqIovaReuse)
        {
            return Fail(s, Errno.EBUSY, "MAP-4");
        }

        var d = new Draft(s);
        d.Ptes[i] = Pte.Make(op.Pa, (int)op.Perm);
        return pending ? Done(d, Result.Ok, "MAP-6") : Done(d, Result.Ok, "MAP-5");
    }

    /// <summary>unmap: UNMAP-1..5.</summary>
    private StepResult UnmapOp(IommuState s, Unmap op)
    {
        if (s.DomKind[op.Slot] == (int)DomainKind.Free)
        {
            return Fail(s, Errno.ENOENT, "UNMAP-1");
        }

        if (s.DomKind[op.Slot] != (int)DomainKind.Paging)
        {
            return Fail(s, Errno.EINVAL, "UNMAP-2");
        }

        int i = L.Pte(op.Slot, op.Iova);
        if (s.Ptes[i] == 0)
        {
            return Same(s, Result.OkWith(0), "UNMAP-3");
        }

        var d = new Draft(s);
        d.Ptes[i] = 0;
        if (Policy.Invalidation == InvalidationMode.Strict)
        {
            FlushDomainPage(d, op.Slot, op.Iova);
            return Done(d, Result.OkWith(1), "UNMAP-4");
        }

        d.FlushQueue.Add(Entry.Fq(op.Slot, op.Iova));
        return Done(d, Result.OkWith(1), "UNMAP-5");
    }

    /// <summary>invalidate: INVAL-1 (drain the flush queue), INVAL-2 (flush everything).</summary>
    private StepResult InvalidateOp(IommuState s, Invalidate op)
    {
        var d = new Draft(s);
        if (op.Scope == InvalidateScope.Fq)
        {
            DrainQueue(d, _ => true);
            return Done(d, Result.Ok, "INVAL-1");
        }

        d.Iotlb.Clear();
        d.DevTlb.Clear();
        d.FlushQueue.Clear();
        return Done(d, Result.Ok, "INVAL-2");
    }
}
