using System.Collections.Immutable;
using System.Diagnostics;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer;

/// <summary>The shared state of one search: the model, the seen-set, the links, the counters and the limits.
/// Strategies drive it; it knows nothing about search order.</summary>
public sealed class Search
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, int[]> _firstViolation = new(StringComparer.Ordinal);
    private readonly CoverageCounter _coverage = new();
    private readonly List<string> _stopReasons = [];
    private long _transitions;
    private long _generated;
    private long _queue;
    private int _depth;
    private long _peakMemory;
    private long _constrained;

    /// <summary>Sets up a search of <paramref name="model"/>'s scope <paramref name="scope"/>.</summary>
    public Search(ModelFile model, string scope, CheckOptions options)
    {
        File = model;
        Options = options;
        Model = ReferenceModel.For(model, scope);
        Checker = new InvariantChecker(Model);
        Ops = OpSpace.Enumerate(Model.Scope);
        Symmetry = options.Symmetry ? SymmetryGroup.For(Model.Scope) : SymmetryGroup.Trivial(Model.Scope);
        Fingerprints = new Fingerprinter(Symmetry, Model.Scope.IovaPages, Model.Scope.Mms.Length);
        Seen = new FingerprintSet();
        Workers = Math.Max(1, options.Workers);
        (Compact, Successor) = ChooseSuccessor(options);
    }

    /// <summary>The model file.</summary>
    public ModelFile File { get; }

    /// <summary>The options.</summary>
    public CheckOptions Options { get; }

    /// <summary>The reference model of the scope: the only successor function.</summary>
    public ReferenceModel Model { get; }

    /// <summary>Which successor function the search uses, in words.</summary>
    public string Successor { get; }

    /// <summary>The compact encoding of the scope when the search uses it, else null.</summary>
    internal Compact.CompactSpace? Compact { get; }

    /// <summary>The invariant checker.</summary>
    public InvariantChecker Checker { get; }

    /// <summary>Every operation of the scope; strategies refer to them by index.</summary>
    public ImmutableArray<Op> Ops { get; }

    /// <summary>The symmetry group fingerprints are canonical under.</summary>
    public SymmetryGroup Symmetry { get; }

    /// <summary>The fingerprint function.</summary>
    public Fingerprinter Fingerprints { get; }

    /// <summary>The seen-set.</summary>
    public FingerprintSet Seen { get; }

    /// <summary>Predecessor links, for strategies that rebuild traces from them.</summary>
    public PredecessorLinks Links { get; } = new();

    /// <summary>Worker threads.</summary>
    public int Workers { get; }

    /// <summary>Why the search stopped early, or null.</summary>
    public string? StopReason
    {
        get
        {
            lock (_gate)
            {
                return _stopReasons.Count == 0 ? null : string.Join("; ", _stopReasons);
            }
        }
    }

    /// <summary>True when the wall-time limit has passed.</summary>
    public bool TimeUp => Options.TimeLimit is { } t && _clock.Elapsed >= t;

    /// <summary>The current depth (level), set by the strategy.</summary>
    public int Depth
    {
        get => Volatile.Read(ref _depth);
        set => Volatile.Write(ref _depth, Math.Max(value, _depth));
    }

    /// <summary>States waiting, set by the strategy.</summary>
    public long Queue
    {
        get => Interlocked.Read(ref _queue);
        set => Interlocked.Exchange(ref _queue, value);
    }

    /// <summary>True once every invariant has a counterexample (nothing left to find).</summary>
    public bool AllViolated
    {
        get
        {
            lock (_gate)
            {
                return _firstViolation.Count == InvariantIds.All.Length;
            }
        }
    }

    /// <summary>Records a reason the search stopped early or left states out; each distinct reason once, in the
    /// order they happened, joined by "; " (a bounded DFS that also hit the state limit reports both).</summary>
    public void Stop(string reason)
    {
        lock (_gate)
        {
            if (!_stopReasons.Contains(reason))
            {
                _stopReasons.Add(reason);
            }
        }
    }

    /// <summary>Records the time limit or, failing that, the state limit, if the search has hit it; for strategies
    /// that check both as they go and report them once at the end.</summary>
    public void StopAtLimits()
    {
        if (TimeUp)
        {
            Stop("time limit");
        }
        else if (StatesFull)
        {
            Stop($"max-states {Options.MaxStates}");
        }
    }

    /// <summary>True when the distinct-state limit is reached.</summary>
    public bool StatesFull => Options.MaxStates > 0 && Seen.Count >= Options.MaxStates;

    /// <summary>Applies one operation, counts it in <paramref name="cov"/>, and returns the step.</summary>
    public StepResult Apply(IommuState s, int op, CoverageCounter cov)
    {
        var r = Model.Apply(s, Ops[op]);
        cov.Count(Ops[op], r);
        return r;
    }

    /// <summary>Adds a fingerprint to the seen-set, growing it first; for single-threaded strategies.</summary>
    public bool AddSeen(long fp)
    {
        Seen.EnsureCapacity(1);
        return Seen.TryAdd(fp);
    }

    /// <summary>Counts a successor that differs from its source and was looked up in the seen-set.</summary>
    public void CountGenerated(long n) => Interlocked.Add(ref _generated, n);

    /// <summary>Counts successors dropped by the state constraint.</summary>
    public void CountConstrained(long n) => Interlocked.Add(ref _constrained, n);

    /// <summary>Adds a worker's coverage into the totals and clears it.</summary>
    public void Merge(CoverageCounter cov)
    {
        lock (_gate)
        {
            Interlocked.Add(ref _transitions, cov.Transitions);
            _coverage.MergeFrom(cov);
        }
    }

    /// <summary>The invariant IDs a state violates, each once, in spec order.</summary>
    public ImmutableArray<string> Violations(IommuState s)
    {
        var v = Checker.Check(s);
        return v.IsEmpty ? [] : [.. v.Select(x => x.InvariantId).Distinct()];
    }

    /// <summary>Records, for each invariant not yet violated, the path (operation indices) to a state violating it.</summary>
    public void RecordViolations(ImmutableArray<string> ids, Func<int[]> path)
    {
        if (ids.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            int[]? p = null;
            foreach (string id in ids)
            {
                if (!_firstViolation.ContainsKey(id))
                {
                    _firstViolation[id] = p ??= path();
                }
            }
        }
    }

    /// <summary>A progress sample now.</summary>
    public Progress Sample()
    {
        long mem = Environment.WorkingSet;
        Interlocked.Exchange(ref _peakMemory, Math.Max(Interlocked.Read(ref _peakMemory), mem));
        return new Progress(Seen.Count, Depth, Interlocked.Read(ref _transitions), Queue, _clock.Elapsed, mem);
    }

    /// <summary>Runs the strategy and assembles the result, replaying every counterexample first.</summary>
    public CheckResult Run()
    {
        using var timer = Options.OnProgress is { } report
            ? new Timer(_ => report(Sample()), null, Options.ProgressInterval, Options.ProgressInterval)
            : null;
        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        Options.Strategy.Search(this);
        timer?.Dispose();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime - cpu0;
        Sample();
        Interlocked.Exchange(ref _peakMemory, Math.Max(Interlocked.Read(ref _peakMemory), self.PeakWorkingSet64));
        var elapsed = _clock.Elapsed;
        if (!Options.Strategy.Exhaustive)
        {
            Stop(Options.Strategy.Name + " is not exhaustive");
        }

        var results = ImmutableArray.CreateBuilder<InvariantResult>();
        foreach (string id in InvariantIds.All)
        {
            if (_firstViolation.TryGetValue(id, out var path))
            {
                results.Add(new InvariantResult(id, Outcome.Violated, Counterexamples.Replay(this, id, path)));
            }
            else
            {
                results.Add(new InvariantResult(id, StopReason is null ? Outcome.Holds : Outcome.Inconclusive, null));
            }
        }

        var verdict = results.Any(r => r.Outcome == Outcome.Violated) ? Outcome.Violated
            : StopReason is null ? Outcome.Holds : Outcome.Inconclusive;
        long n = Seen.Count, m = Interlocked.Read(ref _generated);
        double g = Fingerprints.GroupSize;
        double collision = (double)n * Math.Max(0, m - n) / Math.Pow(2, 64) * (g * g / ((2 * g) - 1));
        var stats = new SearchStats(n, Interlocked.Read(ref _transitions), m, Depth, elapsed, Seen.Bytes,
            Interlocked.Read(ref _peakMemory), collision, Workers, Fingerprints.GroupSize, Symmetry.Description, Interlocked.Read(ref _constrained), cpu, Successor);
        return new CheckResult(File.Name, File.Path, Model.Scope.Name, Options.Strategy.Describe(), verdict, StopReason,
            results.ToImmutable(), stats, _coverage.ToCoverage(Options.SpecRules));
    }

    private (Compact.CompactSpace? Space, string Description) ChooseSuccessor(CheckOptions options)
    {
        if (options.Successor == SuccessorFunction.Reference)
        {
            return (null, "reference model (requested)");
        }

        if (options.Strategy is not (BreadthFirst or ShardedBreadthFirst))
        {
            return (null, $"reference model (the {options.Strategy.Name} strategy does not use the compact encoding)");
        }

        var space = Explorer.Compact.CompactSpace.TryCreate(Model, Ops, Symmetry, out string? whyNot);
        return space is null
            ? (null, $"reference model (the scope does not fit the compact encoding: {whyNot})")
            : (space, $"compact ({space.Width} ints per state)");
    }

    /// <summary>True when a state is inside the state constraint: every SVA bind count is at most <see cref="CheckOptions.MaxBindCount"/>.</summary>
    /// <remarks>The reference model's bind counts (SVA-BIND-1) grow without bound, so without this constraint
    /// any scope with sva_bind has infinitely many states. States outside are dropped, like TLC's CONSTRAINT.</remarks>
    public bool InConstraint(IommuState s)
    {
        foreach (int u in s.SvaUsers)
        {
            if (u > Options.MaxBindCount)
            {
                Interlocked.Increment(ref _constrained);
                return false;
            }
        }

        return true;
    }
}
