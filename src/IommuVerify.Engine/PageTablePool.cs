using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IommuVerify.Engine;

/// <summary>Four-level radix page tables (512 entries of 8 bytes per node, 4 KiB pages) whose nodes come from one pooled array.</summary>
/// <remarks>Node 0 is reserved as "no node", so a zero entry is empty at every level. An interior entry holds the
/// child's node index; a leaf entry holds a <see cref="Leaf"/> value. Nodes are returned to a free list when a
/// domain's table is torn down; unmap clears leaves but keeps interior nodes, as the kernel's io-pgtable code does.</remarks>
public sealed class PageTablePool
{
    /// <summary>Entries per node.</summary>
    public const int Fanout = 512;

    /// <summary>Levels of the radix tree: 4 levels of 9 bits cover 36 bits of page number (48-bit IOVAs).</summary>
    public const int Levels = 4;

    /// <summary>The largest page number a table can hold, plus one.</summary>
    public const ulong PageLimit = 1UL << (9 * Levels);

    private ulong[] _entries;
    private int _used = 1;
    private int[] _free = new int[16];
    private int _freeCount;
    private int _live;

    /// <summary>Creates a pool with room for <paramref name="initialNodes"/> nodes before it grows.</summary>
    public PageTablePool(int initialNodes = 64)
    {
        _entries = new ulong[Math.Max(2, initialNodes) * Fanout];
    }

    /// <summary>Nodes the array has room for (node 0 included) before it has to grow.</summary>
    public int CapacityNodes => _entries.Length / Fanout;

    /// <summary>Nodes in use by some table.</summary>
    public int LiveNodes => _live;

    /// <summary>Bytes of page-table memory in use: live nodes times 4 KiB.</summary>
    public long LiveBytes => (long)_live * Fanout * sizeof(ulong);

    /// <summary>Makes sure <paramref name="nodes"/> nodes can be allocated without growing the array.</summary>
    public void Reserve(int nodes)
    {
        long need = ((long)_used + nodes) * Fanout;
        if (need > _entries.Length)
        {
            Array.Resize(ref _entries, (int)Math.Min(need, Array.MaxLength));
        }
    }

    /// <summary>Finds the leaf entry for a page, or 0 when any level is empty.</summary>
    public ulong Lookup(int root, ulong page)
    {
        if (root == 0)
        {
            return 0;
        }

        ref ulong e = ref MemoryMarshal.GetArrayDataReference(_entries);
        ulong x = Unsafe.Add(ref e, (root * Fanout) + (int)((page >> 27) & 511));
        if (x == 0)
        {
            return 0;
        }

        x = Unsafe.Add(ref e, ((int)x * Fanout) + (int)((page >> 18) & 511));
        if (x == 0)
        {
            return 0;
        }

        x = Unsafe.Add(ref e, ((int)x * Fanout) + (int)((page >> 9) & 511));
        if (x == 0)
        {
            return 0;
        }

        return Unsafe.Add(ref e, ((int)x * Fanout) + (int)(page & 511));
    }

    /// <summary>The index of the leaf slot for a page, creating the missing levels (and the root when <paramref name="root"/> is 0).</summary>
    public int LeafSlot(ref int root, ulong page)
    {
        if (root == 0)
        {
            root = AllocNode();
        }

        int n = root;
        for (int shift = 27; shift > 0; shift -= 9)
        {
            int i = (n * Fanout) + (int)((page >> shift) & 511);
            ulong x = _entries[i];
            if (x == 0)
            {
                int child = AllocNode();
                _entries[i] = (ulong)child;
                x = (ulong)child;
            }

            n = (int)x;
        }

        return (n * Fanout) + (int)(page & 511);
    }

    /// <summary>The index of the leaf slot for a page, or -1 when a level is missing (nothing is created).</summary>
    public int FindLeafSlot(int root, ulong page)
    {
        if (root == 0)
        {
            return -1;
        }

        int n = root;
        for (int shift = 27; shift > 0; shift -= 9)
        {
            ulong x = _entries[(n * Fanout) + (int)((page >> shift) & 511)];
            if (x == 0)
            {
                return -1;
            }

            n = (int)x;
        }

        return (n * Fanout) + (int)(page & 511);
    }

    /// <summary>The entry at a slot index from <see cref="LeafSlot"/>.</summary>
    public ref ulong At(int slot) => ref _entries[slot];

    /// <summary>Returns every node of a table to the pool, zeroed.</summary>
    public void FreeTree(int root)
    {
        if (root != 0)
        {
            FreeLevel(root, Levels - 1);
        }
    }

    private void FreeLevel(int node, int level)
    {
        int b = node * Fanout;
        if (level > 0)
        {
            for (int i = 0; i < Fanout; i++)
            {
                ulong x = _entries[b + i];
                if (x != 0)
                {
                    FreeLevel((int)x, level - 1);
                }
            }
        }

        Array.Clear(_entries, b, Fanout);
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, _free.Length * 2);
        }

        _free[_freeCount++] = node;
        _live--;
    }

    private int AllocNode()
    {
        _live++;
        if (_freeCount > 0)
        {
            return _free[--_freeCount];
        }

        if ((long)(_used + 1) * Fanout > _entries.Length)
        {
            Array.Resize(ref _entries, (int)Math.Min((long)_entries.Length * 2, Array.MaxLength));
        }

        return _used++;
    }
}

/// <summary>The bits of a leaf page-table entry.</summary>
public static class Leaf
{
    /// <summary>Present and readable.</summary>
    public const ulong Present = 1;

    /// <summary>Writable.</summary>
    public const ulong Write = 2;

    /// <summary>An unmap of this page waits in the flush queue (kept across a re-map, as the queue entry is).</summary>
    public const ulong PendingFlush = 4;

    /// <summary>The bits a cache entry keeps: address and permission.</summary>
    public const ulong CacheMask = ~PendingFlush;

    /// <summary>Builds a present leaf for a physical page with permission bits 1 (r) or 3 (rw).</summary>
    public static ulong Make(ulong paPage, int perm) => (paPage << 12) | (uint)perm;

    /// <summary>The physical page of a leaf.</summary>
    public static ulong PaPage(ulong leaf) => leaf >> 12;
}
