using System.Collections.Immutable;
using IommuVerify.Explorer.Compact;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer;

/// <summary><see cref="BreadthFirst"/> over the compact encoding: the same levels, numbering, counts and shortest
/// paths, with states held as rows of one int array per level and no allocation per transition.</summary>
/// <remarks>Each level runs in three phases. Expand (parallel, fixed chunks of the level): apply every operation to
/// every state into a per-worker scratch row, fingerprint the successor and keep (fingerprint, parent, operation)
/// when the seen-set does not hold it yet. Merge (one thread, chunk order, so in (parent, operation) order for any
/// number of workers): insert into the seen-set, number the new states and record their links. Materialize
/// (parallel): recompute each new state from its parent into the next level's rows and take its invariant verdicts.</remarks>
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
            var winners = new List<Candidate>();
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
                        search.Links.Add(start + c.Parent, c.Op);
                        winners.Add(c);
                    }
                }
            }

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
