using System.Collections.Immutable;
using IommuVerify.Explorer.Compact;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit.Abstractions;

namespace IommuVerify.Explorer.Tests;

/// <summary>The compact invariant check against the reference checker on states no search reaches: two reachable
/// states spliced part by part (each of the 17 parts from one or the other), which breaks the invariants in many ways
/// a correct model never shows.</summary>
public sealed class CompactInvariantsTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> ModelsAndScopes() => CompactModelTests.ModelsAndScopes();

    /// <summary>Each field from <paramref name="a"/> or <paramref name="b"/> by one bit of the mask; a domain's parent
    /// travels with its kind (a nested kind with a parent of -1 is not a state either checker is defined on).</summary>
    private static IommuState Splice(IommuState a, IommuState b, int mask)
    {
        ImmutableArray<int> P(int bit, ImmutableArray<int> x, ImmutableArray<int> y) => (mask & (1 << bit)) != 0 ? y : x;
        ImmutableSortedSet<long> C(int bit, ImmutableSortedSet<long> x, ImmutableSortedSet<long> y) => (mask & (1 << bit)) != 0 ? y : x;
        return new IommuState(
            P(0, a.DomKind, b.DomKind), P(1, a.DomFlags, b.DomFlags), P(2, a.DomFormat, b.DomFormat), P(3, a.DomMm, b.DomMm),
            P(0, a.DomParent, b.DomParent), P(5, a.DomUsers, b.DomUsers), P(6, a.Ptes, b.Ptes), P(7, a.RidDomain, b.RidDomain),
            P(8, a.PasidDomain, b.PasidDomain), P(9, a.GuestPasid, b.GuestPasid), P(10, a.MmPasid, b.MmPasid),
            P(11, a.SvaUsers, b.SvaUsers), P(12, a.PasidOwner, b.PasidOwner), P(13, a.VpasidTable, b.VpasidTable),
            C(14, a.Iotlb, b.Iotlb), C(15, a.DevTlb, b.DevTlb), C(16, a.FlushQueue, b.FlushQueue));
    }

    [Theory]
    [MemberData(nameof(ModelsAndScopes))]
    public void Compact_invariants_agree_with_the_reference_checker_on_spliced_states(string name, string scope)
    {
        var model = ReferenceModel.For(TestModels.Load(name), scope);
        var checker = new InvariantChecker(model);
        var ops = OpSpace.Enumerate(model.Scope);
        var space = CompactSpace.TryCreate(model, ops, SymmetryGroup.Trivial(model.Scope), out string? why)
            ?? throw new InvalidOperationException($"{name}/{scope} does not fit: {why}");
        var rnd = new Random(name.Length * 1000 + scope.Length);

        // Reachable states along random walks, preferring operations that change the state.
        var states = new List<IommuState>();
        for (int walk = 0; walk < 12; walk++)
        {
            var s = model.Initial();
            for (int step = 0; step < 25; step++)
            {
                var moves = ops.Select(o => model.Apply(s, o).Next).Where(n => !ReferenceEquals(n, s)).ToList();
                if (moves.Count == 0)
                {
                    break;
                }

                s = moves[rnd.Next(moves.Count)];
                states.Add(s);
            }
        }

        var enc = new int[space.Width];
        var seen = new int[InvariantIds.All.Length];
        int compared = 0;
        for (int i = 0; i < 600; i++)
        {
            var spliced = Splice(states[rnd.Next(states.Count)], states[rnd.Next(states.Count)], rnd.Next(1 << 17));
            space.Layout.Encode(spliced, enc);
            int mask = space.Invariants.Check(enc);
            var violated = checker.Check(spliced).Select(v => v.InvariantId).ToHashSet(StringComparer.Ordinal);
            for (int k = 0; k < InvariantIds.All.Length; k++)
            {
                bool ours = (mask & (1 << k)) != 0, theirs = violated.Contains(InvariantIds.All[k]);
                Assert.True(ours == theirs, $"splice {i}: {InvariantIds.All[k]} compact says {(ours ? "violated" : "holds")}, reference checker {(theirs ? "violated" : "holds")}");
                seen[k] += theirs ? 1 : 0;
            }

            compared++;
        }

        output.WriteLine($"{name}/{scope}: {compared} spliced states; violations per invariant: " +
            string.Join(", ", InvariantIds.All.Select((id, k) => $"{id} {seen[k]}")));
        Assert.True(seen.Sum() > 0, "no spliced state broke an invariant: the test compared nothing interesting");
    }
}
