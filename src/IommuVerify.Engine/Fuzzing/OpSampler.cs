using IommuVerify.Reference;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Engine.Fuzzing;

/// <summary>Picks the next operation of a random trace, biased toward operations that succeed in the current state.</summary>
/// <remarks>Every choice goes through <paramref name="below"/> (a uniform integer below its argument), so the same
/// sampler runs on <see cref="System.Random"/> (the fuzz command) or on an FsCheck-generated choice tape (property tests).
/// Bias: live domain slots, attached PASIDs, mapped IOVAs, free slots for attach, bound mms for unbind; arguments always
/// stay inside the scope, so every operation is a legal trace step.</remarks>
/// <param name="model">The reference model whose scope and state guide the choices.</param>
/// <param name="below">Returns a uniform integer in [0, n) for n &gt; 0.</param>
public sealed class OpSampler(ReferenceModel model, Func<int, int> below)
{
    private static readonly (OpCode Code, int Weight)[] Weights =
    [
        (OpCode.Translate, 30), (OpCode.Map, 12), (OpCode.Unmap, 7), (OpCode.AllocDomain, 7), (OpCode.AttachRid, 7),
        (OpCode.ReplaceRid, 3), (OpCode.DetachRid, 2), (OpCode.AttachPasid, 8), (OpCode.ReplacePasid, 3),
        (OpCode.DetachPasid, 3), (OpCode.FreeDomain, 3), (OpCode.SvaBind, 4), (OpCode.SvaUnbind, 3),
        (OpCode.Invalidate, 2), (OpCode.VpasidAlloc, 3), (OpCode.VpasidFree, 2), (OpCode.VpasidAttach, 4),
    ];

    private Scope S => model.Scope;

    private int Pick(int n) => n <= 1 ? 0 : below(n);

    private bool Chance(int percent) => below(100) < percent;

    private T Any<T>(IReadOnlyList<T> items) => items[Pick(items.Count)];

    /// <summary>The next operation for state <paramref name="s"/>.</summary>
    public Op Next(IommuState s) => NextStep(s).Op;

    /// <summary>The next operation and the reference's step for it.</summary>
    /// <remarks>Rejection sampling toward success: a candidate the reference rejects (an errno or a fault) is kept
    /// with probability 10% (error paths stay covered), otherwise a new candidate is drawn, up to 10 draws.</remarks>
    public (Op Op, StepResult Step) NextStep(IommuState s)
    {
        var codes = Weights.Where(w => S.Ops.Contains(w.Code) && Possible(w.Code)).ToArray();
        int total = codes.Sum(c => c.Weight);
        Op op = null!;
        StepResult step = null!;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            int r = Pick(total);
            var code = codes[^1].Code;
            foreach (var (c, w) in codes)
            {
                if (r < w)
                {
                    code = c;
                    break;
                }

                r -= w;
            }

            op = Make(code, s);
            step = model.Apply(s, op);
            if (step.Primary.IsSuccess || Chance(10))
            {
                break;
            }
        }

        return (op, step);
    }

    private bool Possible(OpCode code) => code switch
    {
        OpCode.SvaBind or OpCode.SvaUnbind => S.Mms.Length > 0,
        OpCode.VpasidAlloc or OpCode.VpasidFree or OpCode.VpasidAttach => S.Vms.Length > 0 && S.Vpasids > 0,
        OpCode.AllocDomain => S.Allocs.Length > 0,
        OpCode.AttachPasid or OpCode.ReplacePasid or OpCode.DetachPasid => S.Pasids > 0,
        _ => true,
    };

    private List<int> Slots(IommuState s, Func<int, bool> ok)
    {
        var list = new List<int>();
        for (int i = 0; i < S.DomainSlots; i++)
        {
            if (ok(i))
            {
                list.Add(i);
            }
        }

        return list;
    }

    private int Slot(IommuState s, Func<int, bool> prefer)
    {
        var live = Slots(s, prefer);
        return live.Count > 0 && Chance(90) ? Any(live) : Pick(S.DomainSlots);
    }

    private int Dev() => Pick(S.Devices.Length);

    private int Pasid(int dev) => 1 + Pick(Math.Max(1, Math.Min(S.Pasids, S.EffectiveMaxPasids(dev) - 1)));

    private int Iova() => Pick(S.IovaPages);

    private Op Make(OpCode code, IommuState s)
    {
        bool Paging(int i) => s.DomKind[i] == (int)DomainKind.Paging;
        bool Live(int i) => s.DomKind[i] != (int)DomainKind.Free;
        bool NonSva(int i) => Live(i) && s.DomKind[i] != (int)DomainKind.Sva;
        switch (code)
        {
            case OpCode.AllocDomain:
            {
                var a = Any(S.Allocs);
                int parent = a.Kind == DomainKind.Nested
                    ? Slot(s, i => Paging(i) && (((AllocFlags)s.DomFlags[i]) & AllocFlags.NestParent) != 0)
                    : -1;
                return new AllocDomain(Dev(), a.Kind, a.Flags, parent);
            }

            case OpCode.FreeDomain:
                return new FreeDomain(Slot(s, NonSva));
            case OpCode.AttachRid:
            {
                var devs = Enumerable.Range(0, S.Devices.Length).Where(d => s.RidDomain[S.Devices[d].Group] == DomainRef.Blocked.Value).ToList();
                int dev = devs.Count > 0 && Chance(90) ? Any(devs) : Dev();
                return new AttachRid(dev, RidTarget(s, NonSva));
            }

            case OpCode.ReplaceRid:
            {
                // replace_rid needs an attached RID (RID-REPLACE-3), so aim at those.
                var devs = Enumerable.Range(0, S.Devices.Length).Where(d => s.RidDomain[S.Devices[d].Group] != DomainRef.Blocked.Value).ToList();
                int dev = devs.Count > 0 && Chance(90) ? Any(devs) : Dev();
                return new ReplaceRid(dev, RidTarget(s, NonSva));
            }
            case OpCode.DetachRid:
                return new DetachRid(Dev());
            case OpCode.AttachPasid:
            {
                int dev = PasidDev();
                int pasid = Pasid(dev);
                for (int i = 0; i < 3 && s.PasidDomain[(S.Devices[dev].Group * (S.Pasids + 1)) + pasid] >= 0; i++)
                {
                    pasid = Pasid(dev);
                }

                return new AttachPasid(dev, pasid, Slot(s, NonSva));
            }

            case OpCode.ReplacePasid:
            {
                var (dev, pasid) = AttachedPasid(s);
                return new ReplacePasid(dev, pasid, Slot(s, NonSva));
            }

            case OpCode.DetachPasid:
            {
                var (dev, pasid) = AttachedPasid(s);
                return new DetachPasid(dev, pasid);
            }

            case OpCode.SvaBind:
                return new SvaBind(PasidDev(), Pick(S.Mms.Length));
            case OpCode.SvaUnbind:
            {
                var bound = new List<(int, int)>();
                for (int d = 0; d < S.Devices.Length; d++)
                {
                    for (int m = 0; m < S.Mms.Length; m++)
                    {
                        if (s.SvaUsers[(d * S.Mms.Length) + m] > 0)
                        {
                            bound.Add((d, m));
                        }
                    }
                }

                var (dv, mm) = bound.Count > 0 && Chance(90) ? Any(bound) : (Dev(), Pick(S.Mms.Length));
                return new SvaUnbind(dv, mm);
            }

            case OpCode.Map:
            {
                int slot = Slot(s, Paging);
                var free = Enumerable.Range(0, S.IovaPages).Where(i => s.Ptes[(slot * S.IovaPages) + i] == 0).ToList();
                int iova = free.Count > 0 && Chance(85) ? Any(free) : Iova();
                return new Map(slot, iova, Pick(S.PhysPages), Chance(70) ? Perm.RW : Perm.R);
            }

            case OpCode.Unmap:
            {
                int slot = Slot(s, Paging);
                var mapped = Enumerable.Range(0, S.IovaPages).Where(i => s.Ptes[(slot * S.IovaPages) + i] != 0).ToList();
                return new Unmap(slot, mapped.Count > 0 && Chance(90) ? Any(mapped) : Iova());
            }

            case OpCode.Invalidate:
                return new Invalidate(Chance(70) ? InvalidateScope.Fq : InvalidateScope.All);
            case OpCode.Translate:
                return TranslateOp(s);
            case OpCode.VpasidAlloc:
            {
                var (vm, vpasid) = Vpasid(s, allocated: false);
                return new VpasidAlloc(vm, vpasid);
            }

            case OpCode.VpasidFree:
            {
                var (vm, vpasid) = Vpasid(s, allocated: true);
                return new VpasidFree(vm, vpasid);
            }

            default:
            {
                var (vm, vpasid) = Vpasid(s, allocated: true);
                var devs = S.Vms[vm].Devices;
                int dev = !devs.IsDefaultOrEmpty && Chance(90) ? devs[Pick(devs.Length)].Dev : Dev();
                return new VpasidAttach(vm, dev, vpasid, Slot(s, NonSva));
            }
        }
    }

    private (int Vm, int Vpasid) Vpasid(IommuState s, bool allocated)
    {
        var list = new List<(int, int)>();
        for (int vm = 0; vm < S.Vms.Length; vm++)
        {
            for (int v = 1; v <= S.Vpasids; v++)
            {
                if ((s.VpasidTable[(vm * (S.Vpasids + 1)) + v] != 0) == allocated)
                {
                    list.Add((vm, v));
                }
            }
        }

        return list.Count > 0 && Chance(90) ? Any(list) : (Pick(S.Vms.Length), 1 + Pick(S.Vpasids));
    }

    private int PasidDev()
    {
        var devs = Enumerable.Range(0, S.Devices.Length).Where(d => S.EffectiveMaxPasids(d) > 1).ToList();
        return devs.Count > 0 && Chance(90) ? Any(devs) : Dev();
    }

    private DomainRef RidTarget(IommuState s, Func<int, bool> live)
    {
        int r = Pick(100);
        if (r < 10)
        {
            return DomainRef.Identity;
        }

        if (r < 15)
        {
            return DomainRef.Blocked;
        }

        return DomainRef.Slot(Slot(s, live));
    }

    private (int Dev, int Pasid) AttachedPasid(IommuState s)
    {
        var attached = AttachedContexts(s);
        if (attached.Count > 0 && Chance(90))
        {
            return Any(attached);
        }

        int dev = PasidDev();
        return (dev, Pasid(dev));
    }

    private List<(int Dev, int Pasid)> AttachedContexts(IommuState s)
    {
        var list = new List<(int, int)>();
        for (int d = 0; d < S.Devices.Length; d++)
        {
            int g = S.Devices[d].Group;
            for (int p = 1; p <= S.Pasids; p++)
            {
                if (s.PasidDomain[(g * (S.Pasids + 1)) + p] >= 0)
                {
                    list.Add((d, p));
                }
            }
        }

        return list;
    }

    private Translate TranslateOp(IommuState s)
    {
        var v = View.Of(s);
        var live = new List<(int Dev, int Pasid)>();
        foreach (var (d, p) in model.Contexts())
        {
            if (model.TableOf(v, d, p) != -1)
            {
                live.Add((d, p));
            }
        }

        var access = Chance(60) ? Access.Read : Access.Write;
        if (live.Count == 0 || !Chance(92))
        {
            return new Translate(Dev(), Pick(S.Pasids + 1), Iova(), access);
        }

        var (dev, pasid) = Any(live);
        var mapped = new List<int>();
        for (int i = 0; i < S.IovaPages; i++)
        {
            if (model.Walk(v, dev, pasid, i).Pte != 0)
            {
                mapped.Add(i);
            }
        }

        int iova = mapped.Count > 0 && Chance(85) ? Any(mapped) : Iova();
        if (mapped.Contains(iova) && access == Access.Write && !Pte.Writable(model.Walk(v, dev, pasid, iova).Pte) && Chance(80))
        {
            access = Access.Read;
        }

        return new Translate(dev, pasid, iova, access);
    }
}
