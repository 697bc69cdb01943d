namespace IommuVerify.Explorer;

/// <summary>The seen-set: 64-bit state fingerprints in one open-addressing table of longs (TLC's FPSet).</summary>
/// <remarks><see cref="TryAdd"/> and <see cref="Contains"/> are lock-free (compare-and-swap on the slot) and safe from
/// many threads. Growth is explicit: <see cref="EnsureCapacity"/> grows the table by 1.6x whenever the additions it is
/// told about would take it past 80% full, so the table holds between 10 and 16 bytes per state once past its
/// initial size. <see cref="EnsureCapacity"/> must not run concurrently with the other members.</remarks>
public sealed class FingerprintSet
{
    private const double MaxLoad = 0.8;
    private const double Growth = 1.6;
    private long[] _table;
    private long _count;

    /// <summary>Creates a set with room for about <paramref name="expected"/> fingerprints before it first grows.</summary>
    public FingerprintSet(long expected = 1024)
    {
        _table = new long[Math.Max(16, (long)(expected / MaxLoad) + 1)];
    }

    /// <summary>The number of fingerprints held.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The bytes the table occupies.</summary>
    public long Bytes => (long)_table.Length * sizeof(long);

    /// <summary>Bytes of table per fingerprint held.</summary>
    public double BytesPerState => Count == 0 ? 0 : (double)Bytes / Count;

    /// <summary>Makes room for <paramref name="additions"/> more fingerprints. Not thread-safe: call between parallel phases.</summary>
    public void EnsureCapacity(long additions)
    {
        if (_count + additions <= (long)(_table.Length * MaxLoad))
        {
            return;
        }

        long size = _table.Length;
        while (_count + additions > (long)(size * MaxLoad))
        {
            size = (long)(size * Growth) + 1;
        }

        var bigger = new long[size];
        foreach (long v in _table)
        {
            if (v != 0)
            {
                Insert(bigger, v);
            }
        }

        _table = bigger;
    }

    /// <summary>Adds a fingerprint; true when it was not there before. Thread-safe; room must have been made with <see cref="EnsureCapacity"/>.</summary>
    /// <exception cref="InvalidOperationException">When the table is full.</exception>
    public bool TryAdd(long fp)
    {
        fp = fp == 0 ? 1 : fp;
        var t = _table;
        if (Interlocked.Read(ref _count) >= t.Length - 1)
        {
            throw new InvalidOperationException("the fingerprint set is full: EnsureCapacity was not called");
        }

        bool added = Insert(t, fp);
        if (added)
        {
            Interlocked.Increment(ref _count);
        }

        return added;
    }

    /// <summary>Adds a fingerprint unless the table is at its load limit: true when added, false when it was already
    /// there, null when it is new and there is no room (grow with <see cref="EnsureCapacity"/>, then retry). Thread-safe.</summary>
    /// <remarks>Lets parallel inserters grow the table exactly when one-by-one insertion would, instead of reserving
    /// room for every candidate up front (most candidates are duplicates, and the table would end up mostly empty).</remarks>
    public bool? TryAddWithinLoad(long fp)
    {
        if (Interlocked.Read(ref _count) + 1 > (long)(_table.Length * MaxLoad))
        {
            return Contains(fp) ? false : null;
        }

        return TryAdd(fp);
    }

    /// <summary>True when the fingerprint is in the set. Thread-safe.</summary>
    public bool Contains(long fp)
    {
        fp = fp == 0 ? 1 : fp;
        var t = _table;
        long i = Index(fp, t.Length);
        while (true)
        {
            long v = Volatile.Read(ref t[i]);
            if (v == fp)
            {
                return true;
            }

            if (v == 0)
            {
                return false;
            }

            i = i + 1 == t.Length ? 0 : i + 1;
        }
    }

    /// <summary>The fingerprints held, in ascending order. Not thread-safe: call when no thread is adding.</summary>
    public long[] ToSortedArray()
    {
        var all = new long[Count];
        int n = 0;
        foreach (long v in _table)
        {
            if (v != 0)
            {
                all[n++] = v;
            }
        }

        Array.Sort(all, 0, n);
        return n == all.Length ? all : all[..n];
    }

    /// <summary>The home slot of a fingerprint. Canonical fingerprints under symmetry are the least hash over the
    /// group, so their high bits lean towards 0; multiplying by an odd constant first spreads them over the table
    /// (without it, linear probing on a group of 2 ran 100 times slower).</summary>
    private static long Index(long fp, long length) => (long)Math.BigMul(Spread(fp), (ulong)length, out _);

    /// <summary>A bijection of the fingerprint whose high bits depend on all its bits (Fibonacci hashing).</summary>
    internal static ulong Spread(long fp) => (ulong)fp * 0x9E37_79B9_7F4A_7C15UL;

    private static bool Insert(long[] t, long fp)
    {
        long i = Index(fp, t.Length);
        while (true)
        {
            long v = Volatile.Read(ref t[i]);
            if (v == fp)
            {
                return false;
            }

            if (v == 0)
            {
                long prev = Interlocked.CompareExchange(ref t[i], fp, 0);
                if (prev == 0)
                {
                    return true;
                }

                if (prev == fp)
                {
                    return false;
                }
            }

            i = i + 1 == t.Length ? 0 : i + 1;
        }
    }
}
