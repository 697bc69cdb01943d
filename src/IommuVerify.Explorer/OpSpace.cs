using System.Collections.Immutable;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer;

/// <summary>Every operation of a scope, instantiated over all argument values the trace syntax accepts.</summary>
/// <remarks>Failing instances are included on purpose: a failed operation is a self-loop and counts as a transition.</remarks>
public static class OpSpace
{
    /// <summary>All operations of <paramref name="scope"/>'s <see cref="Scope.Ops"/>, in operation-code order then argument order.</summary>
    public static ImmutableArray<Op> Enumerate(Scope scope)
    {
        var ops = ImmutableArray.CreateBuilder<Op>();
        int devs = scope.Devices.Length, slots = scope.DomainSlots;
        foreach (OpCode code in Enum.GetValues<OpCode>())
        {
            if (!scope.Ops.Contains(code))
            {
                continue;
            }

            switch (code)
            {
                case OpCode.AllocDomain:
                    for (int d = 0; d < devs; d++)
                    {
                        foreach (var a in scope.Allocs)
                        {
                            if (a.Kind == DomainKind.Nested)
                            {
                                for (int p = 0; p < slots; p++)
                                {
                                    ops.Add(new AllocDomain(d, a.Kind, a.Flags, p));
                                }
                            }
                            else if (a.Kind == DomainKind.Paging)
                            {
                                ops.Add(new AllocDomain(d, a.Kind, a.Flags, -1));
                            }
                        }
                    }

                    break;
                case OpCode.FreeDomain:
                    for (int s = 0; s < slots; s++)
                    {
                        ops.Add(new FreeDomain(s));
                    }

                    break;
                case OpCode.AttachRid:
                case OpCode.ReplaceRid:
                    for (int d = 0; d < devs; d++)
                    {
                        foreach (var r in DomainRefs(slots))
                        {
                            ops.Add(code == OpCode.AttachRid ? new AttachRid(d, r) : new ReplaceRid(d, r));
                        }
                    }

                    break;
                case OpCode.DetachRid:
                    for (int d = 0; d < devs; d++)
                    {
                        ops.Add(new DetachRid(d));
                    }

                    break;
                case OpCode.AttachPasid:
                case OpCode.ReplacePasid:
                    for (int d = 0; d < devs; d++)
                    {
                        for (int p = 0; p <= scope.Pasids; p++)
                        {
                            for (int s = 0; s < slots; s++)
                            {
                                ops.Add(code == OpCode.AttachPasid ? new AttachPasid(d, p, s) : new ReplacePasid(d, p, s));
                            }
                        }
                    }

                    break;
                case OpCode.DetachPasid:
                    for (int d = 0; d < devs; d++)
                    {
                        for (int p = 0; p <= scope.Pasids; p++)
                        {
                            ops.Add(new DetachPasid(d, p));
                        }
                    }

                    break;
                case OpCode.SvaBind:
                case OpCode.SvaUnbind:
                    for (int d = 0; d < devs; d++)
                    {
                        for (int m = 0; m < scope.Mms.Length; m++)
                        {
                            ops.Add(code == OpCode.SvaBind ? new SvaBind(d, m) : new SvaUnbind(d, m));
                        }
                    }

                    break;
                case OpCode.Map:
                    for (int s = 0; s < slots; s++)
                    {
                        for (int i = 0; i < scope.IovaPages; i++)
                        {
                            for (int pa = 0; pa < scope.PhysPages; pa++)
                            {
                                ops.Add(new Map(s, i, pa, Perm.R));
                                ops.Add(new Map(s, i, pa, Perm.RW));
                            }
                        }
                    }

                    break;
                case OpCode.Unmap:
                    for (int s = 0; s < slots; s++)
                    {
                        for (int i = 0; i < scope.IovaPages; i++)
                        {
                            ops.Add(new Unmap(s, i));
                        }
                    }

                    break;
                case OpCode.Invalidate:
                    ops.Add(new Invalidate(InvalidateScope.Fq));
                    ops.Add(new Invalidate(InvalidateScope.All));
                    break;
                case OpCode.Translate:
                    for (int d = 0; d < devs; d++)
                    {
                        for (int p = 0; p <= scope.Pasids; p++)
                        {
                            for (int i = 0; i < scope.IovaPages; i++)
                            {
                                ops.Add(new Translate(d, p, i, Access.Read));
                                ops.Add(new Translate(d, p, i, Access.Write));
                            }
                        }
                    }

                    break;
                case OpCode.VpasidAlloc:
                case OpCode.VpasidFree:
                    for (int vm = 0; vm < scope.Vms.Length; vm++)
                    {
                        for (int v = 1; v <= scope.Vpasids; v++)
                        {
                            ops.Add(code == OpCode.VpasidAlloc ? new VpasidAlloc(vm, v) : new VpasidFree(vm, v));
                        }
                    }

                    break;
                case OpCode.VpasidAttach:
                    for (int vm = 0; vm < scope.Vms.Length; vm++)
                    {
                        for (int d = 0; d < devs; d++)
                        {
                            for (int v = 1; v <= scope.Vpasids; v++)
                            {
                                for (int s = 0; s < slots; s++)
                                {
                                    ops.Add(new VpasidAttach(vm, d, v, s));
                                }
                            }
                        }
                    }

                    break;
            }
        }

        return ops.ToImmutable();
    }

    private static IEnumerable<DomainRef> DomainRefs(int slots)
    {
        yield return DomainRef.Blocked;
        yield return DomainRef.Identity;
        for (int s = 0; s < slots; s++)
        {
            yield return DomainRef.Slot(s);
        }
    }
}
