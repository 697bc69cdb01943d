namespace IommuVerify.Explorer;

/// <summary>Options of one check.</summary>
public sealed record CheckOptions
{
    /// <summary>The search strategy; BFS (shortest counterexamples) by default.</summary>
    public ISearchStrategy Strategy { get; init; } = new BreadthFirst();

    /// <summary>Worker threads for the parallel strategies.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Which successor function the breadth-first strategies use (the others always use the reference model).</summary>
    public SuccessorFunction Successor { get; init; } = SuccessorFunction.Compact;

    /// <summary>Canonicalize fingerprints under the scope's sound symmetry group.</summary>
    public bool Symmetry { get; init; } = true;

    /// <summary>The state constraint: successors with an SVA bind count above this are not explored (see <see cref="Search.InConstraint"/>).</summary>
    public int MaxBindCount { get; init; } = 2;

    /// <summary>Stop (inconclusive) after this many distinct states; 0 for no limit.</summary>
    public long MaxStates { get; init; }

    /// <summary>Stop (inconclusive) after this depth; 0 for no limit.</summary>
    public int MaxDepth { get; init; }

    /// <summary>Stop (inconclusive) after this much wall time; null for no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Called with a progress sample every <see cref="ProgressInterval"/>; null for none.</summary>
    public Action<Progress>? OnProgress { get; init; }

    /// <summary>How often to report progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The spec's rule IDs, to report those never exercised; null to skip.</summary>
    public IReadOnlySet<string>? SpecRules { get; init; }

    /// <summary>The tool version written into trace meta.</summary>
    public string ToolVersion { get; init; } = typeof(CheckOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

/// <summary>The successor function of a search.</summary>
public enum SuccessorFunction
{
    /// <summary>The compact, allocation-free encoding of the reference model (differentially tested against it);
    /// falls back to the reference when the scope does not fit the encoding or the strategy is not breadth-first.</summary>
    Compact,
    /// <summary>The reference model itself.</summary>
    Reference,
}
