using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>The transition relation over a fixed list of concrete operations, and the unrolled path of a check.</summary>
/// <remarks>Step k has state variables <c>s{k}_*</c> and one operation choice <c>op{k}</c>, an index into <see cref="Ops"/>;
/// a failed operation leaves every cell as it was (its guard is false), so failures are transitions too.</remarks>
public sealed class Unrolling
{
    /// <summary>Creates an unrolling for a model and its concrete operations.</summary>
    /// <param name="model">The encoded model.</param>
    /// <param name="ops">The concrete operations.</param>
    /// <param name="withCaches">False to leave the IOTLB, device-TLB, page-table and flush-queue cells of later steps
    /// unconstrained: a cone-of-influence reduction, sound for every invariant that does not read them (only INV-TLB-COH
    /// does). No operation's guard reads those cells except map and unmap, which only write them; so with the cells
    /// gone, map, unmap, invalidate and translate change nothing and are left out of the choice.</param>
    public Unrolling(SymModel model, ImmutableArray<Op> ops, bool withCaches = true)
    {
        M = model;
        Ops = withCaches ? ops : [.. ops.Where(op => op.Code is not (OpCode.Map or OpCode.Unmap or OpCode.Invalidate or OpCode.Translate))];
        WithCaches = withCaches;
    }

    /// <summary>True when the cache cells are part of the transition relation.</summary>
    public bool WithCaches { get; }

    /// <summary>The encoded model.</summary>
    public SymModel M { get; }

    /// <summary>The concrete operations the choice variables index.</summary>
    public ImmutableArray<Op> Ops { get; }

    /// <summary>The states of the path so far (index = step).</summary>
    public List<SymState> States { get; } = [];

    /// <summary>The operation choice of each step (index 0 unused).</summary>
    public List<Expr> Choices { get; } = [];

    /// <summary>The constraint that <paramref name="next"/> follows <paramref name="cur"/> by operation number <paramref name="choice"/>.</summary>
    public Expr Step(SymState cur, SymState next, Expr choice)
    {
        var t = M.T;
        var before = cur.All().ToArray();
        var after = Ops.Select(op => M.Apply(cur, op).All().ToArray()).ToArray();
        var target = next.All().ToArray();
        var parts = new List<Expr> { choice.Ge(0), choice.Lt(Ops.Length) };
        int pteFrom = cur.Ints.Take(6).Sum(a => a.Length), pteTo = pteFrom + cur.Ptes.Length;
        int cacheFrom = cur.Ints.Sum(a => a.Length);
        for (int j = 0; j < before.Length; j++)
        {
            if (!WithCaches && (j >= cacheFrom || (j >= pteFrom && j < pteTo)))
            {
                continue;
            }

            var chain = before[j];
            for (int i = Ops.Length - 1; i >= 0; i--)
            {
                if (after[i][j].Handle != before[j].Handle)
                {
                    chain = t.Ite(choice.Eq(i), after[i][j], chain);
                }
            }

            parts.Add(t.Eq(target[j], chain));
        }

        return t.And(parts);
    }

    /// <summary>Starts the path at <paramref name="first"/>.</summary>
    public void Start(SymState first)
    {
        States.Clear();
        Choices.Clear();
        States.Add(first);
        Choices.Add(M.T.Int(-1));
    }

    /// <summary>Adds one step with fresh variables and returns its transition constraint.</summary>
    public Expr Extend(string prefix = "s")
    {
        int k = States.Count;
        var next = M.Fresh($"{prefix}{k}");
        var choice = M.T.IntVar($"op{k}");
        var c = Step(States[^1], next, choice);
        States.Add(next);
        Choices.Add(choice);
        return c;
    }
}

/// <summary>Reads a state of the unrolled path back from a solver model into concrete arrays and sets.</summary>
public static class StateReader
{
    /// <summary>The integer arrays and the packed cache sets of a symbolic state under the solver's last model.</summary>
    /// <param name="solver">The solver with a Sat model.</param>
    /// <param name="m">The encoding.</param>
    /// <param name="s">The state to read.</param>
    /// <param name="withCaches">False to mark the caches, page tables and flush queue as not read (they are unconstrained in a reduced unrolling).</param>
    public static ConcreteState Read(ISolver solver, SymModel m, SymState s, bool withCaches = true)
    {
        var ints = s.Ints.Select(a => a.Select(solver.EvalInt).ToImmutableArray()).ToImmutableArray();
        var iotlb = ImmutableSortedSet.CreateBuilder<long>();
        for (int i = 0; i < m.U.IotlbSize && withCaches; i++)
        {
            if (solver.EvalBool(s.Iotlb[i]))
            {
                var (tag, iova, pte) = m.U.IotlbAt(i);
                iotlb.Add(Reference.State.Entry.Iotlb(tag, iova, pte));
            }
        }

        var dev = ImmutableSortedSet.CreateBuilder<long>();
        for (int i = 0; i < m.U.DevTlbSize && withCaches; i++)
        {
            if (solver.EvalBool(s.DevTlb[i]))
            {
                var (d, p, iova, pte) = m.U.DevTlbAt(i);
                dev.Add(Reference.State.Entry.DevTlb(d, p, iova, pte));
            }
        }

        var fq = ImmutableSortedSet.CreateBuilder<long>();
        for (int i = 0; i < m.U.FqSize; i++)
        {
            if (solver.EvalBool(s.Fq[i]))
            {
                fq.Add(Reference.State.Entry.Fq(i / m.U.Iovas, i % m.U.Iovas));
            }
        }

        return new ConcreteState(ints, iotlb.ToImmutable(), dev.ToImmutable(), fq.ToImmutable(), withCaches);
    }
}

/// <summary>A state read back from a solver, comparable with a reference state.</summary>
/// <param name="Ints">The integer arrays in IommuState.Arrays order.</param>
/// <param name="Iotlb">Packed IOTLB entries.</param>
/// <param name="DevTlb">Packed device-TLB entries.</param>
/// <param name="FlushQueue">Packed flush-queue entries.</param>
/// <param name="CachesRead">False when the caches, page tables and flush queue were not part of the path (they are not compared).</param>
public sealed record ConcreteState(ImmutableArray<ImmutableArray<int>> Ints, ImmutableSortedSet<long> Iotlb, ImmutableSortedSet<long> DevTlb, ImmutableSortedSet<long> FlushQueue, bool CachesRead = true)
{
    /// <summary>The first difference from a reference state, or null when they are equal.</summary>
    public string? DiffFrom(Reference.State.IommuState s)
    {
        var arrays = s.Arrays().ToList();
        for (int k = 0; k < arrays.Count; k++)
        {
            if (!CachesRead && SymState.ArrayNames[k] == "pte")
            {
                continue;
            }

            for (int i = 0; i < arrays[k].Length; i++)
            {
                if (arrays[k][i] != Ints[k][i])
                {
                    return $"{SymState.ArrayNames[k]}[{i}]: solver {Ints[k][i]}, reference {arrays[k][i]}";
                }
            }
        }

        if (CachesRead && !Iotlb.SetEquals(s.Iotlb))
        {
            return $"iotlb: solver {{{string.Join(",", Iotlb)}}}, reference {{{string.Join(",", s.Iotlb)}}}";
        }

        if (CachesRead && !DevTlb.SetEquals(s.DevTlb))
        {
            return $"devtlb: solver {{{string.Join(",", DevTlb)}}}, reference {{{string.Join(",", s.DevTlb)}}}";
        }

        return !CachesRead || FlushQueue.SetEquals(s.FlushQueue) ? null : $"flush_queue: solver {{{string.Join(",", FlushQueue)}}}, reference {{{string.Join(",", s.FlushQueue)}}}";
    }

    /// <summary>A readable listing of the non-default cells.</summary>
    public string Describe(SymModel m)
    {
        var sb = new System.Text.StringBuilder();
        for (int k = 0; k < Ints.Length; k++)
        {
            sb.Append("  ").Append(SymState.ArrayNames[k]).Append(" = [").Append(string.Join(", ", Ints[k])).Append("]\n");
        }

        sb.Append("  iotlb = {").Append(string.Join(", ", Iotlb.Select(e =>
        {
            int tag = Reference.State.Entry.IotlbTag(e), pte = Reference.State.Entry.PteOf(e);
            return $"(did {Reference.State.Tag.Did(tag)}, pasid {Reference.State.Tag.Pasid(tag)}, iova {Reference.State.Entry.Iova(e)}, pa {Reference.State.Pte.Pa(pte)} {(Reference.State.Pte.Writable(pte) ? "rw" : "r")})";
        }))).Append("}\n");
        sb.Append("  devtlb = {").Append(string.Join(", ", DevTlb.Select(e =>
            $"({m.Ref.Scope.Devices[Reference.State.Entry.Dev(e)].Name}, pasid {Reference.State.Entry.DevPasid(e)}, iova {Reference.State.Entry.Iova(e)}, pa {Reference.State.Pte.Pa(Reference.State.Entry.PteOf(e))} {(Reference.State.Pte.Writable(Reference.State.Entry.PteOf(e)) ? "rw" : "r")})"))).Append("}\n");
        sb.Append("  flush_queue = {").Append(string.Join(", ", FlushQueue.Select(e => $"(d{Reference.State.Entry.FqSlot(e)}, iova {Reference.State.Entry.FqIova(e)})"))).Append("}\n");
        return sb.ToString();
    }
}
