using System.Globalization;

namespace IommuVerify.Vocabulary.Operations;

/// <summary>What one operation returned.</summary>
/// <param name="Kind">Ok, an errno, a physical page, or a fault.</param>
/// <param name="Value">For Ok, the returned value or -1 for none; for Err, the errno;
/// for Pa, the physical page; for Fault, the reason.</param>
public readonly record struct Result(ResultKind Kind, int Value)
{
    /// <summary>Plain success.</summary>
    public static readonly Result Ok = new(ResultKind.Ok, -1);

    /// <summary>Success returning a value (a domain slot, a PASID, a count).</summary>
    public static Result OkWith(int value) => new(ResultKind.Ok, value);

    /// <summary>Success returning a domain.</summary>
    public static Result OkDomain(int slot) => new(ResultKind.Ok, slot);

    /// <summary>Failure with an errno.</summary>
    public static Result Err(Errno e) => new(ResultKind.Err, (int)e);

    /// <summary>A translation to physical page <paramref name="pa"/>.</summary>
    public static Result Pa(int pa) => new(ResultKind.Pa, pa);

    /// <summary>A translation fault.</summary>
    public static Result Fault(FaultReason r) => new(ResultKind.Fault, (int)r);

    /// <summary>True when the operation succeeded (Ok or a translation to a page).</summary>
    public bool IsSuccess => Kind is ResultKind.Ok or ResultKind.Pa;

    /// <summary>The errno of a failure.</summary>
    public Errno Errno => (Errno)Value;

    /// <summary>The fault reason of a fault.</summary>
    public FaultReason Reason => (FaultReason)Value;

    /// <summary>Renders the result in trace syntax.</summary>
    public string Render(bool valueIsDomain)
    {
        string v = Value.ToString(CultureInfo.InvariantCulture);
        return Kind switch
        {
            ResultKind.Ok when Value < 0 => "ok",
            ResultKind.Ok when valueIsDomain => "ok d" + v,
            ResultKind.Ok => "ok " + v,
            ResultKind.Err => Errno.ToString(),
            ResultKind.Pa => "pa " + v,
            _ => "fault " + FaultNames.Name(Reason),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Render(false);
}

/// <summary>The spellings of fault reasons in traces.</summary>
public static class FaultNames
{
    /// <summary>The trace spelling of a reason.</summary>
    public static string Name(FaultReason r) => r switch
    {
        FaultReason.NoContext => "no-context",
        FaultReason.Blocked => "blocked",
        FaultReason.PasidNotAttached => "pasid-not-attached",
        FaultReason.NotPresent => "not-present",
        _ => "permission",
    };

    /// <summary>Parses a trace spelling.</summary>
    public static bool TryParse(string s, out FaultReason r)
    {
        foreach (FaultReason x in Enum.GetValues<FaultReason>())
        {
            if (Name(x) == s)
            {
                r = x;
                return true;
            }
        }

        r = default;
        return false;
    }
}
