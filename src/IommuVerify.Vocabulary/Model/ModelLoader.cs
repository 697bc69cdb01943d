using System.Collections.Immutable;
using IommuVerify.Vocabulary.Json;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Vocabulary.Model;

/// <summary>Reads and validates model files (schema: models/README.md).</summary>
public static class ModelLoader
{
    /// <summary>The largest number of any scoped object, to keep checks bounded.</summary>
    public const int MaxCount = 16;

    private static readonly Dictionary<string, ModelKind> Kinds = new() { ["mainline"] = ModelKind.Mainline, ["proposal"] = ModelKind.Proposal };
    private static readonly Dictionary<string, string> Platforms = new() { ["intel-vtd"] = "intel-vtd", ["amd-vi"] = "amd-vi", ["arm-smmuv3"] = "arm-smmuv3" };
    private static readonly Dictionary<string, PagingPasid> PagingPasids = new() { ["always"] = PagingPasid.Always, ["flag"] = PagingPasid.Flag, ["never"] = PagingPasid.Never };
    private static readonly Dictionary<string, SvaOnRid> SvaOnRids = new() { ["refused"] = SvaOnRid.Refused, ["allowed"] = SvaOnRid.Allowed, ["unchecked"] = SvaOnRid.Unchecked };
    private static readonly Dictionary<string, IotlbTag> Tags = new() { ["domain"] = IotlbTag.Domain, ["domain+pasid"] = IotlbTag.DomainPasid, ["rid-domain+pasid"] = IotlbTag.RidDomainPasid };
    private static readonly Dictionary<string, DidAlloc> Dids = new() { ["per-domain"] = DidAlloc.PerDomain, ["per-device"] = DidAlloc.PerDevice };
    private static readonly Dictionary<string, UnmapFlush> Flushes = new() { ["all-tags"] = UnmapFlush.AllTags, ["rid-tag-only"] = UnmapFlush.RidTagOnly };
    private static readonly Dictionary<string, InvalidationMode> Modes = new() { ["strict"] = InvalidationMode.Strict, ["deferred"] = InvalidationMode.Deferred };
    private static readonly Dictionary<string, VpasidScheme> Schemes = new() { ["none"] = VpasidScheme.None, ["identity"] = VpasidScheme.Identity, ["allocated"] = VpasidScheme.Allocated };
    private static readonly Dictionary<string, Assignment> Assigns = new() { ["passthrough"] = Assignment.Passthrough, ["mdev"] = Assignment.Mdev };
    private static readonly Dictionary<string, Expectation> Expects = new() { ["holds"] = Expectation.Holds, ["violated"] = Expectation.Violated };
    private static readonly Dictionary<string, DomainKind> AllocKinds = new() { ["paging"] = DomainKind.Paging, ["nested"] = DomainKind.Nested };

    /// <summary>The flag spellings of model files and traces.</summary>
    public static readonly IReadOnlyDictionary<string, AllocFlags> FlagNames = new Dictionary<string, AllocFlags>
    {
        ["pasid"] = AllocFlags.Pasid,
        ["nest_parent"] = AllocFlags.NestParent,
        ["dirty"] = AllocFlags.DirtyTracking,
    };

    /// <summary>Loads a model file from disk; throws <see cref="InputError"/> on any problem.</summary>
    public static ModelFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputError(path, "no such model file");
        }

        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Parses model-file text.</summary>
    public static ModelFile Parse(string path, string text)
    {
        var root = new ObjectReader(path, JsonReader.Parse(path, text), "the model file");
        string name = root.String("name");
        string description = root.String("description", "");
        var kind = root.Choice("kind", Kinds);
        string platform = root.Choice("platform", Platforms);
        var sources = root.OptionalArray("sources").Select(n => root.AsString(n, "sources")).ToImmutableArray();
        var policy = ReadPolicy(path, root.Required("policy"));
        var scopesNode = new ObjectReader(path, root.Required("scopes"), "\"scopes\"");
        var scopes = ImmutableDictionary.CreateBuilder<string, Scope>(StringComparer.Ordinal);
        foreach (var m in scopesNode.Node.Members)
        {
            scopesNode.Optional(m.Name);
            scopes[m.Name] = ReadScope(path, m.Name, m.Value);
        }

        if (!scopes.ContainsKey(ModelFile.StandardScope))
        {
            throw new InputError(path, scopesNode.Node.Line, scopesNode.Node.Column, "\"scopes\" must contain a scope named \"standard\"");
        }

        var expectNode = new ObjectReader(path, root.Required("expect"), "\"expect\"");
        var expect = ImmutableDictionary.CreateBuilder<string, Expectation>(StringComparer.Ordinal);
        foreach (var id in InvariantIds.All)
        {
            expect[id] = expectNode.Choice(id, Expects);
        }

        expectNode.RejectUnknown();
        var lemmas = root.OptionalArray("lemmas");
        root.RejectUnknown();
        return new ModelFile(path, name, description, kind, platform, sources, policy, scopes.ToImmutable(), expect.ToImmutable(), lemmas);
    }

    private static Policy ReadPolicy(string path, JsonNode node)
    {
        var p = new ObjectReader(path, node, "\"policy\"");
        var pagingPasid = p.Choice("paging_pasid", PagingPasids);
        bool split = p.Bool("split_formats", false);
        bool dirty = p.Bool("dirty_blocks_pasid", false);
        bool nest = p.Bool("nest_parent_blocks_pasid", false);
        var svaRid = p.Choice("sva_on_rid", SvaOnRids);
        var tag = p.Choice("iotlb_tag", Tags);
        var did = p.Choice("did", Dids, DidAlloc.PerDomain);
        bool shared = p.Bool("sva_shared_did", false);
        var unmap = p.Choice("unmap_flush", Flushes);
        bool devtlb = p.Bool("devtlb_flush", true);
        bool onDetach = p.Bool("flush_on_detach", true);
        var mode = p.Choice("invalidation", Modes);
        bool reuse = p.Bool("fq_iova_reuse", false);
        var scheme = VpasidScheme.None;
        bool ptCheck = true;
        var vp = p.Optional("vpasid");
        if (vp is not null)
        {
            var v = new ObjectReader(path, vp, "\"vpasid\"");
            scheme = v.Choice("scheme", Schemes);
            ptCheck = v.Bool("passthrough_check", true);
            v.RejectUnknown();
        }

        p.RejectUnknown();
        return new Policy(pagingPasid, split, dirty, nest, svaRid, tag, did, shared, unmap, devtlb, onDetach, mode, reuse, scheme, ptCheck);
    }

    private static Scope ReadScope(string path, string name, JsonNode node)
    {
        var s = new ObjectReader(path, node, $"scope \"{name}\"");
        var devNodes = s.Array("devices");
        if (devNodes.Length is 0 or > MaxCount)
        {
            throw s.ErrorAt(s.Required("devices"), $"\"devices\" must list 1 to {MaxCount} devices");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var groups = new List<string>();
        var raw = new List<(ObjectReader R, string Name, string Rid, string Group, JsonNode? VfOf)>();
        foreach (var dn in devNodes)
        {
            var d = new ObjectReader(path, dn, "a device");
            string dname = d.String("name");
            if (!names.TryAdd(dname, names.Count))
            {
                throw d.ErrorAt(d.Required("name"), $"duplicate device \"{dname}\"");
            }

            string rid = d.String("rid", "");
            string group = d.String("group", dname);
            if (!groups.Contains(group))
            {
                groups.Add(group);
            }

            raw.Add((d, dname, rid, group, d.Optional("vf_of")));
        }

        var rids = new HashSet<string>(StringComparer.Ordinal);
        var devices = ImmutableArray.CreateBuilder<DeviceSpec>();
        foreach (var (d, dname, rid, group, vfOf) in raw)
        {
            if (rid.Length > 0 && !rids.Add(rid))
            {
                throw d.ErrorAt(d.Required("rid"), $"duplicate RID \"{rid}\": two devices cannot share a requester ID");
            }

            int pf = -1;
            if (vfOf is not null)
            {
                string pfName = d.AsString(vfOf, "vf_of");
                if (!names.TryGetValue(pfName, out pf) || pfName == dname)
                {
                    throw d.ErrorAt(vfOf, $"\"vf_of\" names \"{pfName}\", which is not another device of this scope");
                }

                if (raw[pf].VfOf is not null)
                {
                    throw d.ErrorAt(vfOf, $"\"vf_of\" names \"{pfName}\", which is itself a VF");
                }

                foreach (var own in new[] { "pasid", "max_pasids" })
                {
                    var n = d.Optional(own);
                    if (n is not null)
                    {
                        throw d.ErrorAt(n, $"a VF has no PASID capability of its own: remove \"{own}\" (it follows its PF)");
                    }
                }
            }

            bool pasid = d.Bool("pasid", false);
            int max = d.Int("max_pasids", 0, 1 << 20, pasid ? 1 << 20 : 0);
            if (pasid && max < 2)
            {
                throw d.ErrorAt(d.Required("max_pasids"), "a PASID-capable device needs \"max_pasids\" of at least 2 (PASID 0 is the RID)");
            }

            bool ats = d.Bool("ats", false);
            d.RejectUnknown();
            devices.Add(new DeviceSpec(dname, rid, groups.IndexOf(group), pf, pasid, pasid ? max : 0, ats));
        }

        int slots = s.Int("domain_slots", 1, MaxCount);
        int pasids = s.Int("pasids", 0, MaxCount);
        int iova = s.Int("iova_pages", 1, MaxCount);
        int phys = s.Int("phys_pages", 1, MaxCount);
        var mms = s.OptionalArray("mms").Select(n => s.AsString(n, "mms")).ToImmutableArray();
        if (mms.Length > MaxCount || mms.Distinct().Count() != mms.Length)
        {
            throw s.ErrorAt(s.Required("mms"), $"\"mms\" must be at most {MaxCount} distinct names");
        }

        var vms = ImmutableArray.CreateBuilder<VmSpec>();
        var assigned = new HashSet<int>();
        foreach (var vn in s.OptionalArray("vms"))
        {
            var v = new ObjectReader(path, vn, "a VM");
            string vname = v.String("name");
            if (vms.Any(x => x.Name == vname))
            {
                throw v.ErrorAt(v.Required("name"), $"duplicate VM \"{vname}\"");
            }

            var vdevs = ImmutableArray.CreateBuilder<VmDevice>();
            foreach (var an in v.Array("devices"))
            {
                var a = new ObjectReader(path, an, "a VM device");
                string devName = a.String("device");
                if (!names.TryGetValue(devName, out int di))
                {
                    throw a.ErrorAt(a.Required("device"), $"VM \"{vname}\" names device \"{devName}\", which this scope does not have");
                }

                if (!assigned.Add(di))
                {
                    throw a.ErrorAt(a.Required("device"), $"device \"{devName}\" is assigned to more than one VM");
                }

                vdevs.Add(new VmDevice(di, a.Choice("assign", Assigns)));
                a.RejectUnknown();
            }

            v.RejectUnknown();
            vms.Add(new VmSpec(vname, vdevs.ToImmutable()));
        }

        int vpasids = s.Int("vpasids", 0, MaxCount, 0);
        var allocs = ImmutableArray.CreateBuilder<AllocChoice>();
        foreach (var an in s.OptionalArray("alloc"))
        {
            var a = new ObjectReader(path, an, "an allocation choice");
            var k = a.Choice("kind", AllocKinds);
            var flags = AllocFlags.None;
            foreach (var f in a.OptionalArray("flags"))
            {
                flags |= a.AsChoice(f, "flags", FlagNames);
            }

            a.RejectUnknown();
            allocs.Add(new AllocChoice(k, flags));
        }

        if (allocs.Count == 0)
        {
            allocs.Add(new AllocChoice(DomainKind.Paging, AllocFlags.None));
        }

        var ops = ImmutableHashSet.CreateBuilder<OpCode>();
        var opsNode = s.Optional("ops");
        if (opsNode is null)
        {
            ops.UnionWith(Enum.GetValues<OpCode>());
        }
        else
        {
            foreach (var on in s.OptionalArray("ops"))
            {
                string opName = s.AsString(on, "ops");
                if (!OpText.TryCode(opName, out var code))
                {
                    throw s.ErrorAt(on, $"unknown operation \"{opName}\"; expected one of: {string.Join(", ", OpText.Names)}");
                }

                ops.Add(code);
            }
        }

        s.RejectUnknown();
        return new Scope(name, devices.ToImmutable(), groups.ToImmutableArray(), slots, pasids, iova, phys, mms, vms.ToImmutable(), vpasids, allocs.ToImmutable(), ops.ToImmutable());
    }
}
