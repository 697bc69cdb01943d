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
}
