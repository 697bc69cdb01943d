using System.Collections.Immutable;
using IommuVerify.Engine.Benchmarking;
using IommuVerify.Engine.Fuzzing;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;
using Xunit;

namespace IommuVerify.Engine.Tests;

/// <summary>The shrinker's candidates and search, the lockstep runner's verdicts and reports, and the benchmark
/// workload the figures in the README come from.</summary>
public sealed class FuzzingToolsTests
{
    public static TheoryData<Op, Op[]> SmallerCases => new()
    {
        {
            new Translate(3, 2, 5, Access.Write),
            [
                new Translate(0, 2, 5, Access.Write), new Translate(2, 2, 5, Access.Write), new Translate(3, 0, 5, Access.Write),
                new Translate(3, 1, 5, Access.Write), new Translate(3, 2, 0, Access.Write), new Translate(3, 2, 4, Access.Write),
                new Translate(3, 2, 5, Access.Read),
            ]
        },
        { new Translate(1, 1, 1, Access.Read), [new Translate(0, 1, 1, Access.Read), new Translate(1, 0, 1, Access.Read), new Translate(1, 1, 0, Access.Read)] },
        { new Translate(0, 0, 0, Access.Read), [] },
        {
            new Map(2, 3, 1, Perm.RW),
            [new Map(0, 3, 1, Perm.RW), new Map(1, 3, 1, Perm.RW), new Map(2, 0, 1, Perm.RW), new Map(2, 2, 1, Perm.RW), new Map(2, 3, 0, Perm.RW), new Map(2, 3, 1, Perm.R)]
        },
        { new Unmap(1, 2), [new Unmap(0, 2), new Unmap(1, 0), new Unmap(1, 1)] },
        {
            new AllocDomain(2, DomainKind.Paging, AllocFlags.Pasid, -1),
            [new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1), new AllocDomain(1, DomainKind.Paging, AllocFlags.Pasid, -1), new AllocDomain(2, DomainKind.Paging, AllocFlags.None, -1)]
        },
        { new AllocDomain(0, DomainKind.Nested, AllocFlags.Pasid, 1), [] },
        { new FreeDomain(3), [new FreeDomain(0), new FreeDomain(2)] },
        { new AttachRid(2, DomainRef.Slot(2)), [new AttachRid(0, DomainRef.Slot(2)), new AttachRid(1, DomainRef.Slot(2)), new AttachRid(2, DomainRef.Slot(0)), new AttachRid(2, DomainRef.Slot(1))] },
        { new AttachRid(1, DomainRef.Identity), [new AttachRid(0, DomainRef.Identity)] },
        { new ReplaceRid(1, DomainRef.Slot(1)), [new ReplaceRid(0, DomainRef.Slot(1)), new ReplaceRid(1, DomainRef.Slot(0))] },
        { new ReplaceRid(0, DomainRef.Blocked), [] },
        { new DetachRid(2), [new DetachRid(0), new DetachRid(1)] },
        { new AttachPasid(1, 3, 1), [new AttachPasid(0, 3, 1), new AttachPasid(1, 1, 1), new AttachPasid(1, 2, 1), new AttachPasid(1, 3, 0)] },
        { new ReplacePasid(0, 2, 2), [new ReplacePasid(0, 1, 2), new ReplacePasid(0, 2, 0), new ReplacePasid(0, 2, 1)] },
        { new DetachPasid(2, 2), [new DetachPasid(0, 2), new DetachPasid(1, 2), new DetachPasid(2, 1)] },
        { new DetachPasid(0, 1), [] },
        { new SvaBind(1, 2), [new SvaBind(0, 2), new SvaBind(1, 0), new SvaBind(1, 1)] },
        { new SvaUnbind(2, 1), [new SvaUnbind(0, 1), new SvaUnbind(1, 1), new SvaUnbind(2, 0)] },
        { new Invalidate(InvalidateScope.All), [new Invalidate(InvalidateScope.Fq)] },
        { new Invalidate(InvalidateScope.Fq), [] },
        { new VpasidAlloc(0, 3), [new VpasidAlloc(0, 1), new VpasidAlloc(0, 2)] },
        { new VpasidFree(1, 2), [new VpasidFree(1, 1)] },
        { new VpasidAttach(0, 1, 2, 1), [new VpasidAttach(0, 1, 1, 1), new VpasidAttach(0, 1, 2, 0)] },
    };

    [Theory]
    [MemberData(nameof(SmallerCases))]
    public void Smaller_lowers_one_argument_to_its_floor_or_by_one_in_order(Op op, Op[] expected) =>
        Assert.Equal(expected, Shrinker.Smaller(op).ToArray());

    private static ImmutableArray<Op> Flushes(int n) => [.. Enumerable.Repeat<Op>(new Invalidate(InvalidateScope.Fq), n)];

    [Fact]
    public void Shrink_tries_halves_then_single_removals_and_stops_without_progress()
    {
        int calls = 0;
        var kept = Shrinker.Shrink(Flushes(4), _ => { calls++; return false; });
        Assert.Equal(4, kept.Length);
        Assert.Equal(6, calls); // two halves, then four single operations; a flush has no smaller form

        calls = 0;
        var gone = Shrinker.Shrink(Flushes(4), _ => { calls++; return true; });
        Assert.Empty(gone);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Shrink_keeps_what_the_failure_needs_and_respects_the_budget()
    {
        var three = Shrinker.Shrink(Flushes(8), c => c.Length >= 3);
        Assert.Equal(3, three.Length);

        int calls = 0;
        var partial = Shrinker.Shrink(Flushes(20), _ => { calls++; return false; }, budget: 7);
        Assert.Equal(7, calls);
        Assert.Equal(20, partial.Length);

        // Arguments shrink too, to the smallest value the failure still allows.
        var ops = ImmutableArray.Create<Op>(new Translate(4, 2, 3, Access.Write), new Map(1, 1, 1, Perm.RW));
        var min = Shrinker.Shrink(ops, c => c.Any(o => o is Translate { Iova: >= 2 }));
        Assert.Equal([new Translate(0, 0, 2, Access.Read)], min.ToArray());
    }

    [Fact]
    public void Bench_workload_sets_up_one_attached_domain_with_every_page_mapped_in_engine_and_reference()
    {
        var w = new BenchWorkload(16);
        var setup = w.Setup().ToArray();
        Assert.Equal(18, setup.Length);
        Assert.Equal(new AllocDomain(BenchWorkload.Nic, DomainKind.Paging, AllocFlags.None, -1), setup[0]);
        Assert.Equal(new AttachRid(BenchWorkload.Nic, DomainRef.Slot(0)), setup[1]);
        Assert.Equal(new Map(0, 15, 22, Perm.RW), setup[17]);
        Assert.Equal(32, w.Scope.IovaPages);

        var e = w.Engine(8, 2);
        Assert.Equal(8, e.Iotlb.Sets);
        Assert.Equal(2, e.Iotlb.Ways);
        var (model, state) = w.Reference();
        for (int page = 0; page < 20; page++)
        {
            var expected = model.Apply(state, new Translate(BenchWorkload.Nic, 0, page, Access.Read)).Primary;
            Assert.Equal(page < 16 ? Result.Pa(page + 7) : Result.Fault(FaultReason.NotPresent), expected);
            Assert.Equal(expected, e.Translate(BenchWorkload.Nic, 0, (ulong)page << 12, Access.Read));
        }
    }

    /// <summary>The benchmark platform is the one its documentation (and the README's figures) describe: intel-vtd's
    /// policy; a gpu with ATS and a nic without, each alone in its group with 8 PASIDs; room for every mapped page's
    /// target (page i maps to physical page i + 7); one mm; plain paging domains; every operation.</summary>
    [Fact]
    public void Bench_platform_is_intel_vtd_with_an_ats_gpu_and_a_nic_without()
    {
        var w = new BenchWorkload(16);
        // The vPASID pass-through check is off: the bench has no VMs.
        Assert.Equal(ModelLoader.Load(Path.Combine(RepoPaths.Models, "intel-vtd.json")).Policy with { PassthroughCheck = false }, w.Policy);
        Assert.Equal(
            [new DeviceSpec("gpu", "00:02.0", 0, -1, true, 8, true), new DeviceSpec("nic", "00:03.0", 1, -1, true, 8, false)],
            w.Scope.Devices.ToArray());
        Assert.Equal("nic", w.Scope.Devices[BenchWorkload.Nic].Name);
        Assert.Equal(["g0", "g1"], w.Scope.Groups.ToArray());
        Assert.Equal(["mm0"], w.Scope.Mms.ToArray());
        Assert.Equal("bench", w.Scope.Name);
        Assert.Equal(1 << 20, w.Scope.PhysPages);
        Assert.Equal((4, 4, 0), (w.Scope.DomainSlots, w.Scope.Pasids, w.Scope.Vpasids));
        Assert.Empty(w.Scope.Vms);
        Assert.Equal([new AllocChoice(DomainKind.Paging, AllocFlags.None)], w.Scope.Allocs.ToArray());
        Assert.True(w.Scope.Ops.SetEquals(Enum.GetValues<OpCode>()));
    }

    /// <summary>The engine's page tables are reserved before the setup maps its pages, so a benchmark never times
    /// the array growing: 2^17 pages need 259 nodes (one level-1 node per 512 pages, plus three), 264 are reserved.</summary>
    [Fact]
    public void Bench_engine_reserves_its_page_tables_up_front()
    {
        var w = new BenchWorkload(1 << 17);
        var e = w.Engine();
        Assert.Equal(259, e.PageTables.LiveNodes);
        Assert.Equal(1 + 264, e.PageTables.CapacityNodes);
    }

    [Fact]
    public void Bench_mix_is_seeded_and_shaped_as_documented()
    {
        var w = new BenchWorkload(1024);
        var a = w.Mixed(20_000, seed: 3);
        var again = w.Mixed(20_000, seed: 3);
        int firstDiff = Enumerable.Range(0, Math.Min(a.Length, again.Length)).FirstOrDefault(i => !a[i].Equals(again[i]), -1);
        Assert.True(firstDiff < 0 && a.Length == again.Length, $"differs at {firstDiff}: {(firstDiff >= 0 ? a[firstDiff] + " vs " + again[firstDiff] : "lengths")}");
        Assert.False(a.SequenceEqual(w.Mixed(20_000, seed: 4)));
        // Exactly the length asked for, or one more when the last unmap's re-map did not fit.
        Assert.True(a.Length == 20_000 || (a.Length == 20_001 && a[^1] is Map && a[^2] is Unmap), $"{a.Length} operations, last {a[^1]}");

        int translates = 0, writes = 0, low = 0;
        for (int i = 0; i < a.Length; i++)
        {
            switch (a[i])
            {
                case Translate t:
                    Assert.Equal(BenchWorkload.Nic, t.Dev);
                    Assert.Equal(0, t.Pasid);
                    Assert.InRange(t.Iova, 0, 1023);
                    translates++;
                    writes += t.Access == Access.Write ? 1 : 0;
                    low += t.Iova < 64 ? 1 : 0;
                    break;
                case Unmap u when i + 1 < a.Length:
                    Assert.Equal(new Map(0, u.Iova, u.Iova + 7, Perm.RW), a[i + 1]);
                    break;
                case Unmap:
                    break;
                default:
                    Assert.IsType<Map>(a[i]);
                    Assert.IsType<Unmap>(a[i - 1]);
                    break;
            }
        }

        // 8 in 10 draws translate (one operation), 2 in 10 unmap and re-map (two): 2/3 of the operations.
        Assert.InRange(translates / (double)a.Length, 0.62, 0.71);
        Assert.InRange(writes / (double)translates, 0.22, 0.28);
        Assert.InRange(low / (double)translates, 0.47, 0.56);
    }

    /// <summary>An implementation that answers from a script, for the lockstep runner's own tests.</summary>
    private sealed class Scripted(params ImmutableArray<Result>[] answers) : IIommuImplementation
    {
        private int _next;

        public string Name => "scripted";

        public bool Started { get; private set; }

        public bool Disposed { get; private set; }

        public void Start(Policy policy, Scope scope) => Started = true;

        public ImmutableArray<Result> Apply(Op op) => answers[_next++];

        public void Dispose() => Disposed = true;
    }

    private static readonly BenchWorkload Small = new(4);

    [Fact]
    public void Lockstep_runs_every_operation_while_the_implementation_conforms()
    {
        var ops = Small.Setup().Append(new Translate(BenchWorkload.Nic, 0, 2, Access.Read)).ToArray();
        var steps = Lockstep.Run(Small.Policy, Small.Scope, ops, () => new TranslationEngine());
        Assert.Equal(ops.Length, steps.Length);
        Assert.All(steps, s => Assert.True(s.Conforms));
        Assert.Equal(Result.Pa(9), steps[^1].Got);
        Assert.False(steps[^1].Stale);
    }

    [Fact]
    public void Lockstep_stops_at_the_first_result_the_reference_does_not_allow()
    {
        Scripted? impl = null;
        var ops = Small.Setup().ToArray();
        var steps = Lockstep.Run(Small.Policy, Small.Scope, ops, () => impl = new Scripted(
            [Result.OkDomain(0)], [Result.Ok], [Result.Err(Errno.EINVAL)], [Result.Ok]));
        Assert.Equal(3, steps.Length);
        Assert.False(steps[2].Conforms);
        Assert.Equal(Result.Err(Errno.EINVAL), steps[2].Got);
        Assert.Equal([Result.Ok], steps[2].Allowed.ToArray());
        Assert.True(impl!.Started);
        Assert.True(impl.Disposed);
    }

    [Fact]
    public void Lockstep_treats_more_than_one_result_as_a_failure()
    {
        var ops = Small.Setup().ToArray();
        var steps = Lockstep.Run(Small.Policy, Small.Scope, ops, () => new Scripted(
            [Result.OkDomain(0)], [Result.Ok, Result.Ok], [Result.Ok]));
        Assert.Equal(2, steps.Length);
        Assert.Equal(Result.Err(Errno.EINVAL), steps[1].Got);
        Assert.False(steps[1].Conforms);
    }

    [Fact]
    public void Lockstep_stops_after_an_allowed_reply_of_two_results()
    {
        // Even when the reference allows EINVAL, a reply of two results ends the run.
        // detach_pasid of PASID 0 is EINVAL (PASID-DETACH-1).
        var ops = new Op[] { new DetachPasid(1, 0), new DetachPasid(1, 0) };
        var allowed = Lockstep.Run(Small.Policy, Small.Scope, ops, () => new TranslationEngine());
        Assert.Equal(2, allowed.Length);
        Assert.Equal(Result.Err(Errno.EINVAL), allowed[0].Allowed[0]);
        var steps = Lockstep.Run(Small.Policy, Small.Scope, ops, () => new Scripted([allowed[0].Allowed[0], allowed[0].Allowed[0]], [allowed[1].Allowed[0]]));
        Assert.Single(steps);
    }

    [Fact]
    public void A_step_is_stale_when_a_translation_is_allowed_but_not_the_walk()
    {
        var walk = Result.Pa(1);
        var stale = new LockstepStep(new Translate(0, 0, 0, Access.Read), Result.Pa(2), [walk, Result.Pa(2)]);
        Assert.True(stale.Conforms);
        Assert.True(stale.Stale);
        Assert.False(new LockstepStep(new Translate(0, 0, 0, Access.Read), walk, [walk, Result.Pa(2)]).Stale);
        Assert.False(new LockstepStep(new Translate(0, 0, 0, Access.Read), Result.Pa(3), [walk, Result.Pa(2)]).Stale);
        Assert.False(new LockstepStep(new Unmap(0, 0), Result.OkWith(2), [Result.OkWith(1), Result.OkWith(2)]).Stale);
    }

    [Fact]
    public void Describe_marks_results_the_reference_refuses_and_stale_translations()
    {
        var steps = new[]
        {
            new LockstepStep(new AllocDomain(1, DomainKind.Paging, AllocFlags.None, -1), Result.OkDomain(0), [Result.OkDomain(0)]),
            new LockstepStep(new Translate(1, 0, 2, Access.Read), Result.Pa(8), [Result.Pa(9), Result.Pa(8)]),
            new LockstepStep(new Unmap(0, 1), Result.Err(Errno.ENOENT), [Result.OkWith(1)]),
        };
        string text = Lockstep.Describe(steps, Small.Scope);
        string[] lines = text.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(string.Empty, lines[3]);
        Assert.EndsWith("-> ok d0", lines[0], StringComparison.Ordinal);
        Assert.Contains("nic", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("   # engine: pa 8 (stale: walk gives pa 9)", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("   # engine: ENOENT (not allowed)", lines[2], StringComparison.Ordinal);

        var trace = Lockstep.ToTrace("t1", "m.json", "bench", steps, new Dictionary<string, string> { ["seed"] = "5", ["a"] = "1" });
        Assert.Equal("t1", trace.Name);
        Assert.Equal("bench", trace.Scope);
        Assert.Equal(3, trace.Steps.Length);
        Assert.Equal([Result.Pa(9), Result.Pa(8)], trace.Steps[1].Expected.ToArray());
        Assert.Equal(steps[2].Op, trace.Steps[2].Op);
        Assert.Equal(["a", "seed"], trace.Meta.Keys.ToArray());
        Assert.Null(trace.Violates);
    }
}
