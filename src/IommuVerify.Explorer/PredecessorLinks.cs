namespace IommuVerify.Explorer;

/// <summary>For each state found, in discovery order, the state it was reached from and the operation index taken.</summary>
/// <remarks>8 bytes per state, kept apart from the seen-set; enough to rebuild any trace by walking back to the initial state.</remarks>
public sealed class PredecessorLinks
{
    private int[] _parent = new int[1024];
    private int[] _op = new int[1024];

    /// <summary>The number of states recorded.</summary>
    public int Count { get; private set; }

    /// <summary>The bytes the links occupy.</summary>
    public long Bytes => ((long)_parent.Length + _op.Length) * sizeof(int);

    /// <summary>Records a state reached from <paramref name="parent"/> by operation <paramref name="op"/> (-1, -1 for the initial state); returns its index.</summary>
    public int Add(int parent, int op)
    {
        if (Count == _parent.Length)
        {
            Array.Resize(ref _parent, _parent.Length * 2);
            Array.Resize(ref _op, _op.Length * 2);
        }

        _parent[Count] = parent;
        _op[Count] = op;
        return Count++;
    }

    /// <summary>The operation indices from the initial state to state <paramref name="index"/>.</summary>
    public int[] PathTo(int index)
    {
        var path = new List<int>();
        for (int i = index; _parent[i] >= 0; i = _parent[i])
        {
            path.Add(_op[i]);
        }

        path.Reverse();
        return [.. path];
    }
}
