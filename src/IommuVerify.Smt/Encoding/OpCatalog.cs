using System.Collections.Immutable;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Smt.Encoding;

/// <summary>Every concrete operation (code plus arguments) a scope allows, in a fixed order: the transition
/// relation picks one of them per step by index.</summary>
/// <remarks>Four reductions that do not change the reachable states: alloc_domain is tried from device 0 only
/// (the reference ignores the device), translate only with access=read (the access changes the result, never the
/// state), the PASID operations only on PASIDs 1 and up (on PASID 0, the RID, they always fail and change nothing),
/// and vpasid_attach only for devices assigned to the VM (for any other device it always fails). EncodingPartsTests
/// checks all four against the explicit-state checker's operation space.</remarks>
public static class OpCatalog
{
    /// <summary>The operation codes this encoding covers.</summary>
    public static readonly ImmutableHashSet<OpCode> Encoded = [.. Enum.GetValues<OpCode>()];

    /// <summary>The concrete operations of a scope, restricted to its <c>ops</c> list.</summary>
    public static ImmutableArray<Op> For(Scope scope)
    {
        var ops = ImmutableArray.CreateBuilder<Op>();
        int devs = scope.Devices.Length, slots = scope.DomainSlots;
        bool On(OpCode c) => scope.Ops.Contains(c) && Encoded.Contains(c);
        if (On(OpCode.AllocDomain))
        {
            foreach (var a in scope.Allocs)
            {
                if (a.Kind == DomainKind.Nested)
                {
                    for (int p = 0; p < slots; p++)
                    {
                        ops.Add(new AllocDomain(0, a.Kind, a.Flags, p));
                    }
                }
                else
                {
                    ops.Add(new AllocDomain(0, a.Kind, a.Flags, -1));
                }
            }
        }

        if (On(OpCode.FreeDomain))
        {
            for (int s = 0; s < slots; s++)
            {
                ops.Add(new FreeDomain(s));
            }
        }

        var domains = new List<DomainRef> { DomainRef.Blocked, DomainRef.Identity };
        domains.AddRange(Enumerable.Range(0, slots).Select(DomainRef.Slot));
        for (int d = 0; d < devs; d++)
        {
            foreach (var target in domains)
            {
                if (On(OpCode.AttachRid))
                {
                    ops.Add(new AttachRid(d, target));
                }

                if (On(OpCode.ReplaceRid))
                {
                    ops.Add(new ReplaceRid(d, target));
                }
            }

            if (On(OpCode.DetachRid))
            {
                ops.Add(new DetachRid(d));
            }

            for (int p = 1; p <= scope.Pasids; p++)
            {
                for (int s = 0; s < slots; s++)
                {
                    if (On(OpCode.AttachPasid))
                    {
                        ops.Add(new AttachPasid(d, p, s));
                    }

                    if (On(OpCode.ReplacePasid))
                    {
                        ops.Add(new ReplacePasid(d, p, s));
                    }
                }

                if (On(OpCode.DetachPasid))
                {
                    ops.Add(new DetachPasid(d, p));
                }
            }

            for (int mm = 0; mm < scope.Mms.Length; mm++)
            {
                if (On(OpCode.SvaBind))
                {
                    ops.Add(new SvaBind(d, mm));
                }

                if (On(OpCode.SvaUnbind))
                {
                    ops.Add(new SvaUnbind(d, mm));
                }
            }
        }

        for (int s = 0; s < slots; s++)
        {
            for (int i = 0; i < scope.IovaPages; i++)
            {
                if (On(OpCode.Map))
                {
                    for (int pa = 0; pa < scope.PhysPages; pa++)
                    {
                        ops.Add(new Map(s, i, pa, Perm.R));
                        ops.Add(new Map(s, i, pa, Perm.RW));
                    }
                }

                if (On(OpCode.Unmap))
                {
                    ops.Add(new Unmap(s, i));
                }
            }
        }

        if (On(OpCode.Invalidate))
        {
            ops.Add(new Invalidate(InvalidateScope.Fq));
            ops.Add(new Invalidate(InvalidateScope.All));
        }

        if (On(OpCode.Translate))
        {
            for (int d = 0; d < devs; d++)
            {
                for (int p = 0; p <= scope.Pasids; p++)
                {
                    for (int i = 0; i < scope.IovaPages; i++)
                    {
                        ops.Add(new Translate(d, p, i, Access.Read));
                    }
                }
            }
        }

        for (int vm = 0; vm < scope.Vms.Length; vm++)
        {
            for (int vp = 1; vp <= scope.Vpasids; vp++)
            {
                if (On(OpCode.VpasidAlloc))
                {
                    ops.Add(new VpasidAlloc(vm, vp));
                }

                if (On(OpCode.VpasidFree))
                {
                    ops.Add(new VpasidFree(vm, vp));
                }

                if (On(OpCode.VpasidAttach))
                {
                    foreach (var vd in scope.Vms[vm].Devices)
                    {
                        for (int s = 0; s < slots; s++)
                        {
                            ops.Add(new VpasidAttach(vm, vd.Dev, vp, s));
                        }
                    }
                }
            }
        }

        return ops.ToImmutable();
    }

    /// <summary>The scope's operation codes this encoding does not cover (empty when every one is encoded).</summary>
    public static ImmutableArray<OpCode> Unencoded(Scope scope) => [.. scope.Ops.Where(c => !Encoded.Contains(c)).Order()];
}
