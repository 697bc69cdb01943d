using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Engine.Benchmarking;

/// <summary>The platform, states and operation streams the benchmarks share (BenchmarkDotNet and <c>iommuverify bench</c>).</summary>
/// <remarks>An Intel VT-d-like strict policy; device 0 (gpu) has ATS, device 1 (nic) has none, so nic translations
/// exercise the IOTLB. Domain d0 is the nic's RID domain with <see cref="Pages"/> pages mapped.</remarks>
public sealed class BenchWorkload
{

    /// <summary>The nic: no ATS, translations go through the IOTLB.</summary>
    public const int Nic = 1;

    /// <summary>Builds the workload with <paramref name="pages"/> mapped pages in a scope of twice as many IOVA pages (the reference's state grows with it).</summary>
    public BenchWorkload(int pages)
    {
        Pages = pages;
        int iovaPages = pages * 2;
        Policy = new Policy(PagingPasid.Always, false, true, false, SvaOnRid.Refused, IotlbTag.DomainPasid, DidAlloc.PerDomain,
            true, UnmapFlush.AllTags, true, true, InvalidationMode.Strict, false, VpasidScheme.None, false);
        Scope = new Scope(
            "bench",
            [new DeviceSpec("gpu", "00:02.0", 0, -1, true, 8, true), new DeviceSpec("nic", "00:03.0", 1, -1, true, 8, false)],
            ["g0", "g1"],
            4,
            4,
            iovaPages,
            1 << 20,
            ["mm0"],
            [],
            0,
            [new AllocChoice(DomainKind.Paging, AllocFlags.None)],
            Enum.GetValues<OpCode>().ToImmutableHashSet());
    }

    /// <summary>Pages mapped in d0 by <see cref="Setup"/>.</summary>
    public int Pages { get; }

    /// <summary>The policy.</summary>
    public Policy Policy { get; }

    /// <summary>The scope.</summary>
    public Scope Scope { get; }

    /// <summary>The setup operations: allocate d0, attach it to the nic's RID, map pages 0..Pages-1 (page i to physical page i + 7).</summary>
    public IEnumerable<Op> Setup()
    {
        int pages = Pages;
        yield return new AllocDomain(Nic, DomainKind.Paging, AllocFlags.None, -1);
        yield return new AttachRid(Nic, DomainRef.Slot(0));
        for (int i = 0; i < pages; i++)
        {
            yield return new Map(0, i, i + 7, Perm.RW);
        }
    }

    /// <summary>An engine after <see cref="Setup"/>.</summary>
    public TranslationEngine Engine(int iotlbSets = 64, int iotlbWays = 8)
    {
        var e = new TranslationEngine(iotlbSets, iotlbWays);
        e.Start(Policy, Scope);
        e.PageTables.Reserve((Pages / PageTablePool.Fanout) + 8);
        foreach (var op in Setup())
        {
            e.ApplyOne(op);
        }

        return e;
    }

    /// <summary>The reference model and its state after <see cref="Setup"/>.</summary>
    public (ReferenceModel Model, IommuState State) Reference()
    {
        var m = new ReferenceModel(Policy, Scope);
        var s = m.Initial();
        foreach (var op in Setup())
        {
            s = m.Apply(s, op).Next;
        }

        return (m, s);
    }

    /// <summary>A mixed stream: 80% translations (half to a hot set of 64 pages), 10% unmaps and 10% re-maps of the same page.</summary>
    public ImmutableArray<Op> Mixed(int length, int seed = 1)
    {
        var rnd = new Random(seed);
        var ops = ImmutableArray.CreateBuilder<Op>(length);
        while (ops.Count < length)
        {
            int r = rnd.Next(10);
            int page = rnd.Next(2) == 0 ? rnd.Next(64) : rnd.Next(Pages);
            if (r < 8)
            {
                ops.Add(new Translate(Nic, 0, page, rnd.Next(4) == 0 ? Access.Write : Access.Read));
            }
            else
            {
                ops.Add(new Unmap(0, page));
                ops.Add(new Map(0, page, page + 7, Perm.RW));
            }
        }

        return ops.ToImmutable();
    }
}
