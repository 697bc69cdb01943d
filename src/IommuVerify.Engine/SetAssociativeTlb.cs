using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IommuVerify.Engine;

/// <summary>A set-associative translation cache: fixed sets and ways, round-robin replacement per set.</summary>
/// <remarks>Keys are nonzero 64-bit values (0 marks an empty way); values are leaf entries. At most one entry per
/// key: a fill for a key already present overwrites it. Entries leave only by eviction or by an invalidation.</remarks>
public sealed class SetAssociativeTlb
{
    private readonly ulong[] _keys;
    private readonly ulong[] _values;
    private readonly byte[] _victim;
    private readonly int _ways;
    private readonly int _setMask;

    /// <summary>Creates a cache of <paramref name="sets"/> sets (a power of two) of <paramref name="ways"/> ways.</summary>
    public SetAssociativeTlb(int sets, int ways)
    {
        if (sets < 1 || (sets & (sets - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sets), sets, "sets must be a power of two");
        }

        if (ways is < 1 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(ways), ways, "ways must be 1 to 255");
        }

        Sets = sets;
        _ways = ways;
        _setMask = sets - 1;
        _keys = new ulong[sets * ways];
        _values = new ulong[sets * ways];
        _victim = new byte[sets];
    }

    /// <summary>Number of sets.</summary>
    public int Sets { get; }

    /// <summary>Ways per set.</summary>
    public int Ways => _ways;

    /// <summary>Entries currently held.</summary>
    public int Count
    {
        get
        {
            int n = 0;
            foreach (ulong k in _keys)
            {
                n += k != 0 ? 1 : 0;
            }

            return n;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SetBase(ulong key) => ((int)((key * 0x9E3779B97F4A7C15UL) >> 32) & _setMask) * _ways;

    /// <summary>Looks a key up.</summary>
    public bool TryGet(ulong key, out ulong value) => TryGet(key, out value, out _);

    /// <summary>Looks a key up and returns its set (for <see cref="FillMissed"/>).</summary>
    public bool TryGet(ulong key, out ulong value, out int set)
    {
        int b = SetBase(key);
        set = b;
        ref ulong k = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_keys), b);
        for (int i = 0; i < _ways; i++)
        {
            if (Unsafe.Add(ref k, i) == key)
            {
                value = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), b + i);
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>Inserts a key that <see cref="TryGet(ulong, out ulong, out int)"/> just missed in <paramref name="set"/>:
    /// the first empty way, else the set's round-robin victim.</summary>
    public void FillMissed(int set, ulong key, ulong value)
    {
        ref ulong k = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_keys), set);
        int way = -1;
        for (int i = 0; i < _ways; i++)
        {
            if (Unsafe.Add(ref k, i) == 0)
            {
                way = i;
                break;
            }
        }

        if (way < 0)
        {
            int s = set / _ways;
            way = _victim[s];
            _victim[s] = (byte)(way + 1 == _ways ? 0 : way + 1);
        }

        Unsafe.Add(ref k, way) = key;
        _values[set + way] = value;
    }

    /// <summary>Inserts or overwrites an entry, evicting the set's round-robin victim when the set is full.</summary>
    public void Fill(ulong key, ulong value)
    {
        int b = SetBase(key);
        int empty = -1;
        for (int i = b; i < b + _ways; i++)
        {
            ulong k = _keys[i];
            if (k == key)
            {
                _values[i] = value;
                return;
            }

            if (k == 0 && empty < 0)
            {
                empty = i;
            }
        }

        if (empty < 0)
        {
            int set = b / _ways;
            int v = _victim[set];
            empty = b + v;
            _victim[set] = (byte)(v + 1 == _ways ? 0 : v + 1);
        }

        _keys[empty] = key;
        _values[empty] = value;
    }

    /// <summary>Removes the entry for a key, if any.</summary>
    public void Remove(ulong key)
    {
        int b = SetBase(key);
        for (int i = b; i < b + _ways; i++)
        {
            if (_keys[i] == key)
            {
                _keys[i] = 0;
                _values[i] = 0;
                return;
            }
        }
    }

    /// <summary>Removes every entry whose key has <paramref name="match"/> under <paramref name="mask"/>.</summary>
    public void RemoveWhere(ulong mask, ulong match)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] != 0 && (_keys[i] & mask) == match)
            {
                _keys[i] = 0;
                _values[i] = 0;
            }
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        Array.Clear(_keys);
        Array.Clear(_values);
        Array.Clear(_victim);
    }
}
