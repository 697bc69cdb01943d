using System.Collections.Immutable;
using System.Globalization;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Conformance.Protocol;

/// <summary>The set-up lines of the line protocol (spec/protocol.md): policy, scope, devices, mms, VMs, then <c>start</c>.</summary>
public static class ProtocolCodec
{
    /// <summary>The protocol version this build speaks.</summary>
    public const int Version = 1;

    /// <summary>Renders the set-up lines for a policy and scope, ending with <c>start</c>.</summary>
    public static IReadOnlyList<string> Preamble(Policy p, Scope s)
    {
        static string B(bool b) => b ? "1" : "0";
        static string I(int i) => i.ToString(CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"policy paging_pasid={Name(p.PagingPasid)} split_formats={B(p.SplitFormats)} dirty_blocks_pasid={B(p.DirtyBlocksPasid)} " +
            $"nest_parent_blocks_pasid={B(p.NestParentBlocksPasid)} sva_on_rid={Name(p.SvaOnRid)} iotlb_tag={TagName(p.IotlbTag)} " +
            $"did={(p.DidAlloc == DidAlloc.PerDevice ? "per-device" : "per-domain")} sva_shared_did={B(p.SvaSharedDid)} " +
            $"unmap_flush={(p.UnmapFlush == UnmapFlush.AllTags ? "all-tags" : "rid-tag-only")} devtlb_flush={B(p.DevTlbFlush)} " +
            $"flush_on_detach={B(p.FlushOnDetach)} invalidation={Name(p.Invalidation)} fq_iova_reuse={B(p.FqIovaReuse)} " +
            $"vpasid_scheme={Name(p.VpasidScheme)} passthrough_check={B(p.PassthroughCheck)}",
            $"scope slots={I(s.DomainSlots)} pasids={I(s.Pasids)} iova_pages={I(s.IovaPages)} phys_pages={I(s.PhysPages)} vpasids={I(s.Vpasids)}",
        };
        foreach (var d in s.Devices)
        {
            int eff = s.EffectiveMaxPasids(s.DeviceIndex(d.Name));
            lines.Add($"device name={d.Name} group={I(d.Group)} pf={I(d.Pf)} max_pasids={I(eff)} ats={B(d.Ats)}");
        }

        foreach (string mm in s.Mms)
        {
            lines.Add($"mm name={mm}");
        }

        foreach (var vm in s.Vms)
        {
            string devs = string.Join(",", vm.Devices.Select(x => $"{s.Devices[x.Dev].Name}:{(x.Assign == Assignment.Passthrough ? "passthrough" : "mdev")}"));
            lines.Add($"vm name={vm.Name} devices={(devs.Length == 0 ? "-" : devs)}");
        }

        lines.Add("start");
        return lines;
    }

    private static string Name<T>(T e)
        where T : struct, Enum => e.ToString().ToLowerInvariant();

    private static string TagName(IotlbTag t) => t switch
    {
        IotlbTag.Domain => "domain",
        IotlbTag.DomainPasid => "domain+pasid",
        _ => "rid-domain+pasid",
    };

    /// <summary>Reads set-up lines back into a policy and scope (the server side).</summary>
    public static (Policy Policy, Scope Scope) ParsePreamble(IReadOnlyList<string> lines, string source)
    {
        Dictionary<string, string> Kv(string line, int ln)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string w in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                int eq = w.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new InputError(source, ln, 1, $"expected key=value, found \"{w}\"");
                }

                d[w[..eq]] = w[(eq + 1)..];
            }

            return d;
        }

        string Get(Dictionary<string, string> d, string k, int ln) =>
            d.TryGetValue(k, out var v) ? v : throw new InputError(source, ln, 1, $"missing \"{k}\"");
        int Int(Dictionary<string, string> d, string k, int ln) =>
            int.TryParse(Get(d, k, ln), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : throw new InputError(source, ln, 1, $"\"{k}\" must be a number");
        bool Bool(Dictionary<string, string> d, string k, int ln) => Get(d, k, ln) == "1";
        T Enm<T>(Dictionary<string, string> d, string k, int ln)
            where T : struct, Enum
        {
            string v = Get(d, k, ln).Replace("-", "", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal);
            return Enum.TryParse<T>(v, true, out var e) ? e : throw new InputError(source, ln, 1, $"bad \"{k}\"");
        }

        Policy? policy = null;
        int slots = 0, pasids = 0, iova = 0, phys = 0, vpasids = 0;
        var devices = ImmutableArray.CreateBuilder<DeviceSpec>();
        var mms = ImmutableArray.CreateBuilder<string>();
        var vmLines = new List<(Dictionary<string, string> Kv, int Ln)>();
        for (int i = 0; i < lines.Count; i++)
        {
            int ln = i + 1;
            string word = lines[i].Split(' ')[0];
            var kv = Kv(lines[i], ln);
            switch (word)
            {
                case "policy":
                    policy = new Policy(
                        Enm<PagingPasid>(kv, "paging_pasid", ln), Bool(kv, "split_formats", ln), Bool(kv, "dirty_blocks_pasid", ln),
                        Bool(kv, "nest_parent_blocks_pasid", ln), Enm<SvaOnRid>(kv, "sva_on_rid", ln), Enm<IotlbTag>(kv, "iotlb_tag", ln),
                        Enm<DidAlloc>(kv, "did", ln), Bool(kv, "sva_shared_did", ln), Enm<UnmapFlush>(kv, "unmap_flush", ln),
                        Bool(kv, "devtlb_flush", ln), Bool(kv, "flush_on_detach", ln), Enm<InvalidationMode>(kv, "invalidation", ln),
                        Bool(kv, "fq_iova_reuse", ln), Enm<VpasidScheme>(kv, "vpasid_scheme", ln), Bool(kv, "passthrough_check", ln));
                    break;
                case "scope":
                    slots = Int(kv, "slots", ln);
                    pasids = Int(kv, "pasids", ln);
                    iova = Int(kv, "iova_pages", ln);
                    phys = Int(kv, "phys_pages", ln);
                    vpasids = Int(kv, "vpasids", ln);
                    break;
                case "device":
                    int max = Int(kv, "max_pasids", ln);
                    devices.Add(new DeviceSpec(Get(kv, "name", ln), "", Int(kv, "group", ln), -1, max > 0, max, Bool(kv, "ats", ln)));
                    break;
                case "mm":
                    mms.Add(Get(kv, "name", ln));
                    break;
                case "vm":
                    vmLines.Add((kv, ln));
                    break;
                default:
                    throw new InputError(source, ln, 1, $"unknown set-up line \"{word}\"");
            }
        }

        if (policy is null)
        {
            throw new InputError(source, "no \"policy\" line before \"start\"");
        }

        var devs = devices.ToImmutable();
        var vms = ImmutableArray.CreateBuilder<VmSpec>();
        foreach (var (kv, ln) in vmLines)
        {
            var list = ImmutableArray.CreateBuilder<VmDevice>();
            string spec = Get(kv, "devices", ln);
            if (spec != "-")
            {
                foreach (string item in spec.Split(','))
                {
                    var parts = item.Split(':');
                    int di = devs.Select(d => d.Name).ToList().IndexOf(parts[0]);
                    if (parts.Length != 2 || di < 0)
                    {
                        throw new InputError(source, ln, 1, $"bad VM device \"{item}\"");
                    }

                    list.Add(new VmDevice(di, parts[1] == "passthrough" ? Assignment.Passthrough : Assignment.Mdev));
                }
            }

            vms.Add(new VmSpec(Get(kv, "name", ln), list.ToImmutable()));
        }

        int groups = devs.IsEmpty ? 0 : devs.Max(d => d.Group) + 1;
        var scope = new Scope("protocol", devs, Enumerable.Range(0, groups).Select(g => "g" + g.ToString(CultureInfo.InvariantCulture)).ToImmutableArray(),
            slots, pasids, iova, phys, mms.ToImmutable(), vms.ToImmutable(), vpasids,
            [new AllocChoice(DomainKind.Paging, AllocFlags.None)], [.. Enum.GetValues<OpCode>()]);
        return (policy, scope);
    }
}
