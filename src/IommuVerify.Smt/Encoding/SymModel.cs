using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>The reference model's operations and invariants over <see cref="SymState"/> terms, for one policy and scope.</summary>
/// <remarks>Split by spec area like <see cref="ReferenceModel"/>: contexts and tags, attach (domains and RIDs), PASID,
/// SVA, page tables and TLB, vPASID, invariants. Operation arguments are concrete (one transition per
/// OpCatalog entry); only the state is symbolic. Each constraint cites the rule it encodes.</remarks>
public sealed partial class SymModel
{
    /// <summary>Builds the encoding of a reference model.</summary>
    public SymModel(Terms terms, ReferenceModel reference)
    {
        T = terms;
        Ref = reference;
        P = reference.Policy;
        Sc = reference.Scope;
        L = reference.L;
        U = new Universe(P, Sc);
    }

    /// <summary>The term builder.</summary>
    public Terms T { get; }

    /// <summary>The reference model whose constants (scope facts) the encoding reuses.</summary>
    public ReferenceModel Ref { get; }

    /// <summary>The cache universes.</summary>
    public Universe U { get; }

    private Policy P { get; }

    /// <summary>Memoizes a derived term of a frozen state.</summary>
    private Expr Memo(SymState s, int kind, int a, int b, int c, Func<Expr> make)
    {
        if (s.Memo is null)
        {
            return make();
        }

        if (!s.Memo.TryGetValue((kind, a, b, c), out var e))
        {
            e = make();
            s.Memo[(kind, a, b, c)] = e;
        }

        return e;
    }

    private Scope Sc { get; }

    private Layout L { get; }

    /// <summary>The initial state as constants (STATE-INIT-1).</summary>
    public SymState Initial() => SymState.Of(T, U, Ref.Initial()).Frozen();

    /// <summary>Fresh state variables with a name prefix.</summary>
    public SymState Fresh(string prefix) => SymState.Fresh(T, U, Ref.Initial(), prefix);

    /// <summary>The successor of <paramref name="s"/> under one concrete operation (an errno leaves it unchanged).</summary>
    public SymState Apply(SymState s, Op op) => op switch
    {
        AllocDomain a => AllocDomainOp(s, a),
        FreeDomain f => FreeDomainOp(s, f),
        AttachRid a => AttachRidOp(s, a.Dev, a.Domain.Value, replace: false),
        ReplaceRid r => AttachRidOp(s, r.Dev, r.Domain.Value, replace: true),
        DetachRid d => DetachRidOp(s, d),
        AttachPasid a => AttachPasidOp(s, a),
        ReplacePasid r => ReplacePasidOp(s, r),
        DetachPasid d => DetachPasidOp(s, d),
        SvaBind b => SvaBindOp(s, b),
        SvaUnbind u => SvaUnbindOp(s, u),
        Map m => MapOp(s, m),
        Unmap u => UnmapOp(s, u),
        Invalidate v => InvalidateOp(s, v),
        Translate t => TranslateOp(s, t),
        VpasidAlloc a => VpasidAllocOp(s, a),
        VpasidFree f => VpasidFreeOp(s, f),
        VpasidAttach a => VpasidAttachOp(s, a),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation"),
    };

    /// <summary>The type constraints of a state: every cell within the values the reference model can give it.</summary>
    /// <remarks>Asserted on the free states of k-induction so a counterexample to induction is a well-formed state.</remarks>
    public Expr WellTyped(SymState s)
    {
        var c = new List<Expr>();
        void Range(IEnumerable<Expr> xs, int lo, int hi) => c.AddRange(xs.Select(x => x.Ge(lo) & x.Lt(hi + 1)));
        Range(s.DomKind, 0, 3);
        Range(s.DomFlags, 0, 7);
        Range(s.DomFormat, 0, 2);
        Range(s.DomMm, -1, L.Mms - 1);
        Range(s.DomParent, -1, L.Slots - 1);
        Range(s.DomUsers, 0, 64);
        c.AddRange(s.Ptes.Select(x => T.In(x, U.PteValues.Prepend(0))));
        Range(s.RidDomain, -2, L.Slots - 1);
        Range(s.PasidDomain, -1, L.Slots - 1);
        Range(s.GuestPasid, 0, Sc.Vpasids);
        Range(s.MmPasid, 0, Sc.Pasids);
        Range(s.SvaUsers, 0, 64);
        var owners = new List<int> { 0 };
        owners.AddRange(Enumerable.Range(1, L.Mms));
        owners.AddRange(Enumerable.Range(Layout.VmOwnerBase, L.Vms));
        c.AddRange(s.PasidOwner.Select(x => T.In(x, owners)));
        Range(s.VpasidTable, 0, Sc.Pasids);
        return T.And(c);
    }

    // ---- shared helpers ----

    /// <summary><c>f(i)</c> for the slot <paramref name="slot"/> names, <paramref name="outside"/> when it names none.</summary>
    private Expr OnSlot(Expr slot, Func<int, Expr> f, Expr outside) =>
        T.Select([.. Enumerable.Range(0, L.Slots).Select(f)], slot, outside);

    /// <summary>The state <c>f(v)</c> for the value of <paramref name="x"/> among <paramref name="values"/>, else <paramref name="outside"/>.</summary>
    private SymState OnValue(Expr x, IEnumerable<int> values, Func<int, SymState> f, SymState outside)
    {
        if (x.Value is { } v)
        {
            return values.Contains(v) ? f(v) : outside;
        }

        var r = outside;
        foreach (int k in values.Reverse())
        {
            r = SymState.Ite(T, x.Eq(k), f(k), r);
        }

        return r;
    }

    /// <summary>A term in the flag sets that contain <paramref name="flag"/>.</summary>
    private Expr HasFlag(Expr flags, AllocFlags flag) =>
        T.In(flags, Enumerable.Range(0, 8).Where(f => ((AllocFlags)f & flag) != 0));

    private Expr Kind(SymState s, Expr slot, DomainKind k) => OnSlot(slot, i => s.DomKind[i].Eq((int)k), T.False);

    private SymState Guard(Expr ok, SymState success, SymState s) => SymState.Ite(T, ok, success, s);

    private int GroupOf(int dev) => Sc.Devices[dev].Group;

    /// <summary>The first index whose condition holds: one "is lowest" term per index (DOM-ALLOC-1, SVA-BIND-3 order).</summary>
    private Expr[] Lowest(List<Expr> free)
    {
        var r = new Expr[free.Count];
        Expr none = T.True;
        for (int i = 0; i < free.Count; i++)
        {
            r[i] = none & free[i];
            none &= !free[i];
        }

        return r;
    }
}
