using System.Collections.Immutable;
using IommuVerify.Explorer.Compact;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer;

/// <summary><see cref="BreadthFirst"/> over the compact encoding: the same levels, numbering, counts and shortest
/// paths, with states held as rows of one int array per level and no allocation per transition.</summary>
/// <remarks>Each level runs in three phases. Expand (parallel, fixed chunks of the level): apply every operation to
/// every state into a per-worker scratch row, fingerprint the successor and keep (fingerprint, parent, operation)
/// when the seen-set does not hold it yet. Merge: insert the candidates into the seen-set so that the first candidate
/// of each new fingerprint in (parent, operation) order wins, then number the winners in that order and record their
/// links (in parallel by fingerprint partition; one by one in order under a state limit). Materialize (parallel):
/// recompute each new state from its parent into the next level's rows and take its invariant verdicts. The result
/// does not depend on the number of workers.</remarks>
internal static class CompactLevels
{
    private const int ChunkSize = 64;

    /// <summary>Runs the breadth-first search from the initial state; with <paramref name="split"/>, one shard of it.</summary>
    public static void Search(Search search, CompactSpace space, ShardSplit? split)
    {
        int w = space.Width;
        search.AddSeen(space.Fingerprints.Of(space.Initial));
        int first = search.Links.Add(-1, -1);
        search.RecordViolations(ViolationIds(space.Invariants.Check(space.Initial)), () => search.Links.PathTo(first));
        int[] level = (int[])space.Initial.Clone();
        int count = 1, start = first, depth = 0;
        while (count > 0)
        {
            search.Depth = depth;
            search.Queue = count;
            if (search.Options.MaxDepth > 0 && depth >= search.Options.MaxDepth)
            {
                search.Stop($"max-depth {search.Options.MaxDepth}");
                return;
            }

            var candidates = Expand(search, space, level, count);
            if (search.TimeUp)
            {
                search.Stop("time limit");
                return;
            }

            int nextStart = search.Links.Count;
            var winners = search.Options.MaxStates > 0
                ? MergeInOrder(search, candidates, start, depth, split)
                : MergeParallel(search, candidates, start, depth, split);
            level = Materialize(search, space, level, winners, nextStart);
            count = winners.Count;
            start = nextStart;
            depth++;
            if (search.StatesFull)
            {
                search.Depth = depth;
                search.Stop($"max-states {search.Options.MaxStates}");
                return;
            }
        }
    }

    /// <summary>Inserts the candidates into the seen-set one by one in discovery order, stopping at the state limit.</summary>
    private static List<Candidate> MergeInOrder(Search search, List<Candidate>[] candidates, int start, int depth, ShardSplit? split)
    {
        var winners = new List<Candidate>();
        foreach (var list in candidates)
        {
            foreach (var c in list)
            {
                if (search.StatesFull)
                {
                    return winners;
                }

                if (search.AddSeen(c.Fingerprint) && (split is null || split.Level != depth + 1 || split.Take()))
                {
                    search.Links.Add(start + c.Parent, c.Op);
                    winners.Add(c);
                }
            }
        }

        return winners;
    }

    /// <summary>The same outcome as <see cref="MergeInOrder"/> without a state limit, with the seen-set inserts in parallel.</summary>
    /// <remarks>Partition p of the fingerprints (see <see cref="Partition"/>) is inserted by one thread scanning all candidates in
    /// discovery order, so the first candidate of each new fingerprint is the one that wins, for any number of workers.
    /// When the table reaches its load limit every partition stops where it is, the table grows (between parallel
    /// phases, as it must) and the partitions resume. The winners are then numbered in discovery order.</remarks>
    private static List<Candidate> MergeParallel(Search search, List<Candidate>[] candidates, int start, int depth, ShardSplit? split)
    {
        var won = new bool[candidates.Length][];
        for (int c = 0; c < candidates.Length; c++)
        {
            won[c] = new bool[candidates[c].Count];
        }

        int workers = search.Workers;
        var seen = search.Seen;
        var resume = new (int Chunk, int Index)[workers];
        bool full = true;
        while (full)
        {
            full = false;
            int id = -1;
            BreadthFirst.ForWorkers(workers, () =>
            {
                int mine = Interlocked.Increment(ref id);
                var (c0, i0) = resume[mine];
                for (int c = c0; c < candidates.Length; c++, i0 = 0)
                {
                    var list = candidates[c];
                    for (int i = i0; i < list.Count; i++)
                    {
                        long fp = list[i].Fingerprint;
                        if (workers > 1 && Partition(fp, workers) != mine)
                        {
                            continue;
                        }

                        switch (seen.TryAddWithinLoad(fp))
                        {
                            case true:
                                won[c][i] = true;
                                break;
                            case null:
                                resume[mine] = (c, i);
                                Volatile.Write(ref full, true);
                                return;
                        }
                    }
                }

                resume[mine] = (candidates.Length, 0);
            });
            if (full)
            {
                seen.EnsureCapacity(1);
            }
        }

        var winners = new List<Candidate>();
        for (int c = 0; c < candidates.Length; c++)
        {
            var list = candidates[c];
            for (int i = 0; i < list.Count; i++)
            {
                if (won[c][i] && (split is null || split.Level != depth + 1 || split.Take()))
                {
                    search.Links.Add(start + list[i].Parent, list[i].Op);
                    winners.Add(list[i]);
                }
            }
        }

        return winners;
    }

    /// <summary>The partition of a fingerprint among <paramref name="workers"/>: the high half of its spread value
    /// scaled to [0, workers) (spread, because canonical fingerprints lean towards small values).</summary>
    private static int Partition(long fp, int workers) => (int)((FingerprintSet.Spread(fp) >> 32) * (ulong)workers >> 32);

    /// <summary>The invariant IDs of a verdict mask, in spec order.</summary>
    private static ImmutableArray<string> ViolationIds(int mask)
    {
        if (mask == 0)
        {
            return [];
        }

        var b = ImmutableArray.CreateBuilder<string>();
        for (int i = 0; i < InvariantIds.All.Length; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                b.Add(InvariantIds.All[i]);
            }
        }

        return b.ToImmutable();
    }

    private static List<Candidate>[] Expand(Search search, CompactSpace space, int[] level, int count)
    {
        int w = space.Width, ops = space.Codes.Length, maxBind = search.Options.MaxBindCount;
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        var outs = new List<Candidate>[chunks];
        int next = -1;
        BreadthFirst.ForWorkers(search.Workers, () =>
        {
            var model = space.Model;
            var fps = space.Fingerprints;
            var seen = search.Seen;
            var scratch = new int[w];
            var perOp = new long[ops];
            var perErrno = new long[Enum.GetValues<Errno>().Length];
            var rules = default(RuleMask);
            long generated = 0, constrained = 0;
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks && !search.TimeUp)
            {
                var list = new List<Candidate>();
                int hi = Math.Min(count, (c + 1) * ChunkSize);
                for (int i = c * ChunkSize; i < hi; i++)
                {
                    var s = new ReadOnlySpan<int>(level, i * w, w);
                    for (int k = 0; k < ops; k++)
                    {
                        var step = model.Apply(s, scratch, k, ref rules);
                        perOp[k]++;
                        if (step.Errno >= 0)
                        {
                            perErrno[step.Errno]++;
                        }

                        if (!step.Changed)
                        {
                            continue;
                        }

                        if (!space.InConstraint(scratch, maxBind))
                        {
                            constrained++;
                            continue;
                        }

                        generated++;
                        long fp = fps.Of(scratch);
                        if (!seen.Contains(fp))
                        {
                            list.Add(new Candidate(fp, i, k));
                        }
                    }
                }

                outs[c] = list;
            }

            var cov = new CoverageCounter();
            cov.CountCompact(space.Codes, perOp, perErrno, rules);
            search.CountGenerated(generated);
            search.CountConstrained(constrained);
            search.Merge(cov);
        });

        // A chunk a timed-out worker never took is left null; the caller stops before reading it.
        return [.. outs.Select(o => o ?? [])];
    }

    private static int[] Materialize(Search search, CompactSpace space, int[] level, List<Candidate> winners, int firstIndex)
    {
        int w = space.Width, n = winners.Count;
        var rows = new int[Math.Max(1, n) * w];
        var found = new int[n];
        int chunks = (n + ChunkSize - 1) / ChunkSize;
        int next = -1;
        BreadthFirst.ForWorkers(search.Workers, () =>
        {
            var rules = default(RuleMask);
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks)
            {
                int hi = Math.Min(n, (c + 1) * ChunkSize);
                for (int j = c * ChunkSize; j < hi; j++)
                {
                    var row = new Span<int>(rows, j * w, w);
                    var step = space.Model.Apply(new ReadOnlySpan<int>(level, winners[j].Parent * w, w), row, winners[j].Op, ref rules);
                    if (!step.Changed)
                    {
                        throw new InvalidOperationException("a successor did not reproduce when materialized: the compact model is not deterministic");
                    }

                    found[j] = space.Invariants.Check(row);
                }
            }
        });
        for (int j = 0; j < n; j++)
        {
            if (found[j] != 0)
            {
                int index = firstIndex + j;
                search.RecordViolations(ViolationIds(found[j]), () => search.Links.PathTo(index));
            }
        }

        return rows;
    }

    private readonly record struct Candidate(long Fingerprint, int Parent, int Op);
}
