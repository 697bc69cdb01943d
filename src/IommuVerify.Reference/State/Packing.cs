namespace IommuVerify.Reference.State;

/// <summary>A page-table entry value: physical page and permission bits packed in one int (0 = none).</summary>
public static class Pte
{
    /// <summary>Packs a physical page and permission (1 = r, 3 = rw).</summary>
    public static int Make(int pa, int perm) => (pa << 2) | perm;

    /// <summary>The physical page.</summary>
    public static int Pa(int pte) => pte >> 2;

    /// <summary>The permission bits.</summary>
    public static int Perm(int pte) => pte & 3;

    /// <summary>True when the entry allows writes.</summary>
    public static bool Writable(int pte) => (pte & 2) != 0;
}

/// <summary>An IOTLB tag: a domain ID and a PASID (0 when the policy does not tag by PASID).</summary>
public static class Tag
{
    /// <summary>No tag: the context is not cached (blocked, identity, or nothing attached).</summary>
    public const int None = -1;

    /// <summary>DID of the shared SVA domain ID (Intel: all SVA domains share one DID).</summary>
    public const int SharedSvaDid = 60;

    /// <summary>First per-device DID; device d uses this plus d.</summary>
    public const int PerDeviceDidBase = 32;

    /// <summary>Packs a tag.</summary>
    public static int Make(int did, int pasid) => (did << 8) | pasid;

    /// <summary>The domain ID of a tag.</summary>
    public static int Did(int tag) => tag >> 8;

    /// <summary>The PASID of a tag.</summary>
    public static int Pasid(int tag) => tag & 0xFF;
}

/// <summary>Packed cache and queue entries of <see cref="IommuState"/>.</summary>
public static class Entry
{
    /// <summary>An IOTLB entry.</summary>
    public static long Iotlb(int tag, int iova, int pte) => ((long)tag << 32) | ((long)iova << 20) | (uint)pte;

    /// <summary>The tag of an IOTLB entry.</summary>
    public static int IotlbTag(long e) => (int)(e >> 32);

    /// <summary>The IOVA of a cache entry.</summary>
    public static int Iova(long e) => (int)((e >> 20) & 0xFFF);

    /// <summary>The PTE of a cache entry.</summary>
    public static int PteOf(long e) => (int)(e & 0xFFFFF);

    /// <summary>A device-TLB entry.</summary>
    public static long DevTlb(int dev, int pasid, int iova, int pte) => ((long)dev << 40) | ((long)pasid << 32) | ((long)iova << 20) | (uint)pte;

    /// <summary>The device of a device-TLB entry.</summary>
    public static int Dev(long e) => (int)(e >> 40);

    /// <summary>The PASID of a device-TLB entry.</summary>
    public static int DevPasid(long e) => (int)((e >> 32) & 0xFF);

    /// <summary>A flush-queue entry.</summary>
    public static long Fq(int slot, int iova) => ((long)slot << 20) | (uint)iova;

    /// <summary>The slot of a flush-queue entry.</summary>
    public static int FqSlot(long e) => (int)(e >> 20);

    /// <summary>The IOVA of a flush-queue entry.</summary>
    public static int FqIova(long e) => (int)(e & 0xFFFFF);
}
