using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using IommuVerify.Engine;
using IommuVerify.Engine.Benchmarking;
using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Benchmarks;

/// <summary>The engine's hot paths on 64-bit IOVAs: IOTLB hit, 4-level walk, map, unmap with invalidation, mixed.</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int Pages = 65536;
    private TranslationEngine _engine = null!;
    private ImmutableArray<Op> _mixed;
    private ulong _next;

    [GlobalSetup]
    public void Setup()
    {
        var w = new BenchWorkload(Pages);
        _engine = w.Engine();
        _engine.Translate(BenchWorkload.Nic, 0, 5UL << 12, Access.Read);
        _mixed = w.Mixed(4096);
    }

    [Benchmark]
    public Result TranslateIotlbHit() => _engine.Translate(BenchWorkload.Nic, 0, 5UL << 12, Access.Read);

    [Benchmark]
    public Result TranslateMissWalk()
    {
        _next = (_next + 4099) % Pages;
        return _engine.Translate(BenchWorkload.Nic, 0, _next << 12, Access.Read);
    }

    [Benchmark]
    public Result MapThenUnmap()
    {
        _next = (_next + 1) % Pages;
        ulong iova = (Pages + _next) << 12;
        _engine.Map(0, iova, iova, Perm.RW);
        return _engine.Unmap(0, iova);
    }

    [Benchmark(OperationsPerInvoke = 4096)]
    public int Mixed()
    {
        int ok = 0;
        foreach (var op in _mixed)
        {
            ok += _engine.ApplyOne(op).IsSuccess ? 1 : 0;
        }

        return ok;
    }
}

/// <summary>The same operations on the reference model, for the engine/reference ratio.</summary>
[MemoryDiagnoser]
public class ReferenceBenchmarks
{
    private const int Pages = 512;
    private ReferenceModel _model = null!;
    private IommuState _state = null!;
    private IommuState _unmapped = null!;
    private ImmutableArray<Op> _mixed;
    private readonly Translate _hit = new(BenchWorkload.Nic, 0, 5, Access.Read);
    private readonly Map _map = new(0, Pages + 3, 3, Perm.RW);
    private readonly Unmap _unmap = new(0, 5);

    [GlobalSetup]
    public void Setup()
    {
        var w = new BenchWorkload(Pages);
        (_model, _state) = w.Reference();
        _state = _model.Apply(_state, _hit).Next;
        _unmapped = _state;
        _mixed = w.Mixed(256);
    }

    [Benchmark]
    public Result Translate() => _model.Apply(_state, _hit).Primary;

    [Benchmark]
    public Result Map() => _model.Apply(_unmapped, _map).Primary;

    [Benchmark]
    public Result Unmap() => _model.Apply(_state, _unmap).Primary;

    [Benchmark(OperationsPerInvoke = 256)]
    public int Mixed()
    {
        var s = _state;
        int ok = 0;
        foreach (var op in _mixed)
        {
            var r = _model.Apply(s, op);
            s = r.Next;
            ok += r.Primary.IsSuccess ? 1 : 0;
        }

        return ok;
    }
}
