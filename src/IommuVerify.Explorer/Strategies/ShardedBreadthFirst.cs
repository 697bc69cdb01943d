namespace IommuVerify.Explorer;

/// <summary>Breadth-first search of one shard of the state space (see <see cref="Shards"/> for the rule and why it is complete).</summary>
/// <remarks>Levels 0 to <see cref="Level"/> are computed identically by every shard and all their states go into the
/// seen-set. The distinct states of level <see cref="Level"/>, numbered j = 0, 1, ... in discovery order (which
/// follows the predecessor's discovery order, then the deterministic operation order), belong to shard j mod
/// <see cref="Count"/>; shard <see cref="Index"/> expands only its own, and breadth-first everything reachable from
/// them, with the same options and limits as <see cref="BreadthFirst"/>. Another shard's level states are in the
/// seen-set and so are never expanded here.</remarks>
/// <param name="Index">This shard, 0 &lt;= Index &lt; Count.</param>
/// <param name="Count">The number of shards.</param>
/// <param name="Level">The split level (1: the initial state's successors).</param>
public sealed record ShardedBreadthFirst(int Index, int Count, int Level = 1) : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "bfs";

    /// <inheritdoc/>
    public bool Exhaustive => true;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Meta => new Dictionary<string, string>
    {
        ["strategy"] = "bfs",
        ["bound"] = "none",
        ["seed"] = "none",
        ["shard"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Index}/{Count}@{Level}"),
    };

    /// <summary>The number of distinct states of the split level, and how many of them this shard owns (set by <see cref="Search"/>).</summary>
    public (int Total, int Owned) LevelCounts { get; private set; }

    /// <inheritdoc/>
    public string Describe() => $"bfs shard {Index}/{Count} (level-{Level} states j with j mod {Count} = {Index}; shortest counterexamples within the shard)";

    /// <inheritdoc/>
    public void Search(Search search)
    {
        if (Count < 1 || Index < 0 || Index >= Count || Level < 1)
        {
            throw new InvalidOperationException($"shard {Index}/{Count} at level {Level}: need 0 <= index < count and level >= 1");
        }

        var split = new ShardSplit(Level, Index, Count);
        if (search.Compact is { } space)
        {
            CompactLevels.Search(search, space, split);
            LevelCounts = (split.Total, split.Owned);
            return;
        }

        var init = search.Model.Initial();
        search.AddSeen(search.Fingerprints.Of(init));
        int first = search.Links.Add(-1, -1);
        search.RecordViolations(search.Violations(init), () => search.Links.PathTo(first));
        var queue = new StateQueue();
        queue.Enqueue(init);
        queue.Advance(first);
        BreadthFirst.Levels(search, queue, 0, split);
        LevelCounts = (split.Total, split.Owned);
    }
}
