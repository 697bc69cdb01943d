using System.Collections.Immutable;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Vocabulary.Model;

/// <summary>How a device is given to a VM.</summary>
public enum Assignment
{
    /// <summary>A whole PCI function passed through: the guest programs PASIDs into it directly.</summary>
    Passthrough,
    /// <summary>A mediated device: the host translates vPASID to pPASID on the way.</summary>
    Mdev,
}

/// <summary>One PCI function of the platform.</summary>
/// <param name="Name">The name used in traces.</param>
/// <param name="Rid">Bus:dev.fn, informational.</param>
/// <param name="Group">Index of its IOMMU group.</param>
/// <param name="Pf">Index of its PF when this is a VF, else -1.</param>
/// <param name="PasidCapable">The device's own PASID capability (a VF has none of its own).</param>
/// <param name="MaxPasids">The device's PASID width as a count: valid PASIDs are below it.</param>
/// <param name="Ats">True when the device has a device TLB (ATS).</param>
public sealed record DeviceSpec(string Name, string Rid, int Group, int Pf, bool PasidCapable, int MaxPasids, bool Ats);

/// <summary>A device given to a VM.</summary>
/// <param name="Dev">The device index.</param>
/// <param name="Assign">Pass-through or mediated.</param>
public sealed record VmDevice(int Dev, Assignment Assign);

/// <summary>A guest VM with its vPASID table.</summary>
/// <param name="Name">The name used in traces.</param>
/// <param name="Devices">Devices assigned to it.</param>
public sealed record VmSpec(string Name, ImmutableArray<VmDevice> Devices);

/// <summary>A domain allocation the checkers try: a kind and flags (nested domains take every parent).</summary>
/// <param name="Kind">Paging or nested.</param>
/// <param name="Flags">Allocation flags.</param>
public sealed record AllocChoice(DomainKind Kind, AllocFlags Flags);

/// <summary>The bounded world a check explores: the devices and how many of each other object exist.</summary>
/// <remarks>Spec section "Scope" (spec/objects.md). PASIDs are numbered 1..Pasids; 0 is the RID (IOMMU_NO_PASID).</remarks>
public sealed record Scope(
    string Name,
    ImmutableArray<DeviceSpec> Devices,
    ImmutableArray<string> Groups,
    int DomainSlots,
    int Pasids,
    int IovaPages,
    int PhysPages,
    ImmutableArray<string> Mms,
    ImmutableArray<VmSpec> Vms,
    int Vpasids,
    ImmutableArray<AllocChoice> Allocs,
    ImmutableHashSet<OpCode> Ops)
{
    /// <summary>The PASID width a device really has: a VF follows its PF; 0 when it has no PASID support.</summary>
    /// <remarks>Rule DEV-VF-1 (drivers/pci/ats.c pci_max_pasids uses the PF for a VF).</remarks>
    public int EffectiveMaxPasids(int dev)
    {
        var d = Devices[dev];
        var src = d.Pf >= 0 ? Devices[d.Pf] : d;
        return src.PasidCapable ? src.MaxPasids : 0;
    }

    /// <summary>The devices of a group, in scope order.</summary>
    public IEnumerable<int> GroupDevices(int group)
    {
        for (int i = 0; i < Devices.Length; i++)
        {
            if (Devices[i].Group == group)
            {
                yield return i;
            }
        }
    }

    /// <summary>Finds a device by name; -1 if none.</summary>
    public int DeviceIndex(string name)
    {
        for (int i = 0; i < Devices.Length; i++)
        {
            if (Devices[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The VM a device is assigned to and how, or null.</summary>
    public (int Vm, Assignment Assign)? VmOf(int dev)
    {
        for (int v = 0; v < Vms.Length; v++)
        {
            foreach (var d in Vms[v].Devices)
            {
                if (d.Dev == dev)
                {
                    return (v, d.Assign);
                }
            }
        }

        return null;
    }
}
