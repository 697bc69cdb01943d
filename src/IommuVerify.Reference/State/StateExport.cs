using System.Text.Json.Nodes;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference.State;

/// <summary>Turns a state into ITF variables (JSON records, maps and sets) for the JSON trace form.</summary>
public static class StateExport
{
    /// <summary>The names of the exported variables, in order.</summary>
    public static readonly string[] Vars = ["domains", "rid_domain", "pasid_domain", "mm_pasid", "sva_users", "pasid_owner", "vpasid_table", "iotlb", "devtlb", "flush_queue"];

    /// <summary>The ITF variables of a state.</summary>
    public static JsonObject Export(ReferenceModel m, IommuState s)
    {
        var sc = m.Scope;
        var L = m.L;
        var domains = new JsonObject();
        for (int d = 0; d < L.Slots; d++)
        {
            if (s.DomKind[d] == 0)
            {
                continue;
            }

            var ptes = new JsonArray();
            for (int i = 0; i < L.Iovas; i++)
            {
                int p = s.Ptes[L.Pte(d, i)];
                if (p != 0)
                {
                    ptes.Add(new JsonArray(i, Pte.Pa(p), Pte.Writable(p) ? "rw" : "r"));
                }
            }

            domains["d" + d] = new JsonObject
            {
                ["kind"] = ((DomainKind)s.DomKind[d]).ToString().ToLowerInvariant(),
                ["flags"] = OpText.Flags((AllocFlags)s.DomFlags[d]),
                ["format"] = ((PageFormat)s.DomFormat[d]).ToString().ToLowerInvariant(),
                ["mm"] = s.DomMm[d] >= 0 ? sc.Mms[s.DomMm[d]] : null,
                ["parent"] = s.DomParent[d] >= 0 ? "d" + s.DomParent[d] : null,
                ["users"] = s.DomUsers[d],
                ["ptes"] = new JsonObject { ["#set"] = ptes },
            };
        }

        var rid = new JsonObject();
        var pasid = new JsonArray();
        for (int g = 0; g < L.Groups; g++)
        {
            rid[sc.Groups[g]] = new DomainRef(s.RidDomain[g]).ToString();
            for (int p = 1; p < L.PasidRow; p++)
            {
                int d = s.PasidDomain[L.GroupPasid(g, p)];
                if (d >= 0)
                {
                    pasid.Add(new JsonArray(new JsonArray(sc.Groups[g], p), "d" + d));
                }
            }
        }

        var mmPasid = new JsonObject();
        for (int mm = 0; mm < L.Mms; mm++)
        {
            mmPasid[sc.Mms[mm]] = s.MmPasid[mm];
        }

        var users = new JsonArray();
        for (int dev = 0; dev < L.Devices; dev++)
        {
            for (int mm = 0; mm < L.Mms; mm++)
            {
                int u = s.SvaUsers[L.DevMm(dev, mm)];
                if (u > 0)
                {
                    users.Add(new JsonArray(new JsonArray(sc.Devices[dev].Name, sc.Mms[mm]), u));
                }
            }
        }

        var owner = new JsonArray();
        for (int p = 1; p < L.PasidRow; p++)
        {
            int o = s.PasidOwner[p];
            if (o != 0)
            {
                owner.Add(new JsonArray(p, o >= Layout.VmOwnerBase ? sc.Vms[o - Layout.VmOwnerBase].Name : sc.Mms[o - 1]));
            }
        }

        var vtab = new JsonArray();
        for (int vm = 0; vm < L.Vms; vm++)
        {
            for (int vp = 1; vp < L.VpasidRow; vp++)
            {
                int pp = s.VpasidTable[L.VmVpasid(vm, vp)];
                if (pp != 0)
                {
                    vtab.Add(new JsonArray(new JsonArray(sc.Vms[vm].Name, vp), pp));
                }
            }
        }

        var iotlb = new JsonArray();
        foreach (long e in s.Iotlb)
        {
            int tag = Entry.IotlbTag(e), pte = Entry.PteOf(e);
            iotlb.Add(new JsonObject { ["did"] = Tag.Did(tag), ["pasid"] = Tag.Pasid(tag), ["iova"] = Entry.Iova(e), ["pa"] = Pte.Pa(pte), ["perm"] = Pte.Writable(pte) ? "rw" : "r" });
        }

        var devtlb = new JsonArray();
        foreach (long e in s.DevTlb)
        {
            int pte = Entry.PteOf(e);
            devtlb.Add(new JsonObject { ["dev"] = sc.Devices[Entry.Dev(e)].Name, ["pasid"] = Entry.DevPasid(e), ["iova"] = Entry.Iova(e), ["pa"] = Pte.Pa(pte), ["perm"] = Pte.Writable(pte) ? "rw" : "r" });
        }

        var fq = new JsonArray();
        foreach (long e in s.FlushQueue)
        {
            fq.Add(new JsonArray("d" + Entry.FqSlot(e), Entry.FqIova(e)));
        }

        return new JsonObject
        {
            ["domains"] = domains,
            ["rid_domain"] = rid,
            ["pasid_domain"] = new JsonObject { ["#map"] = pasid },
            ["mm_pasid"] = mmPasid,
            ["sva_users"] = new JsonObject { ["#map"] = users },
            ["pasid_owner"] = new JsonObject { ["#map"] = owner },
            ["vpasid_table"] = new JsonObject { ["#map"] = vtab },
            ["iotlb"] = new JsonObject { ["#set"] = iotlb },
            ["devtlb"] = new JsonObject { ["#set"] = devtlb },
            ["flush_queue"] = new JsonObject { ["#set"] = fq },
        };
    }
}
