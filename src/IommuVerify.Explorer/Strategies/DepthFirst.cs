namespace IommuVerify.Explorer;

/// <summary>Depth-first search to a depth bound, single-threaded. Counterexamples are real but not shortest.</summary>
/// <remarks>With a seen-set, a state first met deep in the tree is not re-expanded when met shallower, so when the
/// bound is reached the search is inconclusive; when it is never reached the search was exhaustive.</remarks>
/// <param name="Bound">The maximum depth.</param>
public sealed record DepthFirst(int Bound) : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "dfs";

    /// <inheritdoc/>
    public bool Exhaustive => true;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Meta => new Dictionary<string, string> { ["strategy"] = "dfs", ["bound"] = Bound.ToString(), ["seed"] = "none" };

    /// <inheritdoc/>
    public string Describe() => $"dfs (bound={Bound}, no seed)";

    /// <inheritdoc/>
    public void Search(Search search)
    {
        var cov = new CoverageCounter();
        var init = search.Model.Initial();
        search.AddSeen(search.Fingerprints.Of(init));
        search.RecordViolations(search.Violations(init), () => []);
        var states = new List<Reference.State.IommuState> { init };
        var nextOp = new List<int> { 0 };
        var path = new List<int>();
        long generated = 0;
        int bound = search.Options.MaxDepth > 0 ? Math.Min(Bound, search.Options.MaxDepth) : Bound;
        while (states.Count > 0)
        {
            int top = states.Count - 1;
            if (nextOp[top] == search.Ops.Length || search.TimeUp || search.StatesFull)
            {
                states.RemoveAt(top);
                nextOp.RemoveAt(top);
                if (path.Count > 0)
                {
                    path.RemoveAt(path.Count - 1);
                }

                continue;
            }

            if (top >= bound)
            {
                search.Stop($"dfs bound {bound}");
                nextOp[top] = search.Ops.Length;
                continue;
            }

            int k = nextOp[top]++;
            var s = states[top];
            var n = search.Apply(s, k, cov).Next;
            if (ReferenceEquals(n, s) || !search.InConstraint(n))
            {
                continue;
            }

            generated++;
            if (search.AddSeen(search.Fingerprints.Of(n)))
            {
                path.Add(k);
                search.RecordViolations(search.Violations(n), () => [.. path]);
                states.Add(n);
                nextOp.Add(0);
                search.Depth = states.Count - 1;
                search.Queue = states.Count;
            }
        }

        search.StopAtLimits();

        search.CountGenerated(generated);
        search.Merge(cov);
    }
}
