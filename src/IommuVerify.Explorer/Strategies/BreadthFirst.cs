using System.Collections.Immutable;
using IommuVerify.Reference.State;

namespace IommuVerify.Explorer;

/// <summary>Level-synchronous breadth-first search: each level is expanded in parallel in fixed-size chunks,
/// then new states are merged in (parent, operation) order, so the state numbering, the counts and the
/// shortest counterexamples are the same for any number of workers.</summary>
public sealed class BreadthFirst : ISearchStrategy
{
    private const int ChunkSize = 32;

    /// <inheritdoc/>
    public string Name => "bfs";

    /// <inheritdoc/>
    public bool Exhaustive => true;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Meta => new Dictionary<string, string> { ["strategy"] = "bfs", ["bound"] = "none", ["seed"] = "none" };

    /// <inheritdoc/>
    public string Describe() => "bfs (level-synchronous, shortest counterexamples; bound from --max-depth, no seed)";

    /// <inheritdoc/>
    public void Search(Search search)
    {
        if (search.Compact is { } space)
        {
            CompactLevels.Search(search, space, null);
            return;
        }

        var init = search.Model.Initial();
        search.AddSeen(search.Fingerprints.Of(init));
        int first = search.Links.Add(-1, -1);
        search.RecordViolations(search.Violations(init), () => search.Links.PathTo(first));
        var queue = new StateQueue();
        queue.Enqueue(init);
        queue.Advance(first);
        Levels(search, queue, 0);
    }

    /// <summary>Expands <paramref name="queue"/>'s current level (level <paramref name="depth"/>, already checked)
    /// and every level after it until the queue is empty or a limit stops the search.</summary>
    /// <remarks>With <paramref name="split"/>, the new states of level <see cref="ShardSplit.Level"/> are numbered in
    /// discovery order and all enter the seen-set, but only those the split owns are recorded and expanded.</remarks>
    internal static void Levels(Search search, StateQueue queue, int depth, ShardSplit? split = null)
    {
        while (queue.Current.Count > 0)
        {
            search.Depth = depth;
            search.Queue = queue.Count;
            if (search.Options.MaxDepth > 0 && depth >= search.Options.MaxDepth)
            {
                search.Stop($"max-depth {search.Options.MaxDepth}");
                return;
            }

            var candidates = Expand(search, queue);
            if (search.TimeUp)
            {
                search.Stop("time limit");
                return;
            }

            int start = search.Links.Count;
            foreach (var list in candidates)
            {
                foreach (var c in list)
                {
                    if (search.StatesFull)
                    {
                        break;
                    }

                    if (search.AddSeen(c.Fingerprint) && (split is null || split.Level != depth + 1 || split.Take()))
                    {
                        search.Links.Add(c.Parent, c.Op);
                        queue.Enqueue(c.State);
                    }
                }
            }

            queue.Advance(start);
            CheckLevel(search, queue);
            depth++;
            if (search.StatesFull)
            {
                search.Depth = depth;
                search.Stop($"max-states {search.Options.MaxStates}");
                return;
            }
        }
    }

    private static List<Candidate>[] Expand(Search search, StateQueue queue)
    {
        var level = queue.Current;
        int chunks = (level.Count + ChunkSize - 1) / ChunkSize;
        var outs = new List<Candidate>[chunks];
        int next = -1;
        ForWorkers(search.Workers, () =>
        {
            var cov = new CoverageCounter();
            long generated = 0;
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks && !search.TimeUp)
            {
                var list = new List<Candidate>();
                int hi = Math.Min(level.Count, (c + 1) * ChunkSize);
                for (int i = c * ChunkSize; i < hi; i++)
                {
                    var s = level[i];
                    for (int k = 0; k < search.Ops.Length; k++)
                    {
                        var n = search.Apply(s, k, cov).Next;
                        if (ReferenceEquals(n, s) || !search.InConstraint(n))
                        {
                            continue;
                        }

                        generated++;
                        long fp = search.Fingerprints.Of(n);
                        if (!search.Seen.Contains(fp))
                        {
                            list.Add(new Candidate(fp, queue.Start + i, k, n));
                        }
                    }
                }

                outs[c] = list;
            }

            search.CountGenerated(generated);
            search.Merge(cov);
        });
        return outs;
    }

    internal static void CheckLevel(Search search, StateQueue queue)
    {
        var level = queue.Current;
        var found = new ImmutableArray<string>[level.Count];
        int chunks = (level.Count + ChunkSize - 1) / ChunkSize;
        int next = -1;
        ForWorkers(search.Workers, () =>
        {
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks)
            {
                int hi = Math.Min(level.Count, (c + 1) * ChunkSize);
                for (int i = c * ChunkSize; i < hi; i++)
                {
                    found[i] = search.Violations(level[i]);
                }
            }
        });
        for (int i = 0; i < found.Length; i++)
        {
            int index = queue.Start + i;
            search.RecordViolations(found[i], () => search.Links.PathTo(index));
        }
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="workers"/> threads (inline for one) and waits for all.</summary>
    internal static void ForWorkers(int workers, Action body)
    {
        if (workers == 1)
        {
            body();
            return;
        }

        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => body());
    }

    private readonly record struct Candidate(long Fingerprint, int Parent, int Op, IommuState State);
}

/// <summary>Which states of the split level a shard keeps: the j-th new state of level <see cref="Level"/> (discovery order) when j mod <see cref="Count"/> = <see cref="Index"/>.</summary>
/// <param name="Level">The split level (at least 1).</param>
/// <param name="Index">The shard.</param>
/// <param name="Count">The number of shards.</param>
internal sealed record ShardSplit(int Level, int Index, int Count)
{
    /// <summary>Distinct states of the split level seen so far.</summary>
    public int Total { get; private set; }

    /// <summary>How many of them this shard kept.</summary>
    public int Owned { get; private set; }

    /// <summary>Numbers the next new state of the split level; true when this shard owns it.</summary>
    public bool Take()
    {
        bool mine = Total++ % Count == Index;
        Owned += mine ? 1 : 0;
        return mine;
    }
}
