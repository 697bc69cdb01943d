using IommuVerify.Reference.State;

namespace IommuVerify.Explorer;

/// <summary>The BFS queue as two levels: the states being expanded, which are the states numbered
/// <see cref="Start"/> onwards, and the next level being filled in discovery order.</summary>
public sealed class StateQueue
{
    private List<IommuState> _current = [];
    private List<IommuState> _next = [];

    /// <summary>The index (in discovery order) of the first state of the current level.</summary>
    public int Start { get; private set; }

    /// <summary>The current level.</summary>
    public IReadOnlyList<IommuState> Current => _current;

    /// <summary>States of the current level plus those queued for the next.</summary>
    public long Count => _current.Count + _next.Count;

    /// <summary>Queues a newly discovered state for the next level.</summary>
    public void Enqueue(IommuState s) => _next.Add(s);

    /// <summary>Makes the next level current; its first state has discovery index <paramref name="start"/>.</summary>
    public void Advance(int start)
    {
        (_current, _next) = (_next, _current);
        _next.Clear();
        Start = start;
    }
}
