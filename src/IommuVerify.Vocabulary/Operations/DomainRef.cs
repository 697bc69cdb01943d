using System.Globalization;

namespace IommuVerify.Vocabulary.Operations;

/// <summary>Names a domain: one of the two static domains, or an allocated slot.</summary>
/// <param name="Value">-1 blocked, -2 identity, 0 and up a slot.</param>
public readonly record struct DomainRef(int Value)
{
    /// <summary>The blocking domain: every DMA faults.</summary>
    public static readonly DomainRef Blocked = new(-1);

    /// <summary>The identity domain: IOVA equals physical address.</summary>
    public static readonly DomainRef Identity = new(-2);

    /// <summary>The domain in slot <paramref name="slot"/>.</summary>
    public static DomainRef Slot(int slot) => new(slot);

    /// <summary>True for an allocated slot.</summary>
    public bool IsSlot => Value >= 0;

    /// <summary>Parses <c>blocked</c>, <c>identity</c> or <c>dN</c>.</summary>
    public static bool TryParse(string text, out DomainRef value)
    {
        value = default;
        if (text == "blocked")
        {
            value = Blocked;
            return true;
        }

        if (text == "identity")
        {
            value = Identity;
            return true;
        }

        if (text.Length >= 2 && text[0] == 'd' &&
            int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            value = Slot(n);
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Value switch
    {
        -1 => "blocked",
        -2 => "identity",
        _ => "d" + Value.ToString(CultureInfo.InvariantCulture),
    };
}
