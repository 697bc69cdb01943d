using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Reference.State;

/// <summary>Index arithmetic for the flat arrays of <see cref="IommuState"/>, for one scope.</summary>
public sealed class Layout
{
    /// <summary>Owner values at or above this mean "owned by VM (value - base)".</summary>
    public const int VmOwnerBase = 100;

    /// <summary>Builds the layout of a scope.</summary>
    public Layout(Scope scope)
    {
        Scope = scope;
        Slots = scope.DomainSlots;
        Iovas = scope.IovaPages;
        PasidRow = scope.Pasids + 1;
        Devices = scope.Devices.Length;
        Groups = scope.Groups.Length;
        Mms = scope.Mms.Length;
        Vms = scope.Vms.Length;
        VpasidRow = scope.Vpasids + 1;
    }

    /// <summary>The scope.</summary>
    public Scope Scope { get; }

    /// <summary>Number of domain slots.</summary>
    public int Slots { get; }

    /// <summary>Number of IOVA pages.</summary>
    public int Iovas { get; }

    /// <summary>PASIDs per row: Pasids + 1 (PASID 0 is the RID).</summary>
    public int PasidRow { get; }

    /// <summary>Number of devices.</summary>
    public int Devices { get; }

    /// <summary>Number of groups.</summary>
    public int Groups { get; }

    /// <summary>Number of mms.</summary>
    public int Mms { get; }

    /// <summary>Number of VMs.</summary>
    public int Vms { get; }

    /// <summary>vPASIDs per VM row: Vpasids + 1.</summary>
    public int VpasidRow { get; }

    /// <summary>Index into <see cref="IommuState.Ptes"/>.</summary>
    public int Pte(int slot, int iova) => (slot * Iovas) + iova;

    /// <summary>Index into <see cref="IommuState.PasidDomain"/>.</summary>
    public int GroupPasid(int group, int pasid) => (group * PasidRow) + pasid;

    /// <summary>Index into <see cref="IommuState.GuestPasid"/>.</summary>
    public int DevPasid(int dev, int pasid) => (dev * PasidRow) + pasid;

    /// <summary>Index into <see cref="IommuState.SvaUsers"/>.</summary>
    public int DevMm(int dev, int mm) => (dev * Mms) + mm;

    /// <summary>Index into <see cref="IommuState.VpasidTable"/>.</summary>
    public int VmVpasid(int vm, int vpasid) => (vm * VpasidRow) + vpasid;
}
