using System.Collections.Immutable;
using IommuVerify.Explorer.Compact;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit.Abstractions;

namespace IommuVerify.Explorer.Tests;

/// <summary>The compact successor function, fingerprints and invariant verdicts against the reference model, which is the spec.</summary>
public sealed class CompactModelTests(ITestOutputHelper output)
{
    private const ulong DefaultSeed = 20260301;

    public static TheoryData<string, string> ModelsAndScopes()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in TestModels.Names)
        {
            data.Add(name, "small");
            data.Add(name, "conformance");
            if (TestModels.Load(name).Scopes.ContainsKey("nesting"))
            {
                data.Add(name, "nesting"); // the scopes that allocate nested and dirty-tracking domains
            }
        }

        return data;
    }

    /// <summary>Along random walks, every operation of the scope in every state visited gives, on the compact encoding,
    /// exactly the reference's successor (compared as encodings), errno, rule set and state identity; every successor
    /// gets the reference's fingerprint (symmetry on and off) and the reference checker's invariant verdicts.</summary>
    [Theory]
    [MemberData(nameof(ModelsAndScopes))]
    public void Compact_steps_equal_reference_steps_in_random_reachable_states(string name, string scope)
    {
        var h = new Harness(TestModels.Load(name), scope);
        var outcome = PropertyRunner.Run(
            $"compact/{name}/{scope}",
            Generators.Tape,
            h.Walk,
            (tape, fails) => Shrink(tape, fails),
            tape => $"walk seed {tape.Seed}, {tape.Length} steps",
            iterations: 12,
            DefaultSeed,
            output.WriteLine,
            saveFailure: false); // a failing walk is named by its seed, not a trace; the printed seed replays it
        Assert.True(outcome.Held, outcome.Message);
        Assert.True(h.Compared > 0);
        output.WriteLine($"compact/{name}/{scope}: {h.Compared} steps compared, {h.Changed} of them changed the state");
    }

    /// <summary>The whole search, not just single steps: at scope small, BFS on the compact encoding (2 workers) and on
    /// the reference (1 worker) find the same states, transitions, diameter, coverage and counterexample traces.</summary>
    [Theory]
    [MemberData(nameof(TestModels.All), MemberType = typeof(TestModels))]
    public void Compact_and_reference_searches_agree_on_every_count_and_trace(string name)
    {
        var m = TestModels.Load(name);
        var fast = ModelChecker.Check(m, "small", new CheckOptions { Workers = 2 });
        var slow = ModelChecker.Check(m, "small", new CheckOptions { Workers = 1, Successor = SuccessorFunction.Reference });
        Assert.StartsWith("compact", fast.Stats.Successor, StringComparison.Ordinal);
        Assert.StartsWith("reference", slow.Stats.Successor, StringComparison.Ordinal);
        Assert.Equal(slow.Verdict, fast.Verdict);
        Assert.Equal(slow.Stats.DistinctStates, fast.Stats.DistinctStates);
        Assert.Equal(slow.Stats.Transitions, fast.Stats.Transitions);
        Assert.Equal(slow.Stats.Generated, fast.Stats.Generated);
        Assert.Equal(slow.Stats.Constrained, fast.Stats.Constrained);
        Assert.Equal(slow.Stats.Depth, fast.Stats.Depth);
        Assert.Equal(slow.Coverage.PerOperation, fast.Coverage.PerOperation);
        Assert.Equal(slow.Coverage.PerErrno, fast.Coverage.PerErrno);
        Assert.Equal(slow.Coverage.Exercised, fast.Coverage.Exercised);
        foreach (var (a, b) in slow.Invariants.Zip(fast.Invariants))
        {
            Assert.Equal(a.Outcome, b.Outcome);
            Assert.Equal(a.Counterexample is null, b.Counterexample is null);
            if (a.Counterexample is { } ca)
            {
                Assert.True(ca.Trace.SameAs(b.Counterexample!.Trace), $"{name} {a.Id}: the counterexample differs between the successor functions");
            }
        }
    }

    /// <summary>A state limit that is never reached switches the merge to one-by-one insertion in discovery order;
    /// the parallel merge must number states and pick links exactly as that one does.</summary>
    [Theory]
    [InlineData("amd-v2-per-domain-did")]
    [InlineData("intel-flush-queue-reuse")]
    [InlineData("vpasid-allocated-mixed")]
    public void Parallel_and_in_order_merges_give_the_same_search(string name)
    {
        var m = TestModels.Load(name);
        var parallel = ModelChecker.Check(m, "small", new CheckOptions { Workers = 2 });
        var inOrder = ModelChecker.Check(m, "small", new CheckOptions { Workers = 2, MaxStates = long.MaxValue });
        Assert.Null(inOrder.StopReason);
        Assert.Equal(inOrder.Stats.DistinctStates, parallel.Stats.DistinctStates);
        Assert.Equal(inOrder.Stats.Depth, parallel.Stats.Depth);
        foreach (var (a, b) in inOrder.Invariants.Zip(parallel.Invariants))
        {
            Assert.Equal(a.Outcome, b.Outcome);
            if (a.Counterexample is { } ca)
            {
                Assert.True(ca.Trace.SameAs(b.Counterexample!.Trace), $"{name} {a.Id}: the merges give different counterexamples");
            }
        }
    }

    [Fact]
    public void A_scope_the_encoding_cannot_hold_falls_back_to_the_reference_and_says_why()
    {
        var m = TestModels.WithSmall(TestModels.Load("intel-vtd"), s => s with { DomainSlots = 31 });
        var r = ModelChecker.Check(m, "small", new CheckOptions { Workers = 1, MaxStates = 50 });
        Assert.StartsWith("reference model (the scope does not fit the compact encoding: 31 domain slots", r.Stats.Successor, StringComparison.Ordinal);
        Assert.Equal(Outcome.Inconclusive, r.Verdict);
    }

    [Fact]
    public void Depth_first_search_uses_the_reference_model()
    {
        var r = ModelChecker.Check(TestModels.Load("intel-vtd"), "small", new CheckOptions { Workers = 1, Strategy = new DepthFirst(4) });
        Assert.StartsWith("reference model (the dfs strategy", r.Stats.Successor, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_names_spell_the_spec_ids()
    {
        Assert.Equal("PASID-ATTACH-12", RuleIds.Of(Rule.PasidAttach12));
        Assert.Equal("XLATE-9", RuleIds.Of(Rule.Xlate9));
        Assert.Equal("VPASID-ALLOC-3", RuleIds.Of(Rule.VpasidAlloc3));
        var spec = File.ReadAllLines(Path.Combine(TestModels.Dir, "..", "spec", "rules.txt")).Select(l => l.Split('\t')[0]).ToHashSet();
        Assert.All(Enum.GetValues<Rule>(), r => Assert.Contains(RuleIds.Of(r), spec));
    }

    private static ChoiceTape Shrink(ChoiceTape tape, Func<ChoiceTape, bool> fails)
    {
        // A shorter tape with the same seed walks a prefix of the same path.
        for (int n = 0; n < tape.Length; n++)
        {
            var t = new ChoiceTape(tape.Seed, n);
            if (fails(t))
            {
                return t;
            }
        }

        return tape;
    }

    private sealed class Harness
    {
        private readonly ReferenceModel _ref;
        private readonly InvariantChecker _checker;
        private readonly ImmutableArray<Op> _ops;
        private readonly CompactSpace _sym;
        private readonly CompactSpace _plain;
        private readonly Fingerprinter _refSym;
        private readonly Fingerprinter _refPlain;

        public Harness(ModelFile m, string scope)
        {
            _ref = ReferenceModel.For(m, scope);
            _checker = new InvariantChecker(_ref);
            _ops = OpSpace.Enumerate(_ref.Scope);
            var sym = SymmetryGroup.For(_ref.Scope);
            var plain = SymmetryGroup.Trivial(_ref.Scope);
            _sym = CompactSpace.TryCreate(_ref, _ops, sym, out string? why) ?? throw new InvalidOperationException($"{m.Name}/{scope} does not fit: {why}");
            _plain = CompactSpace.TryCreate(_ref, _ops, plain, out _)!;
            _refSym = new Fingerprinter(sym, _ref.Scope.IovaPages, _ref.Scope.Mms.Length);
            _refPlain = new Fingerprinter(plain, _ref.Scope.IovaPages, _ref.Scope.Mms.Length);
        }

        public long Compared { get; private set; }

        public long Changed { get; private set; }

        /// <summary>Walks the tape from the initial state, comparing every operation in every state; null when all agree.</summary>
        public string? Walk(ChoiceTape tape)
        {
            tape = tape.Rewind();
            var s = _ref.Initial();
            int w = _sym.Width;
            var enc = new int[w];
            var next = new int[w];
            var expected = new int[w];
            _sym.Layout.Encode(s, enc);
            if (CompareState(s, enc, "initial state") is { } bad0)
            {
                return bad0;
            }

            var moves = new List<IommuState>();
            for (int step = 0; step <= tape.Length; step++)
            {
                moves.Clear();
                for (int k = 0; k < _ops.Length; k++)
                {
                    var r = _ref.Apply(s, _ops[k]);
                    var rules = default(RuleMask);
                    Array.Fill(next, int.MinValue);
                    var got = _sym.Model.Apply(enc, next, k, ref rules);
                    Compared++;
                    string at = $"step {step}, {_ops[k]}";
                    int errno = r.Failed ? (int)r.Primary.Errno : -1;
                    if (got.Errno != errno)
                    {
                        return $"{at}: compact errno {got.Errno}, reference {errno} ({r.Primary})";
                    }

                    var refRules = r.Rules.ToImmutableSortedSet(StringComparer.Ordinal);
                    var ours = rules.Ids().ToImmutableSortedSet(StringComparer.Ordinal);
                    if (!refRules.SetEquals(ours))
                    {
                        return $"{at}: compact rules [{string.Join(" ", ours)}], reference [{string.Join(" ", refRules)}]";
                    }

                    bool changed = !ReferenceEquals(r.Next, s);
                    if (got.Changed != changed)
                    {
                        return $"{at}: compact says changed={got.Changed}, reference {changed}";
                    }

                    if (!changed)
                    {
                        continue;
                    }

                    Changed++;
                    _sym.Layout.Encode(r.Next, expected);
                    if (!next.AsSpan().SequenceEqual(expected))
                    {
                        int i = next.AsSpan().CommonPrefixLength(expected);
                        return $"{at}: successor differs at int {i} of {w}: compact {next[i]}, reference {expected[i]}";
                    }

                    if (CompareState(r.Next, next, at) is { } bad)
                    {
                        return bad;
                    }

                    moves.Add(r.Next);
                }

                if (step == tape.Length || moves.Count == 0)
                {
                    break;
                }

                s = moves[tape.Below(moves.Count)];
                _sym.Layout.Encode(s, enc);
            }

            return null;
        }

        private string? CompareState(IommuState s, int[] enc, string at)
        {
            long fs = _sym.Fingerprints.Of(enc), rs = _refSym.Of(s);
            long fp = _plain.Fingerprints.Of(enc), rp = _refPlain.Of(s);
            if (fs != rs || fp != rp)
            {
                return $"{at}: fingerprints differ (symmetric {fs:x} vs {rs:x}, plain {fp:x} vs {rp:x})";
            }

            int mask = _sym.Invariants.Check(enc);
            var violated = _checker.Check(s).Select(v => v.InvariantId).ToHashSet();
            for (int i = 0; i < InvariantIds.All.Length; i++)
            {
                bool ours = (mask & (1 << i)) != 0, theirs = violated.Contains(InvariantIds.All[i]);
                if (ours != theirs)
                {
                    return $"{at}: {InvariantIds.All[i]} compact says {(ours ? "violated" : "holds")}, reference checker {(theirs ? "violated" : "holds")}";
                }
            }

            return null;
        }
    }
}
