namespace IommuVerify.Explorer;

/// <summary>Breadth-first search of one shard of the state space (see <see cref="Shards"/> for the rule).</summary>
/// <remarks>Level 0 (the initial state) and level 1 (its distinct successors, numbered in discovery order, which
/// follows the deterministic operation order) are computed identically by every shard and all go into the seen-set.
/// Shard <see cref="Index"/> of <see cref="Count"/> then expands only the level-1 states whose number j has
/// j mod Count == Index, and breadth-first everything reachable from them, with the same options and limits as
/// <see cref="BreadthFirst"/>. Level-1 states of other shards are in the seen-set and so are never re-expanded here.</remarks>
/// <param name="Index">This shard, 0 ≤ Index &lt; Count.</param>
/// <param name="Count">The number of shards.</param>
public sealed record ShardedBreadthFirst(int Index, int Count) : ISearchStrategy
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
        ["shard"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Index}/{Count}"),
    };

    /// <summary>The number of distinct level-1 states, and how many of them this shard owns (set by <see cref="Search"/>).</summary>
    public (int Level1, int Owned) Level1Counts { get; private set; }

    /// <inheritdoc/>
    public string Describe() => $"bfs shard {Index}/{Count} (level-1 states j with j mod {Count} = {Index}; shortest counterexamples within the shard)";

    /// <inheritdoc/>
    public void Search(Search search)
    {
        if (Count < 1 || Index < 0 || Index >= Count)
        {
            throw new InvalidOperationException($"shard {Index}/{Count}: need 0 <= index < count");
        }

        var init = search.Model.Initial();
        search.AddSeen(search.Fingerprints.Of(init));
        int first = search.Links.Add(-1, -1);
        search.RecordViolations(search.Violations(init), () => search.Links.PathTo(first));
        search.Depth = 0;
        if (search.Options.MaxDepth > 0 && 0 >= search.Options.MaxDepth)
        {
            search.Stop($"max-depth {search.Options.MaxDepth}");
            return;
        }

        // Level 1, in operation order, single-threaded: every shard numbers these states the same way.
        var cov = new CoverageCounter();
        long generated = 0;
        var owned = new List<(int Op, Reference.State.IommuState State)>();
        int level1 = 0;
        for (int k = 0; k < search.Ops.Length; k++)
        {
            var n = search.Apply(init, k, cov).Next;
            if (ReferenceEquals(n, init) || !search.InConstraint(n))
            {
                continue;
            }

            generated++;
            if (search.StatesFull)
            {
                break;
            }

            if (search.AddSeen(search.Fingerprints.Of(n)))
            {
                if (level1 % Count == Index)
                {
                    owned.Add((k, n));
                }

                level1++;
            }
        }

        search.CountGenerated(generated);
        search.Merge(cov);
        Level1Counts = (level1, owned.Count);
        var queue = new StateQueue();
        int start = search.Links.Count;
        foreach (var (op, state) in owned)
        {
            search.Links.Add(first, op);
            queue.Enqueue(state);
        }

        queue.Advance(start);
        BreadthFirst.CheckLevel(search, queue);
        if (search.TimeUp)
        {
            search.Stop("time limit");
            return;
        }

        if (search.StatesFull)
        {
            search.Depth = 1;
            search.Stop($"max-states {search.Options.MaxStates}");
            return;
        }

        BreadthFirst.Levels(search, queue, 1);
    }
}
