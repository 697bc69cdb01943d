namespace IommuVerify.Explorer;

/// <summary>Random walks from the initial state with a seeded generator, single-threaded. Never exhaustive:
/// without a violation its verdict is inconclusive.</summary>
/// <param name="Seed">The random seed; the same seed gives the same walks.</param>
/// <param name="Walks">How many walks.</param>
/// <param name="Length">Steps per walk.</param>
public sealed record RandomWalk(int Seed, int Walks, int Length) : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    public bool Exhaustive => false;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Meta => new Dictionary<string, string> { ["strategy"] = "random", ["bound"] = Length.ToString(), ["seed"] = Seed.ToString() };

    /// <inheritdoc/>
    public string Describe() => $"random walk (seed={Seed}, walks={Walks}, length={Length})";

    /// <inheritdoc/>
    public void Search(Search search)
    {
        var rng = new Random(Seed);
        var cov = new CoverageCounter();
        var init = search.Model.Initial();
        search.AddSeen(search.Fingerprints.Of(init));
        search.RecordViolations(search.Violations(init), () => []);
        var path = new List<int>();
        long generated = 0;
        bool cut = false;
        for (int w = 0; w < Walks && !cut; w++)
        {
            var s = init;
            path.Clear();
            for (int step = 0; step < Length; step++)
            {
                if (search.TimeUp || search.StatesFull)
                {
                    cut = true;
                    break;
                }

                int k = rng.Next(search.Ops.Length);
                var n = search.Apply(s, k, cov).Next;
                if (!search.InConstraint(n))
                {
                    continue;
                }

                path.Add(k);
                search.Depth = path.Count;
                if (!ReferenceEquals(n, s))
                {
                    generated++;
                    if (search.AddSeen(search.Fingerprints.Of(n)))
                    {
                        search.RecordViolations(search.Violations(n), () => [.. path]);
                    }
                }

                s = n;
            }
        }

        search.StopAtLimits();

        search.CountGenerated(generated);
        search.Merge(cov);
    }
}
