using System.Collections.Immutable;
using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reference;

/// <summary>The executable spec: one pure function per operation over <see cref="IommuState"/>.</summary>
/// <remarks>Written for obviousness, not speed. Each operation cites its rules in spec/operations.md;
/// the invariants are in <see cref="Invariants.InvariantChecker"/>.</remarks>
public sealed partial class ReferenceModel
{
    /// <summary>Builds the model of one policy over one scope.</summary>
    public ReferenceModel(Policy policy, Scope scope)
    {
        Policy = policy;
        Scope = scope;
        L = new Layout(scope);
    }

    /// <summary>Builds the model of a model file's named scope.</summary>
    public static ReferenceModel For(ModelFile model, string scope) => new(model.Policy, model.GetScope(scope));

    /// <summary>The policy.</summary>
    public Policy Policy { get; }

    /// <summary>The scope.</summary>
    public Scope Scope { get; }

    /// <summary>Index arithmetic of the state arrays.</summary>
    public Layout L { get; }

    /// <summary>The initial state: every slot free, every RID on the blocking domain, nothing cached.</summary>
    /// <remarks>Rule STATE-INIT-1.</remarks>
    public IommuState Initial()
    {
        static ImmutableArray<int> Fill(int n, int v) => Enumerable.Repeat(v, n).ToImmutableArray();
        return new IommuState(
            Fill(L.Slots, 0), Fill(L.Slots, 0), Fill(L.Slots, 0), Fill(L.Slots, -1), Fill(L.Slots, -1), Fill(L.Slots, 0),
            Fill(L.Slots * L.Iovas, 0),
            Fill(L.Groups, DomainRef.Blocked.Value),
            Fill(L.Groups * L.PasidRow, -1),
            Fill(L.Devices * L.PasidRow, 0),
            Fill(L.Mms, 0),
            Fill(L.Devices * L.Mms, 0),
            Fill(L.PasidRow, 0),
            Fill(L.Vms * L.VpasidRow, 0),
            ImmutableSortedSet<long>.Empty, ImmutableSortedSet<long>.Empty, ImmutableSortedSet<long>.Empty);
    }

    /// <summary>Applies one operation. Arguments must be inside the scope (the parsers check that).</summary>
    public StepResult Apply(IommuState s, Op op) => op switch
    {
        AllocDomain a => AllocDomainOp(s, a),
        FreeDomain f => FreeDomainOp(s, f),
        AttachRid a => AttachRidOp(s, a.Dev, DomainRefOf(a.Domain), replace: false),
        ReplaceRid r => AttachRidOp(s, r.Dev, DomainRefOf(r.Domain), replace: true),
        DetachRid d => DetachRidOp(s, d),
        AttachPasid a => AttachPasidOp(s, a.Dev, a.Pasid, a.Slot),
        ReplacePasid r => ReplacePasidOp(s, r),
        DetachPasid d => DetachPasidOp(s, d),
        SvaBind b => SvaBindOp(s, b),
        SvaUnbind u => SvaUnbindOp(s, u),
        Map m => MapOp(s, m),
        Unmap u => UnmapOp(s, u),
        Invalidate v => InvalidateOp(s, v),
        Translate t => TranslateOp(s, t),
        VpasidAlloc a => VpasidAllocOp(s, a),
        VpasidFree f => VpasidFreeOp(s, f),
        VpasidAttach a => VpasidAttachOp(s, a),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation"),
    };

    private static int DomainRefOf(DomainRef d) => d.Value;

    private static StepResult Fail(IommuState s, Errno e, params string[] rules) =>
        new(s, [Result.Err(e)], [.. rules]);

    private static StepResult Done(Draft d, Result r, params string[] rules) =>
        new(d.Freeze(), [r], [.. rules]);

    private static StepResult Same(IommuState s, Result r, params string[] rules) =>
        new(s, [r], [.. rules]);
}
