namespace IommuVerify.Vocabulary.Operations;

/// <summary>The errno values an operation may fail with, named as in the kernel.</summary>
public enum Errno
{
    /// <summary>Invalid argument, e.g. a PASID-incompatible domain.</summary>
    EINVAL,
    /// <summary>Busy: a PASID already has a domain, or a domain is still attached.</summary>
    EBUSY,
    /// <summary>The domain's driver cannot do the operation (e.g. PASID attach).</summary>
    EOPNOTSUPP,
    /// <summary>The device or IOMMU lacks the capability.</summary>
    ENODEV,
    /// <summary>No such object.</summary>
    ENOENT,
    /// <summary>Already exists (a mapping, a vPASID).</summary>
    EEXIST,
    /// <summary>No identifier left (PASID space or domain slots exhausted).</summary>
    ENOSPC,
    /// <summary>An mm's PASID does not fit the device's PASID width.</summary>
    EOVERFLOW,
}

/// <summary>What an operation returned, in kinds.</summary>
public enum ResultKind
{
    /// <summary>Success, with an optional value.</summary>
    Ok,
    /// <summary>Failure with an errno; the state is unchanged.</summary>
    Err,
    /// <summary>A translation that produced a physical page.</summary>
    Pa,
    /// <summary>A translation that faulted, with a reason.</summary>
    Fault,
}

/// <summary>Why a translation faulted.</summary>
public enum FaultReason
{
    /// <summary>The device cannot issue this request: the PASID is outside what it supports.</summary>
    NoContext,
    /// <summary>The context is attached to the blocking domain.</summary>
    Blocked,
    /// <summary>No domain is attached to the requested PASID.</summary>
    PasidNotAttached,
    /// <summary>The page table has no entry for the IOVA.</summary>
    NotPresent,
    /// <summary>The entry does not allow the access.</summary>
    Permission,
}

/// <summary>The kind of an allocated domain.</summary>
public enum DomainKind
{
    /// <summary>An unused slot.</summary>
    Free = 0,
    /// <summary>A paging domain owned by the kernel or by iommufd.</summary>
    Paging = 1,
    /// <summary>An SVA domain bound to one mm.</summary>
    Sva = 2,
    /// <summary>A nested domain: a guest stage 1 over a nest-parent paging domain.</summary>
    Nested = 3,
}

/// <summary>Flags given to a domain allocation.</summary>
[Flags]
public enum AllocFlags
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>IOMMU_HWPT_ALLOC_PASID: the domain must be usable on a PASID.</summary>
    Pasid = 1,
    /// <summary>IOMMU_HWPT_ALLOC_NEST_PARENT: a stage-2 domain that nested domains may use.</summary>
    NestParent = 2,
    /// <summary>IOMMU_HWPT_ALLOC_DIRTY_TRACKING.</summary>
    DirtyTracking = 4,
}

/// <summary>The page-table format a paging domain uses.</summary>
public enum PageFormat
{
    /// <summary>The platform's only or default format (Intel, Arm).</summary>
    Default = 0,
    /// <summary>AMD v1 (host) page table: no PASID.</summary>
    V1 = 1,
    /// <summary>AMD v2 (guest) page table: PASID capable.</summary>
    V2 = 2,
}

/// <summary>The kind of DMA access a translation asks for.</summary>
public enum Access
{
    /// <summary>A read.</summary>
    Read,
    /// <summary>A write.</summary>
    Write,
}

/// <summary>The permission of a mapping.</summary>
public enum Perm
{
    /// <summary>Read only.</summary>
    R = 1,
    /// <summary>Read and write.</summary>
    RW = 3,
}

/// <summary>Which deferred or global invalidation an <c>invalidate</c> operation asks for.</summary>
public enum InvalidateScope
{
    /// <summary>Drain the flush queue: perform every deferred invalidation.</summary>
    Fq,
    /// <summary>Invalidate every IOTLB and device-TLB entry.</summary>
    All,
}
