using System.Collections.Immutable;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Engine.Fuzzing;

/// <summary>Shrinks a failing operation list: fewer operations first (chunks, then single steps), then smaller arguments.</summary>
public static class Shrinker
{
    /// <summary>Shrinks <paramref name="ops"/> while <paramref name="fails"/> stays true; returns the smallest list found.</summary>
    /// <param name="ops">A failing list.</param>
    /// <param name="fails">The failure predicate (replays the list).</param>
    /// <param name="budget">At most this many replays.</param>
    public static ImmutableArray<Op> Shrink(ImmutableArray<Op> ops, Func<ImmutableArray<Op>, bool> fails, int budget = 5000)
    {
        int tries = 0;
        bool Try(ImmutableArray<Op> candidate)
        {
            tries++;
            return fails(candidate);
        }

        var cur = ops;
        bool progress = true;
        while (progress && tries < budget)
        {
            progress = false;
            for (int chunk = Math.Max(1, cur.Length / 2); chunk >= 1 && tries < budget; chunk /= 2)
            {
                for (int start = 0; start + chunk <= cur.Length && tries < budget;)
                {
                    var candidate = cur.RemoveRange(start, chunk);
                    if (Try(candidate))
                    {
                        cur = candidate;
                        progress = true;
                    }
                    else
                    {
                        start += chunk;
                    }
                }
            }

            for (int i = 0; i < cur.Length && tries < budget; i++)
            {
                foreach (var smaller in Smaller(cur[i]))
                {
                    var candidate = cur.SetItem(i, smaller);
                    if (Try(candidate))
                    {
                        cur = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }

        return cur;
    }

    /// <summary>Variants of an operation with one argument made smaller (toward 0, read, r, the first device).</summary>
    public static IEnumerable<Op> Smaller(Op op)
    {
        IEnumerable<int> Down(int v, int floor)
        {
            if (v > floor)
            {
                yield return floor;
                if (v - 1 > floor)
                {
                    yield return v - 1;
                }
            }
        }

        switch (op)
        {
            case Translate t:
                foreach (int d in Down(t.Dev, 0)) { yield return t with { Dev = d }; }
                foreach (int p in Down(t.Pasid, 0)) { yield return t with { Pasid = p }; }
                foreach (int i in Down(t.Iova, 0)) { yield return t with { Iova = i }; }
                if (t.Access == Access.Write) { yield return t with { Access = Access.Read }; }
                break;
            case Map m:
                foreach (int s in Down(m.Slot, 0)) { yield return m with { Slot = s }; }
                foreach (int i in Down(m.Iova, 0)) { yield return m with { Iova = i }; }
                foreach (int a in Down(m.Pa, 0)) { yield return m with { Pa = a }; }
                if (m.Perm == Perm.RW) { yield return m with { Perm = Perm.R }; }
                break;
            case Unmap u:
                foreach (int s in Down(u.Slot, 0)) { yield return u with { Slot = s }; }
                foreach (int i in Down(u.Iova, 0)) { yield return u with { Iova = i }; }
                break;
            case AllocDomain a:
                foreach (int d in Down(a.Dev, 0)) { yield return a with { Dev = d }; }
                if (a.Kind == DomainKind.Paging && a.Flags != AllocFlags.None) { yield return a with { Flags = AllocFlags.None }; }
                break;
            case FreeDomain f:
                foreach (int s in Down(f.Slot, 0)) { yield return f with { Slot = s }; }
                break;
            case AttachRid a:
                foreach (int d in Down(a.Dev, 0)) { yield return a with { Dev = d }; }
                foreach (int s in Down(a.Domain.Value, 0)) { yield return a with { Domain = DomainRef.Slot(s) }; }
                break;
            case ReplaceRid r:
                foreach (int d in Down(r.Dev, 0)) { yield return r with { Dev = d }; }
                foreach (int s in Down(r.Domain.Value, 0)) { yield return r with { Domain = DomainRef.Slot(s) }; }
                break;
            case DetachRid d:
                foreach (int x in Down(d.Dev, 0)) { yield return d with { Dev = x }; }
                break;
            case AttachPasid a:
                foreach (int d in Down(a.Dev, 0)) { yield return a with { Dev = d }; }
                foreach (int p in Down(a.Pasid, 1)) { yield return a with { Pasid = p }; }
                foreach (int s in Down(a.Slot, 0)) { yield return a with { Slot = s }; }
                break;
            case ReplacePasid r:
                foreach (int d in Down(r.Dev, 0)) { yield return r with { Dev = d }; }
                foreach (int p in Down(r.Pasid, 1)) { yield return r with { Pasid = p }; }
                foreach (int s in Down(r.Slot, 0)) { yield return r with { Slot = s }; }
                break;
            case DetachPasid d:
                foreach (int x in Down(d.Dev, 0)) { yield return d with { Dev = x }; }
                foreach (int p in Down(d.Pasid, 1)) { yield return d with { Pasid = p }; }
                break;
            case SvaBind b:
                foreach (int d in Down(b.Dev, 0)) { yield return b with { Dev = d }; }
                foreach (int m in Down(b.Mm, 0)) { yield return b with { Mm = m }; }
                break;
            case SvaUnbind u:
                foreach (int d in Down(u.Dev, 0)) { yield return u with { Dev = d }; }
                foreach (int m in Down(u.Mm, 0)) { yield return u with { Mm = m }; }
                break;
            case Invalidate v when v.Scope == InvalidateScope.All:
                yield return new Invalidate(InvalidateScope.Fq);
                break;
            case VpasidAlloc a:
                foreach (int x in Down(a.Vpasid, 1)) { yield return a with { Vpasid = x }; }
                break;
            case VpasidFree f:
                foreach (int x in Down(f.Vpasid, 1)) { yield return f with { Vpasid = x }; }
                break;
            case VpasidAttach a:
                foreach (int x in Down(a.Vpasid, 1)) { yield return a with { Vpasid = x }; }
                foreach (int s in Down(a.Slot, 0)) { yield return a with { Slot = s }; }
                break;
            default:
                break;
        }
    }
}
