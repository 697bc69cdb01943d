using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using IommuVerify.Reference;
using IommuVerify.Vocabulary.Implementations;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Engine;

/// <summary>The translation engine: what an IOMMU and its driver do, built for speed, with the reference model's results.</summary>
/// <remarks>Spec SEMANTICS.md section 5. Radix page tables in a node pool (<see cref="PageTablePool"/>), a context
/// table decoded per (device, PASID) from the group RID and PASID tables, a set-associative IOTLB keyed by the
/// policy's tag (<see cref="ReferenceModel.TagOf"/>), one device TLB per ATS device, and the invalidations the policy
/// issues (<c>ReferenceModel.Caches.cs</c>). A buggy policy therefore really returns stale translations.
/// Large pages are not modelled. SVA (mm) page tables are computed (spec SVA-MM-1), not stored.</remarks>
public sealed partial class TranslationEngine : IIommuImplementation
{
    private const byte WalkNoContext = 0;
    private const byte WalkBlocked = 1;
    private const byte WalkUnattached = 2;
    private const byte WalkIdentity = 3;
    private const byte WalkTable = 4;
    private const byte WalkMm = 5;
    private const int PageBits = 40;
    private const ulong PageMask = (1UL << PageBits) - 1;

    private readonly int _iotlbSets;
    private readonly int _iotlbWays;
    private readonly int _devTlbSets;
    private readonly int _devTlbWays;

    private Policy _policy = null!;
    private Scope _scope = null!;
    private int _slots;
    private int _row;
    private int _devices;
    private int _groups;
    private int _vpasidRow;
    private ulong _physPages;

    private int[] _domKind = [];
    private int[] _domFlags = [];
    private int[] _domFormat = [];
    private int[] _domMm = [];
    private int[] _domParent = [];
    private int[] _domUsers = [];
    private int[] _root = [];
    private int[] _ridDomain = [];
    private int[] _pasidDomain = [];
    private int[] _mmPasid = [];
    private int[] _svaUsers = [];
    private int[] _pasidOwner = [];
    private int[] _vpasidTable = [];
    private int[] _devGroup = [];
    private int[] _devMaxPasids = [];
    private Context[] _ctx = [];
    private Context[] _before = [];
    private PageTablePool _pool = new();
    private SetAssociativeTlb _iotlb = null!;
    private SetAssociativeTlb?[] _devTlb = [];
    private long[] _queue = new long[64];
    private int _queueCount;

    /// <summary>Creates an engine with the given cache geometry (sets must be powers of two).</summary>
    public TranslationEngine(int iotlbSets = 64, int iotlbWays = 8, int devTlbSets = 16, int devTlbWays = 4)
    {
        _iotlbSets = iotlbSets;
        _iotlbWays = iotlbWays;
        _devTlbSets = devTlbSets;
        _devTlbWays = devTlbWays;
    }

    /// <inheritdoc/>
    public string Name => "engine";

    /// <summary>The page-table node pool (for memory accounting).</summary>
    public PageTablePool PageTables => _pool;

    /// <summary>The IOTLB.</summary>
    public SetAssociativeTlb Iotlb => _iotlb;

    /// <summary>The device TLB of a device: null when the device has no ATS.</summary>
    public SetAssociativeTlb? DevTlbOf(int dev) => _devTlb[dev];

    /// <summary>The decoded context of one (device, PASID): what the hardware's context and PASID entries say.</summary>
    private struct Context
    {
        public int Tag;
        public int Table;
        public int Domain;
        public int Slot;
        public byte Walk;
        public bool Fills;
    }

    /// <inheritdoc/>
    public void Start(Policy policy, Scope scope)
    {
        _policy = policy;
        _scope = scope;
        _slots = scope.DomainSlots;
        _row = scope.Pasids + 1;
        _devices = scope.Devices.Length;
        _groups = scope.Groups.Length;
        _vpasidRow = scope.Vpasids + 1;
        _physPages = (ulong)Math.Max(1, scope.PhysPages);
        _domKind = new int[_slots];
        _domFlags = new int[_slots];
        _domFormat = new int[_slots];
        _domMm = Filled(_slots, -1);
        _domParent = Filled(_slots, -1);
        _domUsers = new int[_slots];
        _root = new int[_slots];
        _ridDomain = Filled(_groups, DomainRef.Blocked.Value);
        _pasidDomain = Filled(_groups * _row, -1);
        _mmPasid = new int[scope.Mms.Length];
        _svaUsers = new int[_devices * scope.Mms.Length];
        _pasidOwner = new int[_row];
        _vpasidTable = new int[scope.Vms.Length * _vpasidRow];
        _devGroup = new int[_devices];
        _devMaxPasids = new int[_devices];
        _devTlb = new SetAssociativeTlb?[_devices];
        for (int d = 0; d < _devices; d++)
        {
            _devGroup[d] = scope.Devices[d].Group;
            _devMaxPasids[d] = scope.EffectiveMaxPasids(d);
            _devTlb[d] = scope.Devices[d].Ats ? new SetAssociativeTlb(_devTlbSets, _devTlbWays) : null;
        }

        _ctx = new Context[_devices * _row];
        _before = new Context[_devices * _row];
        _pool = new PageTablePool();
        _iotlb = new SetAssociativeTlb(_iotlbSets, _iotlbWays);
        _queueCount = 0;
        RecomputeContexts();
    }

    private static int[] Filled(int n, int v)
    {
        var a = new int[n];
        Array.Fill(a, v);
        return a;
    }

    /// <inheritdoc/>
    public ImmutableArray<Result> Apply(Op op) => [ApplyOne(op)];

    /// <summary>Performs one trace-level operation (IOVAs and physical addresses are page numbers) and returns its one result.</summary>
    public Result ApplyOne(Op op) => op switch
    {
        AllocDomain a => AllocDomainOp(a),
        FreeDomain f => FreeDomainOp(f.Slot),
        AttachRid a => AttachRidOp(a.Dev, a.Domain.Value, replace: false),
        ReplaceRid r => AttachRidOp(r.Dev, r.Domain.Value, replace: true),
        DetachRid d => DetachRidOp(d.Dev),
        AttachPasid a => AttachPasidOp(a.Dev, a.Pasid, a.Slot),
        ReplacePasid r => ReplacePasidOp(r.Dev, r.Pasid, r.Slot),
        DetachPasid d => DetachPasidOp(d.Dev, d.Pasid),
        SvaBind b => SvaBindOp(b.Dev, b.Mm),
        SvaUnbind u => SvaUnbindOp(u.Dev, u.Mm),
        Map m => MapPage(m.Slot, (ulong)m.Iova, (ulong)m.Pa, m.Perm),
        Unmap u => UnmapPage(u.Slot, (ulong)u.Iova),
        Invalidate v => InvalidateOp(v.Scope),
        Translate t => TranslatePage(t.Dev, t.Pasid, (ulong)t.Iova, t.Access),
        VpasidAlloc a => VpasidAllocOp(a.Vm, a.Vpasid),
        VpasidFree f => VpasidFreeOp(f.Vm, f.Vpasid),
        VpasidAttach a => VpasidAttachOp(a.Vm, a.Dev, a.Vpasid, a.Slot),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation"),
    };

    /// <summary>Fast path: translates a DMA at a 64-bit IOVA; a Pa result carries the physical page number.</summary>
    /// <remarks>IOVAs at or above 2^48 fault (not-present) without a lookup; a device or PASID outside the scope throws.</remarks>
    public Result Translate(int dev, int pasid, ulong iova, Access access) =>
        iova >> 12 < PageTablePool.PageLimit ? TranslatePage(dev, pasid, iova >> 12, access) : OutOfRange(dev, pasid);

    /// <summary>Fast path: maps the 4 KiB page at a 64-bit IOVA to a 64-bit physical address.</summary>
    public Result Map(int slot, ulong iova, ulong pa, Perm perm) => MapPage(slot, iova >> 12, pa >> 12, perm);

    /// <summary>Fast path: unmaps the 4 KiB page at a 64-bit IOVA, with the policy's invalidation.</summary>
    public Result Unmap(int slot, ulong iova) => UnmapPage(slot, iova >> 12);

    private Result OutOfRange(int dev, int pasid) =>
        _ctx[Index(dev, pasid)].Walk == WalkNoContext ? Result.Fault(FaultReason.NoContext) : Result.Fault(FaultReason.NotPresent);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Index(int dev, int pasid)
    {
        if ((uint)dev >= (uint)_devices || (uint)pasid >= (uint)_row)
        {
            ThrowContext(dev, pasid);
        }

        return (dev * _row) + pasid;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowContext(int dev, int pasid) =>
        throw new ArgumentOutOfRangeException(nameof(dev), $"device {dev} PASID {pasid} is outside the scope");

    private static ulong IotlbKey(int tag, ulong page) => ((ulong)(uint)tag << PageBits) | (page & PageMask);

    private static ulong DevKey(int pasid, ulong page) => ((ulong)(uint)(pasid + 1) << PageBits) | (page & PageMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Result AccessOf(ulong leaf, Access access) =>
        access == Access.Write && (leaf & Leaf.Write) == 0 ? Result.Fault(FaultReason.Permission) : Result.Pa((int)(leaf >> 12));

    /// <summary>translate (XLATE-1..9): device TLB, else IOTLB under the context's tag, else the page walk, which fills both.</summary>
    /// <remarks>The hits are here; the walk and the fills are in <see cref="TranslateMiss"/>, kept out of line.</remarks>
    private Result TranslatePage(int dev, int pasid, ulong page, Access access)
    {
        ref Context c = ref _ctx[Index(dev, pasid)];
        if (c.Walk == WalkNoContext)
        {
            return Result.Fault(FaultReason.NoContext);
        }

        var dtlb = _devTlb[dev];
        ulong leaf = 0; // assigned by TryGet; initialized so that Stryker's mutants of the conditions still compile
        int dset = 0;
        if (dtlb is not null && dtlb.TryGet(DevKey(pasid, page), out leaf, out dset))
        {
            return AccessOf(leaf, access);
        }

        int set = 0;
        if (c.Tag >= 0 && _iotlb.TryGet(IotlbKey(c.Tag, page), out leaf, out set))
        {
            if (dtlb is not null && c.Fills)
            {
                dtlb.FillMissed(dset, DevKey(pasid, page), leaf);
            }

            return AccessOf(leaf, access);
        }

        return TranslateMiss(ref c, dtlb, dset, set, pasid, page, access);
    }

    /// <summary>The page walk after both TLBs missed, filling them (XLATE-9).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Result TranslateMiss(ref Context c, SetAssociativeTlb? dtlb, int dset, int set, int pasid, ulong page, Access access)
    {
        ulong leaf;
        switch (c.Walk)
        {
            case WalkTable:
                leaf = _pool.Lookup(_root[c.Slot], page) & Leaf.CacheMask;
                break;
            case WalkIdentity:
                return AccessOf(Leaf.Make(page % _physPages, 3), access);
            case WalkMm:
                leaf = Leaf.Make((page + (ulong)c.Slot + 1) % _physPages, 3);
                break;
            case WalkBlocked:
                return Result.Fault(FaultReason.Blocked);
            default:
                return Result.Fault(FaultReason.PasidNotAttached);
        }

        if ((leaf & Leaf.Present) == 0)
        {
            return Result.Fault(FaultReason.NotPresent);
        }

        if (c.Fills)
        {
            if (c.Tag >= 0)
            {
                _iotlb.FillMissed(set, IotlbKey(c.Tag, page), leaf);
            }

            dtlb?.FillMissed(dset, DevKey(pasid, page), leaf);
        }

        return AccessOf(leaf, access);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
