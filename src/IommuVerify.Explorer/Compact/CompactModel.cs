using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Compact;

/// <summary>What one compact step did: the errno it returned (-1 for none) and whether the reference model
/// would have returned a new state object rather than its input.</summary>
/// <remarks><see cref="Changed"/> mirrors the reference's object identity, not value equality: an invalidation of
/// empty caches builds a new (equal) state, and the search counts it as a generated successor either way.</remarks>
/// <param name="Errno">The errno as <see cref="Vocabulary.Operations.Errno"/>, or -1 when the operation succeeded.</param>
/// <param name="Changed">True when the successor was written to the destination.</param>
internal readonly record struct CompactStep(int Errno, bool Changed)
{
    /// <summary>Success, state unchanged.</summary>
    public static readonly CompactStep Same = new(-1, false);

    /// <summary>Success, the successor is in the destination.</summary>
    public static readonly CompactStep New = new(-1, true);

    /// <summary>Failure, state unchanged.</summary>
    public static CompactStep Fail(Errno e) => new((int)e, false);
}

/// <summary>An operation of the scope with its arguments as plain ints (meaning per <see cref="Code"/>, as in the op records).</summary>
/// <param name="Code">The operation.</param>
/// <param name="A">First argument.</param>
/// <param name="B">Second argument.</param>
/// <param name="C">Third argument.</param>
/// <param name="D">Fourth argument.</param>
internal readonly record struct CompactOp(OpCode Code, int A, int B, int C, int D)
{
    /// <summary>Flattens an operation record.</summary>
    public static CompactOp Of(Op op) => op switch
    {
        AllocDomain a => new(op.Code, (int)a.Kind, (int)a.Flags, a.Parent, a.Dev),
        FreeDomain f => new(op.Code, f.Slot, 0, 0, 0),
        AttachRid a => new(op.Code, a.Dev, a.Domain.Value, 0, 0),
        ReplaceRid r => new(op.Code, r.Dev, r.Domain.Value, 0, 0),
        DetachRid d => new(op.Code, d.Dev, 0, 0, 0),
        AttachPasid a => new(op.Code, a.Dev, a.Pasid, a.Slot, 0),
        ReplacePasid r => new(op.Code, r.Dev, r.Pasid, r.Slot, 0),
        DetachPasid d => new(op.Code, d.Dev, d.Pasid, 0, 0),
        SvaBind b => new(op.Code, b.Dev, b.Mm, 0, 0),
        SvaUnbind u => new(op.Code, u.Dev, u.Mm, 0, 0),
        Map m => new(op.Code, m.Slot, m.Iova, m.Pa, (int)m.Perm),
        Unmap u => new(op.Code, u.Slot, u.Iova, 0, 0),
        Invalidate v => new(op.Code, (int)v.Scope, 0, 0, 0),
        Translate t => new(op.Code, t.Dev, t.Pasid, t.Iova, (int)t.Access),
        VpasidAlloc a => new(op.Code, a.Vm, a.Vpasid, 0, 0),
        VpasidFree f => new(op.Code, f.Vm, f.Vpasid, 0, 0),
        VpasidAttach a => new(op.Code, a.Vm, a.Dev, a.Vpasid, a.Slot),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation"),
    };
}

/// <summary>The reference model's successor function over <see cref="CompactLayout"/> encodings: reads a state
/// span, writes the successor into a destination span, allocates nothing.</summary>
/// <remarks>Each operation follows its <see cref="ReferenceModel"/> counterpart check for check, with the same
/// errnos, rule IDs and cache effects; the differential tests in IommuVerify.Explorer.Tests hold it to that on
/// every shipped model. The reference stays the spec: counterexamples are replayed there before they are reported.</remarks>
internal sealed partial class CompactModel
{
    private const int Free = (int)DomainKind.Free;
    private const int Paging = (int)DomainKind.Paging;
    private const int Sva = (int)DomainKind.Sva;
    private const int Nested = (int)DomainKind.Nested;
    private const int Blocked = -1;
    private const int IdentityDomain = -2;

    private readonly Policy _p;
    private readonly CompactLayout _l;
    private readonly int[] _devGroup;
    private readonly int[] _devMax;
    private readonly bool[] _devAts;
    private readonly int[][] _groupDevs;
    private readonly int[] _devVm;
    private readonly bool[] _devPassthrough;
    private readonly int[][] _vmGroups;
    private readonly int[] _ctxDev;
    private readonly int[] _ctxPasid;
    private readonly int _kind, _flags, _format, _mm, _parent, _users, _ptes, _rid, _pd, _guest, _mmPasid, _sva, _owner, _vtab, _iotlb, _devtlb, _fq;

    /// <summary>Builds the compact model of a reference model's policy and scope.</summary>
    public CompactModel(ReferenceModel model, CompactLayout layout, ImmutableArray<Op> ops)
    {
        _p = model.Policy;
        _l = layout;
        var scope = model.Scope;
        int devs = scope.Devices.Length;
        _devGroup = [.. scope.Devices.Select(d => d.Group)];
        _devMax = [.. Enumerable.Range(0, devs).Select(scope.EffectiveMaxPasids)];
        _devAts = [.. scope.Devices.Select(d => d.Ats)];
        _groupDevs = [.. Enumerable.Range(0, scope.Groups.Length).Select(g => scope.GroupDevices(g).ToArray())];
        _devVm = [.. Enumerable.Range(0, devs).Select(d => scope.VmOf(d)?.Vm ?? -1)];
        _devPassthrough = [.. Enumerable.Range(0, devs).Select(d => scope.VmOf(d)?.Assign == Assignment.Passthrough)];
        _vmGroups = [.. scope.Vms.Select(v => v.Devices.Select(vd => _devGroup[vd.Dev]).ToArray())];
        var contexts = model.Contexts().ToArray();
        _ctxDev = [.. contexts.Select(c => c.Dev)];
        _ctxPasid = [.. contexts.Select(c => c.Pasid)];
        Ops = [.. ops.Select(CompactOp.Of)];
        (_kind, _flags, _format, _mm, _parent, _users, _ptes) = (layout.DomKind, layout.DomFlags, layout.DomFormat, layout.DomMm, layout.DomParent, layout.DomUsers, layout.Ptes);
        (_rid, _pd, _guest, _mmPasid, _sva, _owner, _vtab) = (layout.RidDomain, layout.PasidDomain, layout.GuestPasid, layout.MmPasid, layout.SvaUsers, layout.PasidOwner, layout.VpasidTable);
        (_iotlb, _devtlb, _fq) = (layout.Iotlb, layout.DevTlb, layout.Fq);
    }

    /// <summary>The operations, by the same indices as the search's.</summary>
    public CompactOp[] Ops { get; }

    /// <summary>The layout.</summary>
    public CompactLayout Layout => _l;

    /// <summary>Applies operation <paramref name="op"/> to <paramref name="s"/>. When the step says
    /// <see cref="CompactStep.Changed"/>, the successor is in <paramref name="d"/> (which must not overlap
    /// <paramref name="s"/>); otherwise <paramref name="d"/> holds nothing useful. The rules exercised are added to <paramref name="rules"/>.</summary>
    public CompactStep Apply(ReadOnlySpan<int> s, Span<int> d, int op, ref RuleMask rules)
    {
        var o = Ops[op];
        return o.Code switch
        {
            OpCode.AllocDomain => AllocDomain(s, d, o.A, o.B, o.C, ref rules),
            OpCode.FreeDomain => FreeDomain(s, d, o.A, ref rules),
            OpCode.AttachRid => AttachRid(s, d, o.A, o.B, replace: false, ref rules),
            OpCode.ReplaceRid => AttachRid(s, d, o.A, o.B, replace: true, ref rules),
            OpCode.DetachRid => DetachRid(s, d, o.A, ref rules),
            OpCode.AttachPasid => AttachPasid(s, d, o.A, o.B, o.C, ref rules),
            OpCode.ReplacePasid => ReplacePasid(s, d, o.A, o.B, o.C, ref rules),
            OpCode.DetachPasid => DetachPasid(s, d, o.A, o.B, ref rules),
            OpCode.SvaBind => SvaBind(s, d, o.A, o.B, ref rules),
            OpCode.SvaUnbind => SvaUnbind(s, d, o.A, o.B, ref rules),
            OpCode.Map => Map(s, d, o.A, o.B, o.C, o.D, ref rules),
            OpCode.Unmap => Unmap(s, d, o.A, o.B, ref rules),
            OpCode.Invalidate => Invalidate(s, d, (InvalidateScope)o.A, ref rules),
            OpCode.Translate => Translate(s, d, o.A, o.B, o.C, (Access)o.D, ref rules),
            OpCode.VpasidAlloc => VpasidAlloc(s, d, o.A, o.B, ref rules),
            OpCode.VpasidFree => VpasidFree(s, d, o.A, o.B, ref rules),
            OpCode.VpasidAttach => VpasidAttach(s, d, o.A, o.B, o.C, o.D, ref rules),
            _ => throw new InvalidOperationException($"operation {o.Code} has no compact form"),
        };
    }

    private static CompactStep Fail(Errno e, Rule r, ref RuleMask rules)
    {
        rules.Add(r);
        return CompactStep.Fail(e);
    }

    private static CompactStep Done(Rule r, ref RuleMask rules)
    {
        rules.Add(r);
        return CompactStep.New;
    }

    // ---- Domains (ReferenceModel.Domains.cs) ----
    private int LowestFreeSlot(ReadOnlySpan<int> s)
    {
        for (int i = 0; i < _l.Slots; i++)
        {
            if (s[_kind + i] == Free)
            {
                return i;
            }
        }

        return -1;
    }

    private CompactStep AllocDomain(ReadOnlySpan<int> s, Span<int> d, int kind, int flags, int parent, ref RuleMask rules)
    {
        var f = (AllocFlags)flags;
        int format = (int)PageFormat.Default;
        if (kind == Nested)
        {
            if ((f & (AllocFlags.NestParent | AllocFlags.DirtyTracking)) != 0)
            {
                return Fail(Errno.EOPNOTSUPP, Rule.DomAlloc4, ref rules);
            }

            if (s[_kind + parent] == Free)
            {
                return Fail(Errno.EINVAL, Rule.DomAlloc2, ref rules);
            }

            if (s[_kind + parent] != Paging || ((AllocFlags)s[_flags + parent] & AllocFlags.NestParent) == 0)
            {
                return Fail(Errno.EINVAL, Rule.DomAlloc3, ref rules);
            }

            format = s[_format + parent];
        }
        else if (_p.SplitFormats)
        {
            if ((f & AllocFlags.Pasid) != 0 && (f & AllocFlags.DirtyTracking) != 0)
            {
                return Fail(Errno.EOPNOTSUPP, Rule.DomAlloc5, ref rules);
            }

            format = (int)((f & AllocFlags.Pasid) != 0 ? PageFormat.V2 : PageFormat.V1);
        }

        int slot = LowestFreeSlot(s);
        if (slot < 0)
        {
            return Fail(Errno.ENOSPC, Rule.DomAlloc1, ref rules);
        }

        s.CopyTo(d);
        d[_kind + slot] = kind;
        d[_flags + slot] = flags;
        d[_format + slot] = format;
        d[_parent + slot] = kind == Nested ? parent : -1;
        d[_mm + slot] = -1;
        d[_users + slot] = 0;
        return Done(kind == Nested ? Rule.DomAlloc6 : _p.SplitFormats ? Rule.DomAlloc7 : Rule.DomAlloc8, ref rules);
    }

    private bool InUse(ReadOnlySpan<int> s, int slot)
    {
        if (s.Slice(_rid, _l.Groups).Contains(slot) || s.Slice(_pd, _l.Groups * _l.PasidRow).Contains(slot))
        {
            return true;
        }

        for (int i = 0; i < _l.Slots; i++)
        {
            if (s[_kind + i] == Nested && s[_parent + i] == slot)
            {
                return true;
            }
        }

        return false;
    }

    private CompactStep FreeDomain(ReadOnlySpan<int> s, Span<int> d, int slot, ref RuleMask rules)
    {
        if (s[_kind + slot] == Free)
        {
            return Fail(Errno.ENOENT, Rule.DomFree1, ref rules);
        }

        if (s[_kind + slot] == Sva)
        {
            return Fail(Errno.EINVAL, Rule.DomFree2, ref rules);
        }

        if (InUse(s, slot))
        {
            return Fail(Errno.EBUSY, Rule.DomFree3, ref rules);
        }

        s.CopyTo(d);
        DrainQueue(d, _l.FqBit(slot, 0), _l.Iovas);
        ClearSlot(d, slot);
        return Done(Rule.DomFree4, ref rules);
    }

    private void ClearSlot(Span<int> d, int slot)
    {
        d[_kind + slot] = 0;
        d[_flags + slot] = 0;
        d[_format + slot] = 0;
        d[_mm + slot] = -1;
        d[_parent + slot] = -1;
        d[_users + slot] = 0;
        d.Slice(_ptes + (slot * _l.Iovas), _l.Iovas).Clear();
    }

    // ---- RID attachment (ReferenceModel.Rid.cs) ----
    private bool GroupHasPasids(ReadOnlySpan<int> s, int g)
    {
        for (int p = 1; p < _l.PasidRow; p++)
        {
            if (s[_pd + (g * _l.PasidRow) + p] >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private CompactStep AttachRid(ReadOnlySpan<int> s, Span<int> d, int dev, int target, bool replace, ref RuleMask rules)
    {
        int g = _devGroup[dev];
        if (target >= 0 && s[_kind + target] == Free)
        {
            return Fail(Errno.ENOENT, Rule.RidAttach1, ref rules);
        }

        int current = s[_rid + g];
        if (!replace && current != Blocked)
        {
            return Fail(Errno.EBUSY, Rule.RidAttach2, ref rules);
        }

        if (replace && current == Blocked)
        {
            return Fail(Errno.EINVAL, Rule.RidReplace3, ref rules);
        }

        if (replace && current == target)
        {
            rules.Add(Rule.RidReplace1);
            return CompactStep.Same;
        }

        bool svaRule = false;
        if (target >= 0 && s[_kind + target] == Sva)
        {
            if (_p.SvaOnRid == SvaOnRid.Refused)
            {
                return Fail(Errno.ENODEV, Rule.RidAttach3, ref rules);
            }

            svaRule = true;
        }

        if (GroupHasPasids(s, g) && !DomainPasidCompatOnRid(s, target))
        {
            return Fail(Errno.EINVAL, Rule.RidAttach5, ref rules);
        }

        s.CopyTo(d);
        d[_rid + g] = target;
        FlushChangedContexts(s, d, g);
        bool freed = ReleaseUnusedSva(d, current);
        if (svaRule)
        {
            rules.Add(Rule.RidAttach4);
        }

        if (freed)
        {
            rules.Add(Rule.SvaUnbind4);
        }

        return Done(replace ? Rule.RidReplace2 : Rule.RidAttach6, ref rules);
    }

    private CompactStep DetachRid(ReadOnlySpan<int> s, Span<int> d, int dev, ref RuleMask rules)
    {
        int g = _devGroup[dev];
        int old = s[_rid + g];
        if (old == Blocked)
        {
            rules.Add(Rule.RidDetach1);
            return CompactStep.Same;
        }

        s.CopyTo(d);
        d[_rid + g] = Blocked;
        FlushChangedContexts(s, d, g);
        if (ReleaseUnusedSva(d, old))
        {
            rules.Add(Rule.SvaUnbind4);
        }

        return Done(Rule.RidDetach2, ref rules);
    }

    // ---- PASID attachment (ReferenceModel.Pasid.cs) ----

    /// <summary>The checks every PASID attach makes, in the reference's order; false with the errno and rule when one fails.</summary>
    private bool PasidAttachCheck(ReadOnlySpan<int> s, int dev, int pasid, int slot, bool svaCaller, bool replacing, out Errno errno, out Rule rule)
    {
        int g = _devGroup[dev];
        (errno, rule) = (default, default);
        int kind = s[_kind + slot];
        if (kind == Free)
        {
            (errno, rule) = (Errno.ENOENT, Rule.PasidAttach1);
        }
        else if (_devMax[dev] == 0)
        {
            (errno, rule) = (Errno.ENODEV, Rule.PasidAttach3);
        }
        else if (!SlotPasidCompat(s, slot))
        {
            (errno, rule) = (Errno.EINVAL, Rule.PasidAttach6);
        }
        else if (!DomainPasidCompatOnRid(s, s[_rid + g]))
        {
            (errno, rule) = (Errno.EINVAL, Rule.PasidAttach7);
        }
        else if (kind != Sva && _p.PagingPasid == PagingPasid.Never)
        {
            (errno, rule) = (Errno.EOPNOTSUPP, Rule.PasidAttach4);
        }
        else if (kind == Sva && !svaCaller)
        {
            (errno, rule) = (Errno.EINVAL, Rule.PasidAttach5);
        }
        else if (pasid == 0)
        {
            (errno, rule) = (Errno.EINVAL, Rule.PasidAttach2);
        }
        else if (PasidAboveGroupWidth(g, pasid))
        {
            (errno, rule) = (Errno.EINVAL, Rule.PasidAttach8);
        }
        else if (!replacing && s[_pd + (g * _l.PasidRow) + pasid] >= 0)
        {
            (errno, rule) = (Errno.EBUSY, Rule.PasidAttach9);
        }
        else if (_p.DirtyBlocksPasid && ((AllocFlags)s[_flags + slot] & AllocFlags.DirtyTracking) != 0)
        {
            (errno, rule) = (Errno.EINVAL, Rule.PasidAttach10);
        }
        else if (_p.NestParentBlocksPasid && ((AllocFlags)s[_flags + slot] & AllocFlags.NestParent) != 0)
        {
            (errno, rule) = (Errno.EINVAL, Rule.PasidAttach11);
        }
        else
        {
            return true;
        }

        return false;
    }

    private bool PasidAboveGroupWidth(int g, int pasid)
    {
        foreach (int other in _groupDevs[g])
        {
            int max = _devMax[other];
            if (max > 0 && pasid >= max)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sets a group's PASID to a slot in <paramref name="d"/> and flushes what changed since <paramref name="before"/>.</summary>
    private void SetGroupPasid(ReadOnlySpan<int> before, Span<int> d, int dev, int pasid, int slot)
    {
        int g = _devGroup[dev];
        d[_pd + (g * _l.PasidRow) + pasid] = slot;
        foreach (int other in _groupDevs[g])
        {
            d[_guest + (other * _l.PasidRow) + pasid] = 0;
        }

        FlushChangedContexts(before, d, g);
    }

    private CompactStep AttachPasid(ReadOnlySpan<int> s, Span<int> d, int dev, int pasid, int slot, ref RuleMask rules)
    {
        if (!PasidAttachCheck(s, dev, pasid, slot, svaCaller: false, replacing: false, out var e, out var r))
        {
            return Fail(e, r, ref rules);
        }

        s.CopyTo(d);
        SetGroupPasid(s, d, dev, pasid, slot);
        return Done(Rule.PasidAttach12, ref rules);
    }

    private CompactStep ReplacePasid(ReadOnlySpan<int> s, Span<int> d, int dev, int pasid, int slot, ref RuleMask rules)
    {
        if (s[_kind + slot] == Free)
        {
            return Fail(Errno.ENOENT, Rule.PasidAttach1, ref rules);
        }

        if (pasid == 0)
        {
            return Fail(Errno.EINVAL, Rule.PasidAttach2, ref rules);
        }

        int current = s[_pd + (_devGroup[dev] * _l.PasidRow) + pasid];
        if (current < 0)
        {
            return Fail(Errno.EINVAL, Rule.PasidReplace1, ref rules);
        }

        if (s[_kind + current] == Sva)
        {
            return Fail(Errno.EBUSY, Rule.PasidReplace2, ref rules);
        }

        if (current == slot)
        {
            rules.Add(Rule.PasidReplace3);
            return CompactStep.Same;
        }

        if (!PasidAttachCheck(s, dev, pasid, slot, svaCaller: false, replacing: true, out var e, out var r))
        {
            return Fail(e, r, ref rules);
        }

        s.CopyTo(d);
        SetGroupPasid(s, d, dev, pasid, slot);
        return Done(Rule.PasidReplace4, ref rules);
    }

    private CompactStep DetachPasid(ReadOnlySpan<int> s, Span<int> d, int dev, int pasid, ref RuleMask rules)
    {
        if (pasid == 0)
        {
            return Fail(Errno.EINVAL, Rule.PasidDetach1, ref rules);
        }

        int current = s[_pd + (_devGroup[dev] * _l.PasidRow) + pasid];
        if (current < 0)
        {
            rules.Add(Rule.PasidDetach2);
            return CompactStep.Same;
        }

        if (s[_kind + current] == Sva)
        {
            return Fail(Errno.EBUSY, Rule.PasidDetach3, ref rules);
        }

        s.CopyTo(d);
        SetGroupPasid(s, d, dev, pasid, -1);
        return Done(Rule.PasidDetach4, ref rules);
    }
}
