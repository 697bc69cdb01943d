using IommuVerify.Smt.Native;

namespace IommuVerify.Smt.Solving;

/// <summary>A Boolean or integer term: a Z3 AST, with its value when it is a constant (for folding).</summary>
public sealed class Expr
{
    internal Expr(Terms owner, IntPtr handle, bool isBool, int? value)
    {
        Owner = owner;
        Handle = handle;
        IsBool = isBool;
        Value = value;
    }

    internal Terms Owner { get; }

    internal IntPtr Handle { get; }

    /// <summary>True for a Boolean term.</summary>
    public bool IsBool { get; }

    /// <summary>The value of a constant term (0/1 for Booleans), else null.</summary>
    public int? Value { get; }

    /// <summary>True for the constant true.</summary>
    public bool IsTrue => IsBool && Value == 1;

    /// <summary>True for the constant false.</summary>
    public bool IsFalse => IsBool && Value == 0;

    /// <summary>Conjunction.</summary>
    public static Expr operator &(Expr a, Expr b) => a.Owner.And(a, b);

    /// <summary>Disjunction.</summary>
    public static Expr operator |(Expr a, Expr b) => a.Owner.Or(a, b);

    /// <summary>Negation.</summary>
    public static Expr operator !(Expr a) => a.Owner.Not(a);

    /// <summary>Sum.</summary>
    public static Expr operator +(Expr a, Expr b) => a.Owner.Add(a, b);

    /// <summary>Sum with a constant.</summary>
    public static Expr operator +(Expr a, int b) => a.Owner.Add(a, a.Owner.Int(b));

    /// <summary>Difference with a constant.</summary>
    public static Expr operator -(Expr a, int b) => a.Owner.Add(a, a.Owner.Int(-b));

    /// <summary>Equality with a term.</summary>
    public Expr Eq(Expr b) => Owner.Eq(this, b);

    /// <summary>Equality with a constant.</summary>
    public Expr Eq(int b) => Owner.Eq(this, Owner.Int(b));

    /// <summary>Disequality with a constant.</summary>
    public Expr Ne(int b) => !Eq(b);

    /// <summary>Disequality with a term.</summary>
    public Expr Ne(Expr b) => !Eq(b);

    /// <summary>Less than a constant.</summary>
    public Expr Lt(int b) => Owner.Lt(this, Owner.Int(b));

    /// <summary>Less than a term.</summary>
    public Expr Lt(Expr b) => Owner.Lt(this, b);

    /// <summary>At least a constant.</summary>
    public Expr Ge(int b) => !Lt(b);

    /// <summary>Greater than a constant.</summary>
    public Expr Gt(int b) => Owner.Lt(Owner.Int(b), this);

    /// <summary>Implication.</summary>
    public Expr Implies(Expr b) => Owner.Implies(this, b);

    /// <inheritdoc/>
    public override string ToString() => Value is { } v ? (IsBool ? (v == 1 ? "true" : "false") : v.ToString(System.Globalization.CultureInfo.InvariantCulture)) : "<term>";
}

/// <summary>Builds terms in one Z3 context, folding constants and identical operands as it goes.</summary>
public sealed class Terms
{
    private readonly Dictionary<int, Expr> _ints = [];
    private readonly Dictionary<string, Expr> _vars = new(StringComparer.Ordinal);

    /// <summary>Creates a builder over a context.</summary>
    public Terms(Z3Context ctx)
    {
        Ctx = ctx;
        True = new Expr(this, ctx.Keep(Z3Native.Z3_mk_true(ctx.Handle)), true, 1);
        False = new Expr(this, ctx.Keep(Z3Native.Z3_mk_false(ctx.Handle)), true, 0);
    }

    /// <summary>The context.</summary>
    public Z3Context Ctx { get; }

    /// <summary>The constant true.</summary>
    public Expr True { get; }

    /// <summary>The constant false.</summary>
    public Expr False { get; }

    /// <summary>A Boolean constant.</summary>
    public Expr Bool(bool b) => b ? True : False;

    /// <summary>An integer constant.</summary>
    public Expr Int(int v)
    {
        if (v < -(1 << ((int)Z3Context.IntBits - 1)) || v >= 1 << ((int)Z3Context.IntBits - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(v), v, "outside the encoding's bit-vector range");
        }

        if (!_ints.TryGetValue(v, out var e))
        {
            e = new Expr(this, Ctx.Keep(Z3Native.Z3_mk_int(Ctx.Handle, v, Ctx.IntSort)), false, v);
            _ints[v] = e;
        }

        return e;
    }

    /// <summary>An integer variable (the same object for the same name).</summary>
    public Expr IntVar(string name) => Var(name, false);

    /// <summary>A Boolean variable (the same object for the same name).</summary>
    public Expr BoolVar(string name) => Var(name, true);

    private Expr Var(string name, bool isBool)
    {
        if (!_vars.TryGetValue(name, out var e))
        {
            e = new Expr(this, Ctx.Keep(Z3Native.Z3_mk_const(Ctx.Handle, Ctx.Symbol(name), isBool ? Ctx.BoolSort : Ctx.IntSort)), isBool, null);
            _vars[name] = e;
        }

        return e;
    }

    /// <summary>Equality, folded for constants and identical terms.</summary>
    public Expr Eq(Expr a, Expr b)
    {
        if (a.Handle == b.Handle)
        {
            return True;
        }

        if (a.Value is { } x && b.Value is { } y)
        {
            return Bool(x == y);
        }

        if (a.IsBool)
        {
            if (b.Value is { } bv)
            {
                return bv == 1 ? a : Not(a);
            }

            if (a.Value is { } av)
            {
                return av == 1 ? b : Not(b);
            }
        }

        return Mk(Z3Native.Z3_mk_eq(Ctx.Handle, a.Handle, b.Handle), true);
    }

    /// <summary>Negation.</summary>
    public Expr Not(Expr a) => a.Value is { } v ? Bool(v == 0) : Mk(Z3Native.Z3_mk_not(Ctx.Handle, a.Handle), true);

    /// <summary>Conjunction of two terms.</summary>
    public Expr And(Expr a, Expr b) => And([a, b]);

    /// <summary>Disjunction of two terms.</summary>
    public Expr Or(Expr a, Expr b) => Or([a, b]);

    /// <summary>Conjunction, dropping true operands.</summary>
    public Expr And(IEnumerable<Expr> xs)
    {
        var list = new List<IntPtr>();
        foreach (var x in xs)
        {
            if (x.IsFalse)
            {
                return False;
            }

            if (!x.IsTrue && !list.Contains(x.Handle))
            {
                list.Add(x.Handle);
            }
        }

        return list.Count switch
        {
            0 => True,
            1 => Wrap(list[0], true),
            _ => Mk(Z3Native.Z3_mk_and(Ctx.Handle, (uint)list.Count, [.. list]), true),
        };
    }

    /// <summary>Disjunction, dropping false operands.</summary>
    public Expr Or(IEnumerable<Expr> xs)
    {
        var list = new List<IntPtr>();
        foreach (var x in xs)
        {
            if (x.IsTrue)
            {
                return True;
            }

            if (!x.IsFalse && !list.Contains(x.Handle))
            {
                list.Add(x.Handle);
            }
        }

        return list.Count switch
        {
            0 => False,
            1 => Wrap(list[0], true),
            _ => Mk(Z3Native.Z3_mk_or(Ctx.Handle, (uint)list.Count, [.. list]), true),
        };
    }

    /// <summary>Implication.</summary>
    public Expr Implies(Expr a, Expr b)
    {
        if (a.IsFalse || b.IsTrue)
        {
            return True;
        }

        if (a.IsTrue)
        {
            return b;
        }

        if (b.IsFalse)
        {
            return Not(a);
        }

        return Mk(Z3Native.Z3_mk_implies(Ctx.Handle, a.Handle, b.Handle), true);
    }

    /// <summary>If-then-else, folded for a constant condition or equal branches.</summary>
    public Expr Ite(Expr c, Expr t, Expr e)
    {
        if (c.Value is { } v)
        {
            return v == 1 ? t : e;
        }

        if (t.Handle == e.Handle)
        {
            return t;
        }

        if (t.IsBool && t.IsTrue && e.IsFalse)
        {
            return c;
        }

        if (t.IsBool && t.IsFalse && e.IsTrue)
        {
            return Not(c);
        }

        return Mk(Z3Native.Z3_mk_ite(Ctx.Handle, c.Handle, t.Handle, e.Handle), t.IsBool);
    }

    /// <summary>If-then-else with integer constants.</summary>
    public Expr Ite(Expr c, int t, int e) => Ite(c, Int(t), Int(e));

    /// <summary>Sum.</summary>
    public Expr Add(Expr a, Expr b)
    {
        if (a.Value is { } x && b.Value is { } y)
        {
            return Int(x + y);
        }

        if (b.Value == 0)
        {
            return a;
        }

        if (a.Value == 0)
        {
            return b;
        }

        return Mk((Ctx.BitVectors ? Z3Native.Z3_mk_bvadd(Ctx.Handle, a.Handle, b.Handle) : Z3Native.Z3_mk_add(Ctx.Handle, 2, [a.Handle, b.Handle])), false);
    }

    /// <summary>Strictly less.</summary>
    public Expr Lt(Expr a, Expr b) =>
        a.Value is { } x && b.Value is { } y ? Bool(x < y) : Mk((Ctx.BitVectors ? Z3Native.Z3_mk_bvslt(Ctx.Handle, a.Handle, b.Handle) : Z3Native.Z3_mk_lt(Ctx.Handle, a.Handle, b.Handle)), true);

    /// <summary>Reads <c>arr[idx]</c> for a term index: an if-then-else chain, <paramref name="outside"/> for other values.</summary>
    public Expr Select(IReadOnlyList<Expr> arr, Expr idx, Expr outside, int offset = 0)
    {
        if (idx.Value is { } v)
        {
            int i = v - offset;
            return i >= 0 && i < arr.Count ? arr[i] : outside;
        }

        Expr r = outside;
        for (int i = arr.Count - 1; i >= 0; i--)
        {
            r = Ite(idx.Eq(i + offset), arr[i], r);
        }

        return r;
    }

    /// <summary>A term in <paramref name="values"/>.</summary>
    public Expr In(Expr x, IEnumerable<int> values) => Or(values.Select(x.Eq));

    private Expr Mk(IntPtr h, bool isBool) => new(this, Ctx.Keep(h), isBool, null);

    private Expr Wrap(IntPtr h, bool isBool) => new(this, h, isBool, null);
}
