namespace IommuVerify.Vocabulary.Model;

/// <summary>Which paging domains may serve a PASID.</summary>
public enum PagingPasid
{
    /// <summary>Every paging domain can (Intel VT-d, Arm SMMUv3 stage 1).</summary>
    Always,
    /// <summary>Only those allocated with the PASID flag (the AMD seed proposal: v2 with the flag, v1 without).</summary>
    Flag,
    /// <summary>None: paging domains have no set_dev_pasid (AMD-Vi mainline: EOPNOTSUPP).</summary>
    Never,
}

/// <summary>What the platform and core do with an SVA domain on a RID.</summary>
public enum SvaOnRid
{
    /// <summary>The core refuses the attach (ENODEV: SVA domain ops have no attach_dev).</summary>
    Refused,
    /// <summary>The hardware and policy allow it (Arm SMMUv3 proposal).</summary>
    Allowed,
    /// <summary>Nothing checks it although the platform forbids it (a buggy proposal).</summary>
    Unchecked,
}

/// <summary>How IOTLB entries are tagged.</summary>
public enum IotlbTag
{
    /// <summary>By the domain's ID only (AMD v1, Arm ASID/VMID).</summary>
    Domain,
    /// <summary>By domain ID and PASID (Intel VT-d scalable mode).</summary>
    DomainPasid,
    /// <summary>By the domain ID in the device's table entry plus PASID (AMD v2 through the GCR3 table).</summary>
    RidDomainPasid,
}

/// <summary>How domain IDs are given out for domains that tag by the device table entry.</summary>
public enum DidAlloc
{
    /// <summary>One ID per domain (the AMD v2 aliasing bug).</summary>
    PerDomain,
    /// <summary>One ID per device for v2 domains (commit 87a6f1f22c97).</summary>
    PerDevice,
}

/// <summary>Which entries an unmap invalidates.</summary>
public enum UnmapFlush
{
    /// <summary>Every tag the domain is used under, RID and PASID.</summary>
    AllTags,
    /// <summary>Only the RID tags (PASID 0): forgets PASID-tagged entries (a bug).</summary>
    RidTagOnly,
}

/// <summary>When unmap invalidation happens.</summary>
public enum InvalidationMode
{
    /// <summary>At once, before unmap returns.</summary>
    Strict,
    /// <summary>Deferred to a flush queue, drained by <c>invalidate scope=fq</c>.</summary>
    Deferred,
}

/// <summary>How vPASIDs become physical PASIDs.</summary>
public enum VpasidScheme
{
    /// <summary>No vPASID support: vpasid operations fail with EOPNOTSUPP.</summary>
    None,
    /// <summary>vPASID equals pPASID.</summary>
    Identity,
    /// <summary>pPASIDs are allocated from the global space; vPASID and pPASID may differ.</summary>
    Allocated,
}

/// <summary>The driver and core policy a model file states (spec/policies.md).</summary>
public sealed record Policy(
    PagingPasid PagingPasid,
    bool SplitFormats,
    bool DirtyBlocksPasid,
    bool NestParentBlocksPasid,
    SvaOnRid SvaOnRid,
    IotlbTag IotlbTag,
    DidAlloc DidAlloc,
    bool SvaSharedDid,
    UnmapFlush UnmapFlush,
    bool DevTlbFlush,
    bool FlushOnDetach,
    InvalidationMode Invalidation,
    bool FqIovaReuse,
    VpasidScheme VpasidScheme,
    bool PassthroughCheck);
