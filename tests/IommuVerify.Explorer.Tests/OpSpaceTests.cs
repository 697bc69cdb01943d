using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Tests;

public class OpSpaceTests
{
    [Theory]
    [MemberData(nameof(TestModels.All), MemberType = typeof(TestModels))]
    public void Every_instantiated_operation_parses_back_from_its_trace_text(string name)
    {
        var scope = TestModels.Load(name).GetScope("standard");
        var ops = OpSpace.Enumerate(scope);
        Assert.NotEmpty(ops);
        Assert.Equal(ops.Length, ops.Distinct().Count());
        Assert.All(ops, op => Assert.Contains(op.Code, scope.Ops));
        foreach (var op in ops)
        {
            Assert.Equal(op, OpText.Parse(OpText.Render(op, scope), scope, "test", 1, 1));
        }
    }

    [Fact]
    public void Counts_follow_the_scope_sizes()
    {
        var scope = TestModels.Load("intel-vtd").GetScope("standard") with { Ops = [.. Enum.GetValues<OpCode>()] };
        var ops = OpSpace.Enumerate(scope);
        int devs = scope.Devices.Length, slots = scope.DomainSlots, pasids = scope.Pasids + 1;
        Assert.Equal(devs * pasids * scope.IovaPages * 2, ops.Count(o => o.Code == OpCode.Translate));
        Assert.Equal(slots * scope.IovaPages * scope.PhysPages * 2, ops.Count(o => o.Code == OpCode.Map));
        Assert.Equal(devs * (slots + 2), ops.Count(o => o.Code == OpCode.AttachRid));
        Assert.Equal(devs * scope.Allocs.Count(a => a.Kind == DomainKind.Paging), ops.Count(o => o.Code == OpCode.AllocDomain));
    }

    /// <summary>Every operation code with every argument in range, counted exactly, in operation-code order: a scope
    /// with two of everything that can be two (VMs come from the vPASID model, allocations from the nesting scope).</summary>
    [Fact]
    public void Every_argument_combination_appears_once_grouped_by_operation_code()
    {
        var nesting = TestModels.Load("intel-vtd").GetScope("nesting");
        var scope = TestModels.Load("vpasid-allocated-mixed").GetScope("standard") with
        {
            Ops = [.. Enum.GetValues<OpCode>()],
            Allocs = nesting.Allocs.Add(new AllocChoice(DomainKind.Sva, AllocFlags.None)), // an SVA choice is not an alloc_domain operation
            IovaPages = 2,
            PhysPages = 3,
            Mms = ["mm0", "mm1"],
        };
        var ops = OpSpace.Enumerate(scope);
        int devs = scope.Devices.Length, slots = scope.DomainSlots, pasids = scope.Pasids + 1, iovas = scope.IovaPages, pas = scope.PhysPages;
        int vms = scope.Vms.Length, vpasids = scope.Vpasids, mms = scope.Mms.Length;
        int paging = scope.Allocs.Count(a => a.Kind == DomainKind.Paging), nested = scope.Allocs.Count(a => a.Kind == DomainKind.Nested);
        Assert.True(devs >= 2 && slots >= 2 && pasids >= 2 && vms >= 1 && vpasids >= 2 && paging >= 2 && nested >= 2);
        var expected = new Dictionary<OpCode, int>
        {
            [OpCode.AllocDomain] = devs * (paging + (nested * slots)),
            [OpCode.FreeDomain] = slots,
            [OpCode.AttachRid] = devs * (slots + 2),
            [OpCode.ReplaceRid] = devs * (slots + 2),
            [OpCode.DetachRid] = devs,
            [OpCode.AttachPasid] = devs * pasids * slots,
            [OpCode.ReplacePasid] = devs * pasids * slots,
            [OpCode.DetachPasid] = devs * pasids,
            [OpCode.SvaBind] = devs * mms,
            [OpCode.SvaUnbind] = devs * mms,
            [OpCode.Map] = slots * iovas * pas * 2,
            [OpCode.Unmap] = slots * iovas,
            [OpCode.Invalidate] = 2,
            [OpCode.Translate] = devs * pasids * iovas * 2,
            [OpCode.VpasidAlloc] = vms * vpasids,
            [OpCode.VpasidFree] = vms * vpasids,
            [OpCode.VpasidAttach] = vms * devs * vpasids * slots,
        };
        Assert.Equal(Enum.GetValues<OpCode>().Length, expected.Count);
        foreach (var (code, n) in expected)
        {
            Assert.True(n == ops.Count(o => o.Code == code), $"{code}: expected {n}, got {ops.Count(o => o.Code == code)}");
        }

        Assert.Equal(ops.Length, ops.Distinct().Count());
        Assert.Equal(ops.Select(o => o.Code).Order(), ops.Select(o => o.Code)); // grouped, in enum order

        // The ends of every range are there, and nothing outside.
        var allocs = ops.OfType<AllocDomain>().ToList();
        Assert.Equal(Enumerable.Range(0, devs), allocs.Select(a => a.Dev).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, slots), allocs.Where(a => a.Kind == DomainKind.Nested).Select(a => a.Parent).Distinct().Order());
        Assert.All(allocs.Where(a => a.Kind == DomainKind.Paging), a => Assert.Equal(-1, a.Parent));
        Assert.DoesNotContain(allocs, a => a.Kind == DomainKind.Sva);
        Assert.Equal(Enumerable.Range(0, slots), ops.OfType<FreeDomain>().Select(f => f.Slot));
        Assert.Equal([DomainRef.Blocked, DomainRef.Identity, .. Enumerable.Range(0, slots).Select(DomainRef.Slot)],
            ops.OfType<AttachRid>().Where(a => a.Dev == 0).Select(a => a.Domain));
        Assert.Equal(Enumerable.Range(0, pasids), ops.OfType<DetachPasid>().Select(o => o.Pasid).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, pasids), ops.OfType<ReplacePasid>().Select(o => o.Pasid).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, slots), ops.OfType<AttachPasid>().Select(o => o.Slot).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, mms), ops.OfType<SvaUnbind>().Select(o => o.Mm).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, pas), ops.OfType<Map>().Select(o => o.Pa).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, iovas), ops.OfType<Unmap>().Select(o => o.Iova).Distinct().Order());
        Assert.Equal([Perm.R, Perm.RW], ops.OfType<Map>().Select(o => o.Perm).Distinct().Order());
        Assert.Equal([InvalidateScope.Fq, InvalidateScope.All], ops.OfType<Invalidate>().Select(o => o.Scope));
        Assert.Equal([Access.Read, Access.Write], ops.OfType<Translate>().Select(o => o.Access).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, vpasids), ops.OfType<VpasidFree>().Select(o => o.Vpasid).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, vpasids), ops.OfType<VpasidAttach>().Select(o => o.Vpasid).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, devs), ops.OfType<VpasidAttach>().Select(o => o.Dev).Distinct().Order());
    }

    [Fact]
    public void An_operation_the_scope_leaves_out_has_no_instances()
    {
        var scope = TestModels.Load("intel-vtd").GetScope("standard") with { Ops = [OpCode.Map, OpCode.Invalidate] };
        var ops = OpSpace.Enumerate(scope);
        Assert.Equal((scope.DomainSlots * scope.IovaPages * scope.PhysPages * 2) + 2, ops.Length);
    }
}
