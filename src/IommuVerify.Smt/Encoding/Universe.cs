using System.Globalization;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Smt.Encoding;

/// <summary>The finite value sets the cache arrays range over for one scope: PTE values, IOTLB tags, and their products.</summary>
/// <remarks>Every cached PTE is a walk result, so it is one of <c>Pte.Make(pa, perm)</c> with pa below phys_pages and
/// perm r or rw (SVA-MM-1 and XLATE-3 give rw). Tags are <c>Tag.Make(did, pasid)</c> with the DIDs of TLB-TAG-2:
/// slot+1, the shared SVA DID (only when the policy shares it), and the per-device DIDs (only for per-device DIDs or
/// rid-domain+pasid tags); the PASID part is 0 unless tags carry PASIDs.</remarks>
public sealed class Universe
{
    /// <summary>Builds the universe of a scope.</summary>
    public Universe(Policy policy, Scope scope)
    {
        var l = new Layout(scope);
        Iovas = l.Iovas;
        PasidRow = l.PasidRow;
        Devices = l.Devices;
        Slots = l.Slots;
        for (int pa = 0; pa < scope.PhysPages; pa++)
        {
            PteValues.Add(Pte.Make(pa, 1));
            PteValues.Add(Pte.Make(pa, 3));
        }

        var dids = new List<int>();
        for (int s = 0; s < l.Slots; s++)
        {
            dids.Add(s + 1);
        }

        if (policy.SvaSharedDid)
        {
            dids.Add(Tag.SharedSvaDid);
        }

        if (policy.DidAlloc == DidAlloc.PerDevice || policy.IotlbTag == IotlbTag.RidDomainPasid)
        {
            for (int d = 0; d < l.Devices; d++)
            {
                dids.Add(Tag.PerDeviceDidBase + d);
            }
        }

        int pasidParts = policy.IotlbTag == IotlbTag.Domain ? 1 : l.PasidRow;
        foreach (int did in dids)
        {
            for (int p = 0; p < pasidParts; p++)
            {
                Tags.Add(Tag.Make(did, p));
            }
        }

        for (int d = 0; d < l.Devices; d++)
        {
            if (scope.Devices[d].Ats)
            {
                _atsSlot[d] = AtsDevices.Count;
                AtsDevices.Add(d);
            }
        }
    }

    private readonly Dictionary<int, int> _atsSlot = [];

    /// <summary>The devices with a device TLB (ATS): only they have device-TLB cells (XLATE-9 fills only them).</summary>
    public List<int> AtsDevices { get; } = [];

    /// <summary>Number of IOVA pages.</summary>
    public int Iovas { get; }

    /// <summary>PASIDs per row.</summary>
    public int PasidRow { get; }

    /// <summary>Number of devices.</summary>
    public int Devices { get; }

    /// <summary>Number of slots.</summary>
    public int Slots { get; }

    /// <summary>Every non-zero PTE value.</summary>
    public List<int> PteValues { get; } = [];

    /// <summary>Every IOTLB tag value.</summary>
    public List<int> Tags { get; } = [];

    /// <summary>Size of the IOTLB array.</summary>
    public int IotlbSize => Tags.Count * Iovas * PteValues.Count;

    /// <summary>Size of the device-TLB array.</summary>
    public int DevTlbSize => AtsDevices.Count * PasidRow * Iovas * PteValues.Count;

    /// <summary>Size of the flush-queue array.</summary>
    public int FqSize => Slots * Iovas;

    /// <summary>Index of an IOTLB entry.</summary>
    public int IotlbIndex(int tag, int iova, int pte) => (((Tags.IndexOf(tag) * Iovas) + iova) * PteValues.Count) + PteValues.IndexOf(pte);

    /// <summary>The entry at an IOTLB index.</summary>
    public (int Tag, int Iova, int Pte) IotlbAt(int i) => (Tags[i / (Iovas * PteValues.Count)], i / PteValues.Count % Iovas, PteValues[i % PteValues.Count]);

    /// <summary>Index of a device-TLB entry.</summary>
    public int DevTlbIndex(int dev, int pasid, int iova, int pte) => (((((_atsSlot[dev] * PasidRow) + pasid) * Iovas) + iova) * PteValues.Count) + PteValues.IndexOf(pte);

    /// <summary>The entry at a device-TLB index.</summary>
    public (int Dev, int Pasid, int Iova, int Pte) DevTlbAt(int i)
    {
        int pte = PteValues[i % PteValues.Count];
        i /= PteValues.Count;
        int iova = i % Iovas;
        i /= Iovas;
        return (AtsDevices[i / PasidRow], i % PasidRow, iova, pte);
    }

    /// <summary>Index of a flush-queue entry.</summary>
    public int FqIndex(int slot, int iova) => (slot * Iovas) + iova;

    /// <summary>A readable variable-name suffix for an IOTLB index.</summary>
    public string IotlbName(int i)
    {
        var (tag, iova, pte) = IotlbAt(i);
        return string.Create(CultureInfo.InvariantCulture, $"did{Tag.Did(tag)}_p{Tag.Pasid(tag)}_i{iova}_pte{pte}");
    }

    /// <summary>A readable variable-name suffix for a device-TLB index.</summary>
    public string DevTlbName(int i)
    {
        var (dev, p, iova, pte) = DevTlbAt(i);
        return string.Create(CultureInfo.InvariantCulture, $"dev{dev}_p{p}_i{iova}_pte{pte}");
    }
}
