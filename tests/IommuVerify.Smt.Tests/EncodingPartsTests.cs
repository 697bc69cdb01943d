using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Smt.Encoding;
using IommuVerify.Smt.Native;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Smt.Tests;

/// <summary>The parts of the encoding that the agreement walks do not reach: the type constraints k-induction puts on
/// its free states, the reduced unrolling without caches, and reading a solver's state back (the difference report
/// and the listing a counterexample to induction prints).</summary>
public sealed class EncodingPartsTests
{
    /// <summary>Every value each cell may hold, as the reference model defines it (spec/objects.md), for a scope.</summary>
    internal static (int Lo, int Hi)? Range(string array, Scope sc) => array switch
    {
        "dom_kind" => (0, 3),          // free, paging, nested, sva
        "dom_flags" => (0, 7),         // pasid | nest_parent | dirty
        "dom_format" => (0, 2),        // default, v1, v2
        "dom_mm" => (-1, sc.Mms.Length - 1), // no mm, or an mm index
        "dom_parent" => (-1, sc.DomainSlots - 1),
        "dom_users" => (0, 64),
        "rid_domain" => (-2, sc.DomainSlots - 1), // identity (-2), blocked (-1), or a slot
        "pasid_domain" => (-1, sc.DomainSlots - 1),
        "guest_pasid" => (0, sc.Vpasids),
        "mm_pasid" => (0, sc.Pasids),
        "sva_users" => (0, 64),
        "vpasid_table" => (0, sc.Pasids),
        _ => null, // pte and pasid_owner take listed values, checked on their own
    };

    /// <summary>One random walk from the initial state; every state it visits is added to <paramref name="seen"/>.</summary>
    private static void Walk(ReferenceModel r, ImmutableArray<Op> ops, Random rng, int steps, List<IommuState> seen)
    {
        var s = r.Initial();
        for (int i = 0; i < steps; i++)
        {
            s = r.Apply(s, ops[rng.Next(ops.Length)]).Next;
            seen.Add(s);
        }
    }

    /// <summary>The type constraints are sound (every state a random walk reaches satisfies them, so k-induction
    /// loses no real state) and tight (each cell's bounds are exactly the values above: one step outside either end
    /// is excluded).</summary>
    [Theory]
    [InlineData("intel-vtd", "conformance")]
    [InlineData("vpasid-allocated-checked", "conformance")]
    [InlineData("amd-v2-per-device-did", "nesting")]
    [InlineData("arm-smmuv3", "small")]
    public void Type_constraints_admit_every_reachable_state_and_nothing_outside_each_cells_values(string name, string scope)
    {
        var reference = ReferenceModel.For(Models.Load(name), scope);
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var seen = new List<IommuState> { reference.Initial() };
        var rng = new Random(name.Length * 31 + scope.Length);
        var ops = OpCatalog.For(reference.Scope);
        for (int w = 0; w < 20; w++)
        {
            Walk(reference, ops, rng, 25, seen);
        }

        foreach (var s in seen)
        {
            Assert.True(m.WellTyped(SymState.Of(t, m.U, s)).IsTrue, $"{name}/{scope}: a reachable state is outside the type constraints");
        }

        var sc = reference.Scope;
        var basis = SymState.Of(t, m.U, reference.Initial());
        Expr With(int k, int v)
        {
            var c = basis.Copy();
            c.Ints[k][0] = t.Int(v);
            return m.WellTyped(c);
        }

        for (int k = 0; k < SymState.ArrayNames.Length; k++)
        {
            string array = SymState.ArrayNames[k];
            if (basis.Ints[k].Length == 0)
            {
                continue;
            }

            if (Range(array, sc) is { } range)
            {
                Assert.True(With(k, range.Lo).IsTrue, $"{array} = {range.Lo} is excluded");
                Assert.True(With(k, range.Hi).IsTrue, $"{array} = {range.Hi} is excluded");
                Assert.True(With(k, range.Lo - 1).IsFalse, $"{array} = {range.Lo - 1} is admitted");
                Assert.True(With(k, range.Hi + 1).IsFalse, $"{array} = {range.Hi + 1} is admitted");
            }
        }

        int pte = Array.IndexOf(SymState.ArrayNames, "pte");
        Assert.True(With(pte, 0).IsTrue);
        Assert.All(m.U.PteValues, v => Assert.True(With(pte, v).IsTrue, $"pte value {v} is excluded"));
        Assert.True(With(pte, m.U.PteValues.Max() + 1).IsFalse);
        Assert.True(With(pte, -1).IsFalse);

        // A PASID's owner: nobody (0), mm i (1 + i), or VM v (Layout.VmOwnerBase + v).
        int owner = Array.IndexOf(SymState.ArrayNames, "pasid_owner");
        var owners = new[] { 0 }.Concat(Enumerable.Range(1, sc.Mms.Length)).Concat(Enumerable.Range(Layout.VmOwnerBase, sc.Vms.Length)).ToHashSet();
        for (int v = -1; v <= Layout.VmOwnerBase + sc.Vms.Length; v++)
        {
            Assert.True(With(owner, v).IsTrue == owners.Contains(v), $"pasid_owner = {v}: {(owners.Contains(v) ? "excluded" : "admitted")}");
        }
    }

    public static TheoryData<string, string> EveryScope()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in Models.All())
        {
            foreach (string scope in Models.Load(name).Scopes.Keys.Order(StringComparer.Ordinal))
            {
                data.Add(name, scope);
            }
        }

        return data;
    }

    /// <summary>The catalog is the explicit-state checker's operation space (an independent enumeration) with the
    /// four reductions OpCatalog documents: allocations from device 0 only, translations with read access only, no
    /// PASID operation on PASID 0, vPASID attaches only for a VM's own devices. And the reductions lose nothing: on
    /// states along random walks, an allocation from any device and a write translation lead to the same state as
    /// their kept counterparts, and the dropped PASID and vPASID operations leave the state as it was.</summary>
    [Theory]
    [MemberData(nameof(EveryScope))]
    public void The_catalog_is_the_checkers_operation_space_up_to_two_reductions_that_lose_no_state(string name, string scope)
    {
        var reference = ReferenceModel.For(Models.Load(name), scope);
        var catalog = OpCatalog.For(reference.Scope);
        var space = Explorer.OpSpace.Enumerate(reference.Scope);
        var reduced = space
            .Where(o => o is not Translate { Access: Access.Write } and not AttachPasid { Pasid: 0 } and not ReplacePasid { Pasid: 0 } and not DetachPasid { Pasid: 0 })
            .Where(o => o is not VpasidAttach v || reference.Scope.Vms[v.Vm].Devices.Any(d => d.Dev == v.Dev))
            .Select(o => o is AllocDomain a ? a with { Dev = 0 } : o)
            .Distinct()
            .ToList();
        Assert.True(reduced.ToHashSet().SetEquals(catalog), $"{name}/{scope}: only in the catalog: {string.Join("; ", catalog.Except(reduced))}; only in the space: {string.Join("; ", reduced.Except(catalog))}");
        Assert.Equal(reduced.Count, catalog.Length);

        var dropped = space.Where(o => !catalog.Contains(o)).ToList();
        var rng = new Random(name.Length * 7 + scope.Length);
        var seen = new List<IommuState> { reference.Initial() };
        for (int w = 0; w < 8; w++)
        {
            Walk(reference, catalog, rng, 20, seen);
        }

        foreach (var s in seen.Where((_, i) => i % 4 == 0))
        {
            foreach (var op in dropped)
            {
                if (op is AttachPasid or ReplacePasid or DetachPasid or VpasidAttach)
                {
                    Assert.True(reference.Apply(s, op).Next.Equals(s), $"{name}/{scope}: {op} changed the state");
                    continue;
                }

                Op kept = op switch
                {
                    Translate t => t with { Access = Access.Read },
                    AllocDomain a => a with { Dev = 0 },
                    _ => throw new InvalidOperationException($"unexpected dropped operation {op}"),
                };
                Assert.True(reference.Apply(s, op).Next.Equals(reference.Apply(s, kept).Next), $"{name}/{scope}: {op} and {kept} lead to different states");
            }
        }
    }

    /// <summary>The encoding's universe holds every cache entry the reference model can create: along walks that
    /// prefer operations that succeed (so domains get attached, mapped and translated through), every IOTLB tag is
    /// among the universe's tags and every state, caches included, converts to constants (SymState.Of finds a cell
    /// for each entry) that read back equal.</summary>
    [Theory]
    [MemberData(nameof(EveryScope))]
    public void Every_cache_entry_a_walk_creates_has_a_cell_in_the_universe(string name, string scope)
    {
        var reference = ReferenceModel.For(Models.Load(name), scope);
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var ops = OpCatalog.For(reference.Scope);
        var rng = new Random(name.Length * 13 + scope.Length);
        var tags = m.U.Tags.ToHashSet();
        int entries = 0;
        for (int w = 0; w < 10; w++)
        {
            var s = reference.Initial();
            for (int i = 0; i < 30; i++)
            {
                for (int tries = 0; tries < 6; tries++)
                {
                    var step = reference.Apply(s, ops[rng.Next(ops.Length)]);
                    if (step.Primary.IsSuccess || tries == 5)
                    {
                        s = step.Next;
                        break;
                    }
                }

                foreach (long e in s.Iotlb)
                {
                    Assert.Contains(Entry.IotlbTag(e), tags);
                }

                entries += s.Iotlb.Count + s.DevTlb.Count;
                var folded = SymState.Of(t, m.U, s);
                var read = Read(s);
                Assert.Null(read.DiffFrom(s));
                Assert.Equal(s.Iotlb.Count, folded.Iotlb.Count(x => x.IsTrue));
                Assert.Equal(s.DevTlb.Count, folded.DevTlb.Count(x => x.IsTrue));
                Assert.Equal(s.FlushQueue.Count, folded.Fq.Count(x => x.IsTrue));
            }
        }

        bool caches = reference.Scope.Ops.Contains(OpCode.Translate) && reference.Scope.Ops.Contains(OpCode.Map);
        Assert.True(!caches || entries > 0, $"{name}/{scope}: no walk filled a cache");
    }

    /// <summary>Without caches the unrolling leaves out exactly the operations that only touch caches and page
    /// tables (map, unmap, invalidate, translate) and keeps the rest in order.</summary>
    [Fact]
    public void The_unrolling_without_caches_drops_exactly_the_cache_operations()
    {
        var reference = ReferenceModel.For(Models.Load("intel-flush-queue-reuse"), "conformance");
        using var ctx = new Z3Context();
        var m = new SymModel(new Terms(ctx), reference);
        var ops = OpCatalog.For(reference.Scope);
        var cacheOps = new[] { OpCode.Map, OpCode.Unmap, OpCode.Invalidate, OpCode.Translate };
        Assert.All(cacheOps, c => Assert.Contains(ops, o => o.Code == c));
        Assert.Equal(ops, new Unrolling(m, ops).Ops);
        Assert.Equal(ops.Where(o => !cacheOps.Contains(o.Code)), new Unrolling(m, ops, withCaches: false).Ops);
    }

    /// <summary>Starting a path again forgets the old one; the first choice is the -1 placeholder.</summary>
    [Fact]
    public void Starting_an_unrolling_again_forgets_the_earlier_path()
    {
        var reference = ReferenceModel.For(Models.Load("intel-vtd"), "small");
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var u = new Unrolling(m, OpCatalog.For(reference.Scope));
        var first = SymState.Of(t, m.U, reference.Initial());
        u.Start(first);
        u.Extend();
        u.Extend();
        Assert.Equal(3, u.States.Count);
        u.Start(first);
        Assert.Single(u.States);
        Assert.Same(first, u.States[0]);
        Assert.Equal(-1, Assert.Single(u.Choices).Value);
    }

    /// <summary>A state with an IOTLB entry, a device-TLB entry and a queued invalidation, and its reading.</summary>
    private static (ReferenceModel Ref, IommuState State) Busy()
    {
        var r = ReferenceModel.For(Models.Load("intel-flush-queue"), "conformance");
        int gpu = r.Scope.DeviceIndex("gpu"), nic = r.Scope.DeviceIndex("nic");
        var s = r.Initial();
        foreach (var op in new Op[]
        {
            new AllocDomain(gpu, DomainKind.Paging, AllocFlags.None, -1),
            new AttachRid(gpu, DomainRef.Slot(0)),
            new AttachRid(nic, DomainRef.Slot(0)),
            new Map(0, 0, 1, Perm.RW),
            new Map(0, 1, 0, Perm.R),
            new Translate(gpu, 0, 0, Access.Read),
            new Translate(nic, 0, 1, Access.Read),
            new Unmap(0, 0),
        })
        {
            var step = r.Apply(s, op);
            Assert.True(step.Primary.IsSuccess, $"{op}: {step.Primary}");
            s = step.Next;
        }

        return (r, s);
    }

    /// <summary>Two entries in each cache: both pages of one domain translated by the gpu (one of them read-only) and
    /// then unmapped, so both stay cached and both wait in the flush queue.</summary>
    private static (ReferenceModel Ref, IommuState State) Busier()
    {
        var r = ReferenceModel.For(Models.Load("intel-flush-queue"), "conformance");
        int gpu = r.Scope.DeviceIndex("gpu");
        var s = r.Initial();
        foreach (var op in new Op[]
        {
            new AllocDomain(gpu, DomainKind.Paging, AllocFlags.None, -1),
            new AttachRid(gpu, DomainRef.Slot(0)),
            new Map(0, 0, 1, Perm.RW),
            new Map(0, 1, 0, Perm.R),
            new Translate(gpu, 0, 0, Access.Read),
            new Translate(gpu, 0, 1, Access.Read),
            new Unmap(0, 0),
            new Unmap(0, 1),
        })
        {
            var step = r.Apply(s, op);
            Assert.True(step.Primary.IsSuccess, $"{op}: {step.Primary}");
            s = step.Next;
        }

        Assert.Equal(2, s.Iotlb.Count);
        Assert.Equal(2, s.DevTlb.Count);
        Assert.Equal([Entry.Fq(0, 0), Entry.Fq(0, 1)], s.FlushQueue);
        return (r, s);
    }

    /// <summary>With several entries per cache, the listing separates them and gives each its permission, and the
    /// difference report lists every entry on both sides.</summary>
    [Fact]
    public void A_read_state_with_several_entries_per_cache_lists_and_compares_each_entry()
    {
        var (r, s) = Busier();
        using var ctx = new Z3Context();
        var m = new SymModel(new Terms(ctx), r);
        var lines = Read(s).Describe(m).Split('\n');
        int did = Tag.Did(Entry.IotlbTag(s.Iotlb.First()));
        Assert.Equal($"  iotlb = {{(did {did}, pasid 0, iova 0, pa 1 rw), (did {did}, pasid 0, iova 1, pa 0 r)}}", lines[^4]);
        Assert.Equal("  devtlb = {(gpu, pasid 0, iova 0, pa 1 rw), (gpu, pasid 0, iova 1, pa 0 r)}", lines[^3]);
        Assert.Equal("  flush_queue = {(d0, iova 0), (d0, iova 1)}", lines[^2]);

        long[] io = [.. s.Iotlb], dev = [.. s.DevTlb], fq = [.. s.FlushQueue];
        long extra = Entry.Fq(1, 0);
        Assert.Equal($"iotlb: solver {{{io[0]},{io[1]},{long.MaxValue}}}, reference {{{io[0]},{io[1]}}}",
            (Read(s) with { Iotlb = s.Iotlb.Add(long.MaxValue) }).DiffFrom(s));
        Assert.Equal($"devtlb: solver {{{dev[0]},{dev[1]},{long.MaxValue}}}, reference {{{dev[0]},{dev[1]}}}",
            (Read(s) with { DevTlb = s.DevTlb.Add(long.MaxValue) }).DiffFrom(s));
        Assert.Equal($"flush_queue: solver {{{fq[0]},{fq[1]},{extra}}}, reference {{{fq[0]},{fq[1]}}}",
            (Read(s) with { FlushQueue = s.FlushQueue.Add(extra) }).DiffFrom(s));
    }

    /// <summary>Reading a state back from a solver's model recovers each queued invalidation's domain slot and page
    /// (the queue is indexed slot-major) as well as every cell and cache entry.</summary>
    [Fact]
    public void A_state_read_from_a_solver_model_keeps_each_queued_page_with_its_domain()
    {
        var (r, s) = Busier();
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, r);
        var vars = m.Fresh("x");
        using var solver = new Z3Solver(t);
        solver.Assert(SymState.Equal(t, vars, SymState.Of(t, m.U, s)));
        Assert.Equal(SolverResult.Sat, solver.Check(TimeSpan.FromSeconds(30)));
        var read = StateReader.Read(solver, m, vars);
        Assert.Equal([Entry.Fq(0, 0), Entry.Fq(0, 1)], read.FlushQueue);
        Assert.Equal(s.Iotlb, read.Iotlb);
        Assert.Equal(s.DevTlb, read.DevTlb);
        Assert.Null(read.DiffFrom(s));
        var withoutCaches = StateReader.Read(solver, m, vars, withCaches: false);
        Assert.Empty(withoutCaches.Iotlb);
        Assert.Empty(withoutCaches.DevTlb);
        Assert.False(withoutCaches.CachesRead);
    }

    /// <summary>The cache cells are numbered densely: every entry a cache can hold has its own index below the cache's
    /// size, and the entry at an index is the one that index was computed from.</summary>
    [Theory]
    [MemberData(nameof(Models.AllData), MemberType = typeof(Models))]
    public void Cache_indices_and_entries_are_inverse_and_dense(string name)
    {
        var reference = ReferenceModel.For(Models.Load(name), "conformance");
        using var ctx = new Z3Context();
        var u = new SymModel(new Terms(ctx), reference).U;
        var iotlb = new HashSet<int>();
        foreach (int tag in u.Tags)
        {
            for (int iova = 0; iova < u.Iovas; iova++)
            {
                foreach (int pte in u.PteValues)
                {
                    int i = u.IotlbIndex(tag, iova, pte);
                    Assert.Equal((tag, iova, pte), u.IotlbAt(i));
                    Assert.True(iotlb.Add(i), $"{name}: IOTLB index {i} given twice");
                }
            }
        }

        Assert.Equal(Enumerable.Range(0, u.IotlbSize), iotlb.Order());
        var dev = new HashSet<int>();
        foreach (int d in u.AtsDevices)
        {
            for (int p = 0; p < u.PasidRow; p++)
            {
                for (int iova = 0; iova < u.Iovas; iova++)
                {
                    foreach (int pte in u.PteValues)
                    {
                        int i = u.DevTlbIndex(d, p, iova, pte);
                        Assert.Equal((d, p, iova, pte), u.DevTlbAt(i));
                        Assert.True(dev.Add(i), $"{name}: device-TLB index {i} given twice");
                    }
                }
            }
        }

        Assert.Equal(Enumerable.Range(0, u.DevTlbSize), dev.Order());
    }

    /// <summary>An operation or invariant the encoding does not know is refused by name.</summary>
    [Fact]
    public void An_unknown_operation_or_invariant_is_refused_by_name()
    {
        var reference = ReferenceModel.For(Models.Load("intel-vtd"), "small");
        using var ctx = new Z3Context();
        var t = new Terms(ctx);
        var m = new SymModel(t, reference);
        var s = SymState.Of(t, m.U, reference.Initial());
        var op = Assert.Throws<ArgumentOutOfRangeException>(() => m.Apply(s, new NotAnOperation()));
        Assert.StartsWith("unknown operation", op.Message, StringComparison.Ordinal);
        var inv = Assert.Throws<ArgumentOutOfRangeException>(() => m.Invariant(s, "INV-NOPE"));
        Assert.StartsWith("unknown invariant", inv.Message, StringComparison.Ordinal);
        Assert.Equal("INV-NOPE", inv.ActualValue);
    }

    /// <summary>An operation the encoding has no case for.</summary>
    private sealed record NotAnOperation : Op
    {
        public override OpCode Code => OpCode.Map;
    }

    private static ConcreteState Read(IommuState s, bool caches = true) =>
        new([.. s.Arrays()], caches ? s.Iotlb : [], caches ? s.DevTlb : [], caches ? s.FlushQueue : [], caches);

    [Fact]
    public void A_read_state_lists_every_array_and_each_cache_entry_by_name()
    {
        var (r, s) = Busy();
        using var ctx = new Z3Context();
        var m = new SymModel(new Terms(ctx), r);
        string text = Read(s).Describe(m);
        var lines = text.Split('\n');
        Assert.Equal(SymState.ArrayNames.Length + 4, lines.Length); // the arrays, three caches, the empty end
        Assert.Equal("", lines[^1]);
        for (int k = 0; k < SymState.ArrayNames.Length; k++)
        {
            Assert.Equal($"  {SymState.ArrayNames[k]} = [{string.Join(", ", s.Arrays().ElementAt(k))}]", lines[k]);
        }

        // The unmap queued page 0 (lazy invalidation) and left the cached translations of both pages in place.
        int did = Tag.Did(Entry.IotlbTag(s.Iotlb.First()));
        Assert.Equal($"  iotlb = {{(did {did}, pasid 0, iova 0, pa 1 rw), (did {did}, pasid 0, iova 1, pa 0 r)}}", lines[^4]);
        Assert.Equal("  devtlb = {(gpu, pasid 0, iova 0, pa 1 rw)}", lines[^3]);
        Assert.Equal("  flush_queue = {(d0, iova 0)}", lines[^2]);
    }

    [Fact]
    public void A_read_state_reports_its_first_difference_from_the_reference()
    {
        var (_, s) = Busy();
        Assert.Null(Read(s).DiffFrom(s));

        var ints = s.Arrays().ToArray();
        var changed = Read(s) with { Ints = [.. ints.Select((a, k) => k == 7 ? a.SetItem(1, 5) : a)] };
        Assert.Equal($"rid_domain[1]: solver 5, reference {ints[7][1]}", changed.DiffFrom(s));

        var pte = Array.IndexOf(SymState.ArrayNames, "pte");
        var otherPte = Read(s) with { Ints = [.. ints.Select((a, k) => k == pte ? a.SetItem(0, a[0] + 4) : a)] };
        Assert.StartsWith("pte[0]: solver ", otherPte.DiffFrom(s), StringComparison.Ordinal);
        Assert.Null((otherPte with { CachesRead = false, Iotlb = [], DevTlb = [], FlushQueue = [] }).DiffFrom(s));

        Assert.Equal($"iotlb: solver {{{s.Iotlb.Min}}}, reference {{{string.Join(",", s.Iotlb)}}}", (Read(s) with { Iotlb = [s.Iotlb.Min] }).DiffFrom(s));
        Assert.Equal($"devtlb: solver {{}}, reference {{{string.Join(",", s.DevTlb)}}}", (Read(s) with { DevTlb = [] }).DiffFrom(s));
        Assert.Equal($"flush_queue: solver {{}}, reference {{{string.Join(",", s.FlushQueue)}}}", (Read(s) with { FlushQueue = [] }).DiffFrom(s));
        Assert.Null(Read(s, caches: false).DiffFrom(s));
    }
}
