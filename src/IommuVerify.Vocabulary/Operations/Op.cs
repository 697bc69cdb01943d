namespace IommuVerify.Vocabulary.Operations;

/// <summary>The operation codes, one per operation of the spec (spec/operations.md).</summary>
public enum OpCode
{
    /// <summary>alloc_domain</summary>
    AllocDomain,
    /// <summary>free_domain</summary>
    FreeDomain,
    /// <summary>attach_rid</summary>
    AttachRid,
    /// <summary>replace_rid</summary>
    ReplaceRid,
    /// <summary>detach_rid</summary>
    DetachRid,
    /// <summary>attach_pasid</summary>
    AttachPasid,
    /// <summary>replace_pasid</summary>
    ReplacePasid,
    /// <summary>detach_pasid</summary>
    DetachPasid,
    /// <summary>sva_bind</summary>
    SvaBind,
    /// <summary>sva_unbind</summary>
    SvaUnbind,
    /// <summary>map</summary>
    Map,
    /// <summary>unmap</summary>
    Unmap,
    /// <summary>invalidate</summary>
    Invalidate,
    /// <summary>translate</summary>
    Translate,
    /// <summary>vpasid_alloc</summary>
    VpasidAlloc,
    /// <summary>vpasid_free</summary>
    VpasidFree,
    /// <summary>vpasid_attach</summary>
    VpasidAttach,
}

/// <summary>One operation with its arguments. Devices, mms and VMs are indices into the scope.</summary>
/// <remarks>Rendered in trace syntax by <see cref="OpText"/>; <see cref="ToString"/> uses generic names.</remarks>
public abstract record Op
{
    /// <summary>The operation code.</summary>
    public abstract OpCode Code { get; }

    /// <summary>True when an Ok result carries a domain slot.</summary>
    public bool ReturnsDomain => Code == OpCode.AllocDomain;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>alloc_domain: a paging or nested domain, for a device (the driver may choose by device).</summary>
public sealed record AllocDomain(int Dev, DomainKind Kind, AllocFlags Flags, int Parent) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.AllocDomain;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>free_domain: release a domain slot.</summary>
public sealed record FreeDomain(int Slot) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.FreeDomain;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>attach_rid: attach the device's group (its RID) to a domain.</summary>
public sealed record AttachRid(int Dev, DomainRef Domain) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.AttachRid;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>replace_rid: switch the group's RID domain.</summary>
public sealed record ReplaceRid(int Dev, DomainRef Domain) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.ReplaceRid;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>detach_rid: put the group's RID back on the blocking domain.</summary>
public sealed record DetachRid(int Dev) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.DetachRid;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>attach_pasid: attach a domain to one PASID of the device's group.</summary>
public sealed record AttachPasid(int Dev, int Pasid, int Slot) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.AttachPasid;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>replace_pasid: switch the domain of a PASID.</summary>
public sealed record ReplacePasid(int Dev, int Pasid, int Slot) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.ReplacePasid;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>detach_pasid: remove the domain of a PASID.</summary>
public sealed record DetachPasid(int Dev, int Pasid) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.DetachPasid;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>sva_bind: bind a device to a process address space; returns the mm's PASID.</summary>
public sealed record SvaBind(int Dev, int Mm) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.SvaBind;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>sva_unbind: drop one use of a device-mm binding.</summary>
public sealed record SvaUnbind(int Dev, int Mm) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.SvaUnbind;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>map: map one IOVA page of a paging domain to a physical page.</summary>
public sealed record Map(int Slot, int Iova, int Pa, Perm Perm) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.Map;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>unmap: unmap one IOVA page of a paging domain, with the policy's invalidation.</summary>
public sealed record Unmap(int Slot, int Iova) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.Unmap;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>invalidate: drain the flush queue, or flush every translation cache.</summary>
public sealed record Invalidate(InvalidateScope Scope) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.Invalidate;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>translate: a DMA from a device, with PASID 0 meaning "no PASID" (RID).</summary>
public sealed record Translate(int Dev, int Pasid, int Iova, Access Access) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.Translate;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>vpasid_alloc: give a VM's vPASID a physical PASID; returns the pPASID.</summary>
public sealed record VpasidAlloc(int Vm, int Vpasid) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.VpasidAlloc;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>vpasid_free: release a VM's vPASID and its pPASID.</summary>
public sealed record VpasidFree(int Vm, int Vpasid) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.VpasidFree;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}

/// <summary>vpasid_attach: the guest attaches a domain to a vPASID of a device assigned to the VM.</summary>
public sealed record VpasidAttach(int Vm, int Dev, int Vpasid, int Slot) : Op
{
    /// <inheritdoc/>
    public override OpCode Code => OpCode.VpasidAttach;

    /// <inheritdoc/>
    public override string ToString() => OpText.Render(this, null);
}
