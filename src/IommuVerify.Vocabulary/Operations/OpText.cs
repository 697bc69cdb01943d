using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Vocabulary.Operations;

/// <summary>The text form of operations and results: <c>attach_pasid dev=gpu pasid=1 domain=d0</c>.</summary>
/// <remarks>Syntax in spec/trace-format.md. Arguments are <c>key=value</c> words in any order.</remarks>
public static class OpText
{
    private static readonly (string Name, OpCode Code, string[] Keys)[] Table =
    [
        ("alloc_domain", OpCode.AllocDomain, ["dev", "kind", "flags", "parent"]),
        ("free_domain", OpCode.FreeDomain, ["domain"]),
        ("attach_rid", OpCode.AttachRid, ["dev", "domain"]),
        ("replace_rid", OpCode.ReplaceRid, ["dev", "domain"]),
        ("detach_rid", OpCode.DetachRid, ["dev"]),
        ("attach_pasid", OpCode.AttachPasid, ["dev", "pasid", "domain"]),
        ("replace_pasid", OpCode.ReplacePasid, ["dev", "pasid", "domain"]),
        ("detach_pasid", OpCode.DetachPasid, ["dev", "pasid"]),
        ("sva_bind", OpCode.SvaBind, ["dev", "mm"]),
        ("sva_unbind", OpCode.SvaUnbind, ["dev", "mm"]),
        ("map", OpCode.Map, ["domain", "iova", "pa", "perm"]),
        ("unmap", OpCode.Unmap, ["domain", "iova"]),
        ("invalidate", OpCode.Invalidate, ["scope"]),
        ("translate", OpCode.Translate, ["dev", "pasid", "iova", "access"]),
        ("vpasid_alloc", OpCode.VpasidAlloc, ["vm", "vpasid"]),
        ("vpasid_free", OpCode.VpasidFree, ["vm", "vpasid"]),
        ("vpasid_attach", OpCode.VpasidAttach, ["vm", "dev", "vpasid", "domain"]),
    ];

    /// <summary>Every operation name, in spec order.</summary>
    public static readonly ImmutableArray<string> Names = Table.Select(t => t.Name).ToImmutableArray();

    /// <summary>The trace name of an operation code.</summary>
    public static string Name(OpCode code) => Table[(int)code].Name;

    /// <summary>Looks up an operation code by its trace name.</summary>
    public static bool TryCode(string name, out OpCode code)
    {
        foreach (var t in Table)
        {
            if (t.Name == name)
            {
                code = t.Code;
                return true;
            }
        }

        code = default;
        return false;
    }

    /// <summary>Renders an operation; with no scope, devices, mms and VMs are shown as <c>dev0</c>, <c>mm0</c>, <c>vm0</c>.</summary>
    public static string Render(Op op, Scope? scope)
    {
        string Dev(int i) => scope is not null && i >= 0 && i < scope.Devices.Length ? scope.Devices[i].Name : "dev" + I(i);
        string Mm(int i) => scope is not null && i >= 0 && i < scope.Mms.Length ? scope.Mms[i] : "mm" + I(i);
        string Vm(int i) => scope is not null && i >= 0 && i < scope.Vms.Length ? scope.Vms[i].Name : "vm" + I(i);
        return op switch
        {
            AllocDomain a when a.Kind == DomainKind.Nested => $"alloc_domain dev={Dev(a.Dev)} kind=nested flags={Flags(a.Flags)} parent=d{I(a.Parent)}",
            AllocDomain a => $"alloc_domain dev={Dev(a.Dev)} kind=paging flags={Flags(a.Flags)}",
            FreeDomain f => $"free_domain domain=d{I(f.Slot)}",
            AttachRid a => $"attach_rid dev={Dev(a.Dev)} domain={a.Domain}",
            ReplaceRid r => $"replace_rid dev={Dev(r.Dev)} domain={r.Domain}",
            DetachRid d => $"detach_rid dev={Dev(d.Dev)}",
            AttachPasid a => $"attach_pasid dev={Dev(a.Dev)} pasid={I(a.Pasid)} domain=d{I(a.Slot)}",
            ReplacePasid r => $"replace_pasid dev={Dev(r.Dev)} pasid={I(r.Pasid)} domain=d{I(r.Slot)}",
            DetachPasid d => $"detach_pasid dev={Dev(d.Dev)} pasid={I(d.Pasid)}",
            SvaBind b => $"sva_bind dev={Dev(b.Dev)} mm={Mm(b.Mm)}",
            SvaUnbind u => $"sva_unbind dev={Dev(u.Dev)} mm={Mm(u.Mm)}",
            Map m => $"map domain=d{I(m.Slot)} iova={I(m.Iova)} pa={I(m.Pa)} perm={(m.Perm == Perm.R ? "r" : "rw")}",
            Unmap u => $"unmap domain=d{I(u.Slot)} iova={I(u.Iova)}",
            Invalidate v => $"invalidate scope={(v.Scope == InvalidateScope.Fq ? "fq" : "all")}",
            Translate t => $"translate dev={Dev(t.Dev)} pasid={I(t.Pasid)} iova={I(t.Iova)} access={(t.Access == Access.Read ? "read" : "write")}",
            VpasidAlloc a => $"vpasid_alloc vm={Vm(a.Vm)} vpasid={I(a.Vpasid)}",
            VpasidFree f => $"vpasid_free vm={Vm(f.Vm)} vpasid={I(f.Vpasid)}",
            VpasidAttach a => $"vpasid_attach vm={Vm(a.Vm)} dev={Dev(a.Dev)} vpasid={I(a.Vpasid)} domain=d{I(a.Slot)}",
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    /// <summary>Renders allocation flags: <c>none</c> or names joined by <c>|</c>.</summary>
    public static string Flags(AllocFlags f)
    {
        if (f == AllocFlags.None)
        {
            return "none";
        }

        var parts = new List<string>();
        foreach (var (name, flag) in ModelLoader.FlagNames)
        {
            if ((f & flag) != 0)
            {
                parts.Add(name);
            }
        }

        return string.Join("|", parts);
    }

    /// <summary>Renders a set of allowed results, alternatives joined by <c> | </c>.</summary>
    public static string RenderResults(IEnumerable<Result> results, bool valueIsDomain) =>
        string.Join(" | ", results.Select(r => r.Render(valueIsDomain)));

    /// <summary>Parses one operation. <paramref name="column"/> is the column of <paramref name="text"/>'s first character.</summary>
    public static Op Parse(string text, Scope scope, string file, int line, int column)
    {
        var words = Words(text, column);
        if (words.Count == 0)
        {
            throw new InputError(file, line, column, "expected an operation");
        }

        var (opName, opCol) = words[0];
        if (!TryCode(opName, out var code))
        {
            throw new InputError(file, line, opCol, $"unknown operation \"{opName}\"; expected one of: {string.Join(", ", Names)}");
        }

        var keys = Table[(int)code].Keys;
        var args = new Dictionary<string, (string Value, int Col)>(StringComparer.Ordinal);
        foreach (var (w, c) in words.Skip(1))
        {
            int eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new InputError(file, line, c, $"expected key=value, found \"{w}\"");
            }

            string k = w[..eq];
            if (Array.IndexOf(keys, k) < 0)
            {
                throw new InputError(file, line, c, $"{opName} has no argument \"{k}\"; it takes: {string.Join(", ", keys)}");
            }

            if (!args.TryAdd(k, (w[(eq + 1)..], c + eq + 1)))
            {
                throw new InputError(file, line, c, $"argument \"{k}\" given twice");
            }
        }

        var p = new ArgParser(scope, file, line, column, opName, args);
        return code switch
        {
            OpCode.AllocDomain => p.Alloc(),
            OpCode.FreeDomain => new FreeDomain(p.Slot("domain")),
            OpCode.AttachRid => new AttachRid(p.Dev("dev"), p.Domain("domain")),
            OpCode.ReplaceRid => new ReplaceRid(p.Dev("dev"), p.Domain("domain")),
            OpCode.DetachRid => new DetachRid(p.Dev("dev")),
            OpCode.AttachPasid => new AttachPasid(p.Dev("dev"), p.Num("pasid", 0, scope.Pasids), p.Slot("domain")),
            OpCode.ReplacePasid => new ReplacePasid(p.Dev("dev"), p.Num("pasid", 0, scope.Pasids), p.Slot("domain")),
            OpCode.DetachPasid => new DetachPasid(p.Dev("dev"), p.Num("pasid", 0, scope.Pasids)),
            OpCode.SvaBind => new SvaBind(p.Dev("dev"), p.Named("mm", scope.Mms)),
            OpCode.SvaUnbind => new SvaUnbind(p.Dev("dev"), p.Named("mm", scope.Mms)),
            OpCode.Map => new Map(p.Slot("domain"), p.Num("iova", 0, scope.IovaPages - 1), p.Num("pa", 0, scope.PhysPages - 1), p.Perm()),
            OpCode.Unmap => new Unmap(p.Slot("domain"), p.Num("iova", 0, scope.IovaPages - 1)),
            OpCode.Invalidate => new Invalidate(p.InvScope()),
            OpCode.Translate => new Translate(p.Dev("dev"), p.Num("pasid", 0, scope.Pasids), p.Num("iova", 0, scope.IovaPages - 1), p.AccessArg()),
            OpCode.VpasidAlloc => new VpasidAlloc(p.Named("vm", scope.Vms.Select(v => v.Name).ToImmutableArray()), p.Num("vpasid", 1, scope.Vpasids)),
            OpCode.VpasidFree => new VpasidFree(p.Named("vm", scope.Vms.Select(v => v.Name).ToImmutableArray()), p.Num("vpasid", 1, scope.Vpasids)),
            _ => new VpasidAttach(p.Named("vm", scope.Vms.Select(v => v.Name).ToImmutableArray()), p.Dev("dev"), p.Num("vpasid", 1, scope.Vpasids), p.Slot("domain")),
        };
    }

    /// <summary>Parses a result, or alternatives joined by <c>|</c>.</summary>
    public static ImmutableArray<Result> ParseResults(string text, string file, int line, int column)
    {
        var list = ImmutableArray.CreateBuilder<Result>();
        int offset = 0;
        foreach (string part in text.Split('|'))
        {
            int lead = part.Length - part.TrimStart().Length;
            list.Add(ParseResult(part.Trim(), file, line, column + offset + lead));
            offset += part.Length + 1;
        }

        return list.ToImmutable();
    }

    private static Result ParseResult(string text, string file, int line, int col)
    {
        var w = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length == 0)
        {
            throw new InputError(file, line, col, "missing expected result after \"->\"");
        }

        string bad = $"bad result \"{text}\": expected ok, ok dN, ok N, an errno ({string.Join(", ", Enum.GetNames<Errno>())}), pa N or fault REASON";
        if (w[0] == "ok" && w.Length == 1)
        {
            return Result.Ok;
        }

        if (w[0] == "ok" && w.Length == 2)
        {
            if (w[1].StartsWith('d') && TryNat(w[1][1..], out int d))
            {
                return Result.OkDomain(d);
            }

            if (TryNat(w[1], out int v))
            {
                return Result.OkWith(v);
            }
        }

        if (w[0] == "pa" && w.Length == 2 && TryNat(w[1], out int pa))
        {
            return Result.Pa(pa);
        }

        if (w[0] == "fault" && w.Length == 2)
        {
            return FaultNames.TryParse(w[1], out var r)
                ? Result.Fault(r)
                : throw new InputError(file, line, col, $"unknown fault reason \"{w[1]}\"; expected one of: {string.Join(", ", Enum.GetValues<FaultReason>().Select(FaultNames.Name))}");
        }

        if (w.Length == 1 && Enum.TryParse<Errno>(w[0], false, out var e) && Enum.IsDefined(e) && !char.IsDigit(w[0][0]))
        {
            return Result.Err(e);
        }

        throw new InputError(file, line, col, bad);
    }

    private static bool TryNat(string s, out int v) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static List<(string Word, int Col)> Words(string text, int column)
    {
        var list = new List<(string, int)>();
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            int start = i;
            var sb = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                sb.Append(text[i++]);
            }

            if (sb.Length > 0)
            {
                list.Add((sb.ToString(), column + start));
            }
        }

        return list;
    }

    private sealed class ArgParser(Scope scope, string file, int line, int column, string op, Dictionary<string, (string Value, int Col)> args)
    {
        private (string Value, int Col) Get(string key) =>
            args.TryGetValue(key, out var v) ? v : throw new InputError(file, line, column, $"{op} is missing the argument \"{key}\"");

        private InputError Bad(int col, string problem) => new(file, line, col, problem);

        public int Dev(string key)
        {
            var (v, c) = Get(key);
            int i = scope.DeviceIndex(v);
            return i >= 0 ? i : throw Bad(c, $"unknown device \"{v}\"; scope \"{scope.Name}\" has: {string.Join(", ", scope.Devices.Select(d => d.Name))}");
        }

        public int Named(string key, ImmutableArray<string> names)
        {
            var (v, c) = Get(key);
            int i = names.IndexOf(v);
            return i >= 0 ? i : throw Bad(c, $"unknown {key} \"{v}\"; scope \"{scope.Name}\" has: {(names.IsEmpty ? "none" : string.Join(", ", names))}");
        }

        public int Num(string key, int min, int max)
        {
            var (v, c) = Get(key);
            if (!TryNat(v, out int n))
            {
                throw Bad(c, $"\"{key}\" must be a whole number, found \"{v}\"");
            }

            return n >= min && n <= max ? n : throw Bad(c, $"{key} {n} is out of range: scope \"{scope.Name}\" allows {min} to {max}");
        }

        public int Slot(string key)
        {
            var (v, c) = Get(key);
            if (!DomainRef.TryParse(v, out var d) || !d.IsSlot)
            {
                throw Bad(c, $"\"{key}\" must name a domain slot dN, found \"{v}\"");
            }

            return d.Value < scope.DomainSlots ? d.Value : throw Bad(c, $"domain slot d{d.Value} is out of range: scope \"{scope.Name}\" has d0 to d{scope.DomainSlots - 1}");
        }

        public DomainRef Domain(string key)
        {
            var (v, c) = Get(key);
            if (!DomainRef.TryParse(v, out var d))
            {
                throw Bad(c, $"\"{key}\" must be blocked, identity or dN, found \"{v}\"");
            }

            return !d.IsSlot || d.Value < scope.DomainSlots ? d : throw Bad(c, $"domain slot d{d.Value} is out of range: scope \"{scope.Name}\" has d0 to d{scope.DomainSlots - 1}");
        }

        public AllocDomain Alloc()
        {
            int dev = Dev("dev");
            var (k, kc) = Get("kind");
            var flags = AllocFlags.None;
            if (args.TryGetValue("flags", out var fv) && fv.Value != "none")
            {
                foreach (string f in fv.Value.Split('|'))
                {
                    flags |= ModelLoader.FlagNames.TryGetValue(f, out var fl)
                        ? fl
                        : throw Bad(fv.Col, $"unknown flag \"{f}\"; expected none or a |-list of: {string.Join(", ", ModelLoader.FlagNames.Keys)}");
                }
            }

            switch (k)
            {
                case "paging":
                    return args.TryGetValue("parent", out var pv)
                        ? throw Bad(pv.Col, "\"parent\" is only for kind=nested")
                        : new AllocDomain(dev, DomainKind.Paging, flags, -1);
                case "nested":
                    return new AllocDomain(dev, DomainKind.Nested, flags, Slot("parent"));
                default:
                    throw Bad(kc, $"\"kind\" must be paging or nested, found \"{k}\" (SVA domains come from sva_bind)");
            }
        }

        public Perm Perm()
        {
            var (v, c) = Get("perm");
            return v switch
            {
                "r" => Operations.Perm.R,
                "rw" => Operations.Perm.RW,
                _ => throw Bad(c, $"\"perm\" must be r or rw, found \"{v}\""),
            };
        }

        public Access AccessArg()
        {
            var (v, c) = Get("access");
            return v switch
            {
                "read" => Access.Read,
                "write" => Access.Write,
                _ => throw Bad(c, $"\"access\" must be read or write, found \"{v}\""),
            };
        }

        public InvalidateScope InvScope()
        {
            var (v, c) = Get("scope");
            return v switch
            {
                "fq" => InvalidateScope.Fq,
                "all" => InvalidateScope.All,
                _ => throw Bad(c, $"\"scope\" must be fq or all, found \"{v}\""),
            };
        }
    }
}
