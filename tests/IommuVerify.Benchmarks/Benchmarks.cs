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

/// <summary>The explicit-state checker's successor function: every operation of intel-vtd's standard scope applied to
/// one reachable state, on the compact encoding and on the reference model (per transition: divide by the op count).</summary>
[MemoryDiagnoser]
public class SuccessorBenchmarks
{
    private Explorer.Compact.CompactSpace _space = null!;
    private ReferenceModel _model = null!;
    private ImmutableArray<Op> _ops;
    private IommuState _state = null!;
    private int[] _encoded = [];
    private int[] _scratch = [];

    /// <summary>The number of operations (transitions) per invocation.</summary>
    public int Transitions => _ops.Length;

    [GlobalSetup]
    public void Setup()
    {
        var file = Vocabulary.Model.ModelLoader.Load(Path.Combine(Testing.RepoPaths.Models, "intel-vtd.json"));
        _model = ReferenceModel.For(file, "standard");
        _ops = Explorer.OpSpace.Enumerate(_model.Scope);
        _space = Explorer.Compact.CompactSpace.TryCreate(_model, _ops, Explorer.SymmetryGroup.For(_model.Scope), out _)!;

        // A state a few steps in: two domains, one mapped page, a PASID attached, a cached translation.
        _state = _model.Initial();
        foreach (var op in new Op[] { new AllocDomain(0, DomainKind.Paging, AllocFlags.Pasid, -1), new AllocDomain(0, DomainKind.Paging, AllocFlags.None, -1),
            new Map(0, 0, 0, Perm.RW), new AttachPasid(0, 1, 0), new Translate(0, 1, 0, Access.Read) })
        {
            _state = _model.Apply(_state, op).Next;
        }

        _encoded = new int[_space.Width];
        _scratch = new int[_space.Width];
        _space.Layout.Encode(_state, _encoded);
    }

    [Benchmark(Baseline = true)]
    public long Reference()
    {
        long n = 0;
        foreach (var op in _ops)
        {
            n += _model.Apply(_state, op).Rules.Length;
        }

        return n;
    }

    [Benchmark]
    public long CompactWithFingerprints()
    {
        long n = 0;
        var rules = default(Explorer.Compact.RuleMask);
        for (int k = 0; k < _ops.Length; k++)
        {
            if (_space.Model.Apply(_encoded, _scratch, k, ref rules).Changed)
            {
                n += _space.Fingerprints.Of(_scratch);
            }
        }

        return n;
    }
}
