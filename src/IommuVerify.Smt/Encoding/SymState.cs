using IommuVerify.Reference.State;
using IommuVerify.Smt.Solving;

namespace IommuVerify.Smt.Encoding;

/// <summary>A state as terms: the integer arrays of <see cref="IommuState"/> one term per cell, and the caches as
/// bounded Boolean arrays over their finite universes (see <see cref="Universe"/>).</summary>
public sealed class SymState
{
    /// <summary>The names of the integer arrays, in <see cref="IommuState.Arrays"/> order.</summary>
    public static readonly string[] ArrayNames =
        ["dom_kind", "dom_flags", "dom_format", "dom_mm", "dom_parent", "dom_users", "pte", "rid_domain", "pasid_domain", "guest_pasid", "mm_pasid", "sva_users", "pasid_owner", "vpasid_table"];

    /// <summary>Creates a state from its arrays.</summary>
    public SymState(Expr[][] ints, Expr[] iotlb, Expr[] devTlb, Expr[] fq)
    {
        Ints = ints;
        Iotlb = iotlb;
        DevTlb = devTlb;
        Fq = fq;
    }

    /// <summary>The integer arrays, in <see cref="ArrayNames"/> order.</summary>
    public Expr[][] Ints { get; }

    /// <summary>Per slot kind.</summary>
    public Expr[] DomKind => Ints[0];

    /// <summary>Per slot flags.</summary>
    public Expr[] DomFlags => Ints[1];

    /// <summary>Per slot page format.</summary>
    public Expr[] DomFormat => Ints[2];

    /// <summary>Per slot mm of an SVA domain.</summary>
    public Expr[] DomMm => Ints[3];

    /// <summary>Per slot parent of a nested domain.</summary>
    public Expr[] DomParent => Ints[4];

    /// <summary>Per slot SVA user count.</summary>
    public Expr[] DomUsers => Ints[5];

    /// <summary>Per slot and IOVA PTE.</summary>
    public Expr[] Ptes => Ints[6];

    /// <summary>Per group RID domain.</summary>
    public Expr[] RidDomain => Ints[7];

    /// <summary>Per group and PASID slot.</summary>
    public Expr[] PasidDomain => Ints[8];

    /// <summary>Per device and PASID guest vPASID.</summary>
    public Expr[] GuestPasid => Ints[9];

    /// <summary>Per mm PASID.</summary>
    public Expr[] MmPasid => Ints[10];

    /// <summary>Per device and mm bind count.</summary>
    public Expr[] SvaUsers => Ints[11];

    /// <summary>Per PASID owner.</summary>
    public Expr[] PasidOwner => Ints[12];

    /// <summary>Per VM and vPASID pPASID.</summary>
    public Expr[] VpasidTable => Ints[13];

    /// <summary>IOTLB membership per (tag, iova, pte) of the universe.</summary>
    public Expr[] Iotlb { get; }

    /// <summary>Device-TLB membership per (dev, pasid, iova, pte).</summary>
    public Expr[] DevTlb { get; }

    /// <summary>Flush-queue membership per (slot, iova).</summary>
    public Expr[] Fq { get; }

    /// <summary>Derived terms (tags, tables, walks) cached for a state that is never edited, or null for none.</summary>
    /// <remarks>Only the path states of an unrolling (fresh variables) memoize; copies start without a cache.</remarks>
    internal Dictionary<(int Kind, int A, int B, int C), Expr>? Memo { get; private set; }

    /// <summary>Turns on memoization of derived terms; the state must not be edited afterwards.</summary>
    internal SymState Frozen()
    {
        Memo ??= [];
        return this;
    }

    /// <summary>A copy whose arrays can be edited without touching this state.</summary>
    public SymState Copy() => new([.. Ints.Select(a => a.ToArray())], [.. Iotlb], [.. DevTlb], [.. Fq]);

    /// <summary>Every term of the state, integer cells first, in a fixed order.</summary>
    public IEnumerable<Expr> All() => Ints.SelectMany(a => a).Concat(Iotlb).Concat(DevTlb).Concat(Fq);

    /// <summary>Cell-wise <c>c ? a : b</c>.</summary>
    public static SymState Ite(Terms t, Expr c, SymState a, SymState b)
    {
        if (c.IsTrue)
        {
            return a;
        }

        if (c.IsFalse)
        {
            return b;
        }

        static Expr[] Mix(Terms t, Expr c, Expr[] x, Expr[] y) => [.. x.Select((e, i) => t.Ite(c, e, y[i]))];
        return new SymState([.. a.Ints.Select((arr, i) => Mix(t, c, arr, b.Ints[i]))], Mix(t, c, a.Iotlb, b.Iotlb), Mix(t, c, a.DevTlb, b.DevTlb), Mix(t, c, a.Fq, b.Fq));
    }

    /// <summary>The constant terms of a concrete state.</summary>
    public static SymState Of(Terms t, Universe u, IommuState s)
    {
        var ints = s.Arrays().Select(a => a.Select(t.Int).ToArray()).ToArray();
        var iotlb = new Expr[u.IotlbSize];
        Array.Fill(iotlb, t.False);
        foreach (long e in s.Iotlb)
        {
            iotlb[u.IotlbIndex(Entry.IotlbTag(e), Entry.Iova(e), Entry.PteOf(e))] = t.True;
        }

        var dev = new Expr[u.DevTlbSize];
        Array.Fill(dev, t.False);
        foreach (long e in s.DevTlb)
        {
            dev[u.DevTlbIndex(Entry.Dev(e), Entry.DevPasid(e), Entry.Iova(e), Entry.PteOf(e))] = t.True;
        }

        var fq = new Expr[u.FqSize];
        Array.Fill(fq, t.False);
        foreach (long e in s.FlushQueue)
        {
            fq[u.FqIndex(Entry.FqSlot(e), Entry.FqIova(e))] = t.True;
        }

        return new SymState(ints, iotlb, dev, fq);
    }

    /// <summary>Fresh variables named <c>{prefix}_{array}_{index}</c>.</summary>
    public static SymState Fresh(Terms t, Universe u, IommuState shape, string prefix)
    {
        var ints = shape.Arrays().Select((a, k) => Enumerable.Range(0, a.Length).Select(i => t.IntVar($"{prefix}_{ArrayNames[k]}_{i}")).ToArray()).ToArray();
        return new SymState(
            ints,
            [.. Enumerable.Range(0, u.IotlbSize).Select(i => t.BoolVar($"{prefix}_iotlb_{u.IotlbName(i)}"))],
            [.. Enumerable.Range(0, u.DevTlbSize).Select(i => t.BoolVar($"{prefix}_devtlb_{u.DevTlbName(i)}"))],
            [.. Enumerable.Range(0, u.FqSize).Select(i => t.BoolVar($"{prefix}_fq_{i}"))]).Frozen();
    }

    /// <summary>Cell-wise equality of two states.</summary>
    public static Expr Equal(Terms t, SymState a, SymState b) => t.And(a.All().Zip(b.All(), t.Eq));
}
