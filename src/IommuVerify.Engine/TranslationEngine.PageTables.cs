using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Engine;

/// <summary>map, unmap, invalidate and the flush queue (ReferenceModel.PageTables.cs and .Caches.cs).</summary>
public sealed partial class TranslationEngine
{
    /// <summary>map: MAP-1..6.</summary>
    private Result MapPage(int slot, ulong page, ulong paPage, Perm perm)
    {
        if ((uint)slot >= (uint)_slots || page >= PageTablePool.PageLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), "slot or IOVA outside the engine's range");
        }

        if (_domKind[slot] == (int)DomainKind.Free)
        {
            return Result.Err(Errno.ENOENT);
        }

        if (_domKind[slot] != (int)DomainKind.Paging)
        {
            return Result.Err(Errno.EINVAL);
        }

        int at = _pool.LeafSlot(ref _root[slot], page);
        ref ulong leaf = ref _pool.At(at);
        if ((leaf & Leaf.Present) != 0)
        {
            return Result.Err(Errno.EEXIST);
        }

        bool pending = (leaf & Leaf.PendingFlush) != 0;
        if (pending && !_policy.FqIovaReuse)
        {
            return Result.Err(Errno.EBUSY);
        }

        leaf = Leaf.Make(paPage, (int)perm) | (leaf & Leaf.PendingFlush);
        return Result.Ok;
    }

    /// <summary>unmap: UNMAP-1..5; strict mode flushes now, deferred mode queues the flush.</summary>
    private Result UnmapPage(int slot, ulong page)
    {
        if ((uint)slot >= (uint)_slots)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), "slot outside the engine's range");
        }

        if (_domKind[slot] == (int)DomainKind.Free)
        {
            return Result.Err(Errno.ENOENT);
        }

        if (_domKind[slot] != (int)DomainKind.Paging)
        {
            return Result.Err(Errno.EINVAL);
        }

        int at = _pool.FindLeafSlot(_root[slot], page);
        if (at < 0 || (_pool.At(at) & Leaf.Present) == 0)
        {
            return Result.OkWith(0);
        }

        ref ulong leaf = ref _pool.At(at);
        if (_policy.Invalidation == InvalidationMode.Strict)
        {
            leaf = 0;
            FlushDomainPage(slot, page);
            return Result.OkWith(1);
        }

        if ((leaf & Leaf.PendingFlush) == 0)
        {
            if (_queueCount == _queue.Length)
            {
                Array.Resize(ref _queue, _queue.Length * 2);
            }

            _queue[_queueCount++] = ((long)slot << 40) | (long)page;
        }

        leaf = Leaf.PendingFlush;
        return Result.OkWith(1);
    }

    /// <summary>invalidate: INVAL-1 drains the flush queue, INVAL-2 flushes every cache.</summary>
    private Result InvalidateOp(InvalidateScope scope)
    {
        if (scope == InvalidateScope.Fq)
        {
            DrainQueue(-1);
            return Result.Ok;
        }

        for (int i = 0; i < _queueCount; i++)
        {
            ClearPending(_queue[i]);
        }

        _queueCount = 0;
        _iotlb.Clear();
        foreach (var t in _devTlb)
        {
            t?.Clear();
        }

        return Result.Ok;
    }

    private void ClearPending(long entry)
    {
        int at = _pool.FindLeafSlot(_root[(int)(entry >> 40)], (ulong)entry & PageMask);
        if (at >= 0)
        {
            _pool.At(at) &= ~Leaf.PendingFlush;
        }
    }

    /// <summary>Performs the queued invalidations of one slot, or of all when <paramref name="slot"/> is -1 (spec TLB-FQ-1).</summary>
    private void DrainQueue(int slot)
    {
        int kept = 0;
        for (int i = 0; i < _queueCount; i++)
        {
            long e = _queue[i];
            int s = (int)(e >> 40);
            if (slot >= 0 && s != slot)
            {
                _queue[kept++] = e;
                continue;
            }

            ClearPending(e);
            FlushDomainPage(s, (ulong)e & PageMask);
        }

        _queueCount = kept;
    }
}
