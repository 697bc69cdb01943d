namespace IommuVerify.Explorer;

/// <summary>A search order over the reachable states (TLC's roles: the queue and the worker loop live in the strategy).</summary>
public interface ISearchStrategy
{
    /// <summary>The short name: bfs, dfs, random.</summary>
    string Name { get; }

    /// <summary>True when a completed search without limits visited every reachable state.</summary>
    bool Exhaustive { get; }

    /// <summary>The trace meta this strategy contributes: strategy, bound and seed.</summary>
    IReadOnlyDictionary<string, string> Meta { get; }

    /// <summary>The description, with seed and bounds.</summary>
    string Describe();

    /// <summary>Runs the search, recording states, links, violations and coverage in <paramref name="search"/>.</summary>
    void Search(Search search);
}
