using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Reference.State;
using IommuVerify.Smt.Encoding;
using IommuVerify.Smt.Native;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Testing;
using Xunit;
using Xunit.Abstractions;

namespace IommuVerify.Smt.Tests;

/// <summary>k-induction asserts the invariants on free states that are only well typed, not reachable, so the encoded
/// invariants must agree with the reference checker on such states too, not just on the states a walk reaches. Reachable
/// states are corrupted in a few cells (each to a value its type allows) and cache entries (any entry the cache can
/// hold), and every invariant is evaluated both ways.</summary>
public sealed class CorruptedStateTests(ITestOutputHelper output)
{
    private static int Iterations => PropertyRunner.Iterations(80);

    private static ulong Seed => PropertyRunner.Seed(20261122);

    /// <summary>The arrays to corrupt, by index into <see cref="SymState.ArrayNames"/>: each once, and the attachments
    /// (rid_domain, pasid_domain) and a slot's kind and flags again, since few reachable states have a PASID attached
    /// and INV-PASID-CAP and INV-SVA-RID are broken only through them.</summary>
    private static readonly int[] Biased = [.. Enumerable.Range(0, SymState.ArrayNames.Length), 7, 7, 8, 8, 8, 8, 0, 0, 1, 1];

    [Theory]
    [MemberData(nameof(Models.AllData), MemberType = typeof(Models))]
    public void Encoded_invariants_agree_with_the_reference_checker_on_corrupted_states(string name)
    {
        var reference = ReferenceModel.For(Models.Load(name), "conformance");
        var checker = new InvariantChecker(reference);
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var sc = reference.Scope;
        var ops = OpCatalog.For(sc);
        ulong seed = PropertyRunner.SeedFor(Seed, name);
        PropertyRunner.Report(output.WriteLine, $"smt-corrupted/{name}: {Iterations} states, {PropertyRunner.SeedVariable}={Seed} (seed {seed})");
        var rng = new Random(unchecked((int)seed));
        var owners = new List<int> { 0 };
        owners.AddRange(Enumerable.Range(1, sc.Mms.Length));
        owners.AddRange(Enumerable.Range(Layout.VmOwnerBase, sc.Vms.Length));
        var ptes = m.U.PteValues.Prepend(0).ToArray();
        var broken = InvariantIds.All.ToDictionary(id => id, _ => 0);

        var s = reference.Initial();
        for (int i = 0; i < Iterations; i++)
        {
            s = rng.Next(10) == 0 ? reference.Initial() : reference.Apply(s, ops[rng.Next(ops.Length)]).Next;
            var d = new Draft(s);
            int[][] cells = [d.DomKind, d.DomFlags, d.DomFormat, d.DomMm, d.DomParent, d.DomUsers, d.Ptes, d.RidDomain, d.PasidDomain, d.GuestPasid, d.MmPasid, d.SvaUsers, d.PasidOwner, d.VpasidTable];
            var changes = new List<string>();
            for (int c = rng.Next(1, 4); c > 0; c--)
            {
                int k = Biased[rng.Next(Biased.Length)];
                if (cells[k].Length == 0)
                {
                    continue;
                }

                string array = SymState.ArrayNames[k];
                int at = rng.Next(cells[k].Length);
                cells[k][at] = array switch
                {
                    "pte" => ptes[rng.Next(ptes.Length)],
                    "pasid_owner" => owners[rng.Next(owners.Count)],
                    _ => EncodingPartsTests.Range(array, sc) is var (lo, hi) ? rng.Next(lo, hi + 1) : throw new InvalidOperationException(array),
                };
                changes.Add($"{array}[{at}]={cells[k][at]}");
            }

            // The reference checker reads a nested domain's parent slot without a bounds check: it assumes every
            // nested domain names one, which alloc_domain guarantees. The type constraints allow -1 there, so such a
            // corrupted state gets a parent slot here (the encoding treats -1 as naming no domain, so no violation).
            for (int slot = 0; slot < d.DomKind.Length; slot++)
            {
                if (d.DomKind[slot] == (int)DomainKind.Nested && d.DomParent[slot] < 0)
                {
                    d.DomParent[slot] = rng.Next(d.DomKind.Length);
                    changes.Add($"dom_parent[{slot}]={d.DomParent[slot]}");
                }
            }

            if (m.U.IotlbSize > 0 && rng.Next(3) == 0)
            {
                var (tag, iova, pte) = m.U.IotlbAt(rng.Next(m.U.IotlbSize));
                d.Iotlb.Add(Entry.Iotlb(tag, iova, pte));
                changes.Add($"iotlb+(tag {tag}, iova {iova}, pte {pte})");
            }

            if (m.U.DevTlbSize > 0 && rng.Next(3) == 0)
            {
                var (dev, p, iova, pte) = m.U.DevTlbAt(rng.Next(m.U.DevTlbSize));
                d.DevTlb.Add(Entry.DevTlb(dev, p, iova, pte));
                changes.Add($"devtlb+({dev}, pasid {p}, iova {iova}, pte {pte})");
            }

            var bad = d.Freeze();
            var sym = SymState.Of(t, m.U, bad);
            foreach (string id in InvariantIds.All)
            {
                var inv = m.Invariant(sym, id);
                Assert.True(inv.IsTrue || inv.IsFalse, $"{name}: {id} did not fold to a constant");
                bool holds = !checker.Check(bad, id).Any();
                Assert.True(inv.IsTrue == holds,
                    $"{name} step {i} ({string.Join(", ", changes)}): {id} is {(inv.IsTrue ? "true" : "false")} encoded, reference says {(holds ? "holds" : string.Join("; ", checker.Check(bad, id).Select(v => v.Witness)))}");
                broken[id] += holds ? 0 : 1;
            }

            bool alias = m.Invariant(sym, SymModel.TlbCohAlias).IsTrue, stale = m.Invariant(sym, SymModel.TlbCohStale).IsTrue;
            Assert.Equal(m.Invariant(sym, InvariantIds.TlbCoh).IsTrue, alias && stale);
        }

        output.WriteLine($"smt-corrupted/{name}: states breaking each invariant: {string.Join(", ", broken.Select(kv => $"{kv.Key} {kv.Value}"))}");
    }
}
