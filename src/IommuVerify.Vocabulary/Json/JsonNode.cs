using System.Collections.Immutable;

namespace IommuVerify.Vocabulary.Json;

/// <summary>The kind of a parsed JSON value.</summary>
public enum JsonKind
{
    /// <summary>An object.</summary>
    Object,
    /// <summary>An array.</summary>
    Array,
    /// <summary>A string.</summary>
    String,
    /// <summary>A number.</summary>
    Number,
    /// <summary>true or false.</summary>
    Bool,
    /// <summary>null.</summary>
    Null,
}

/// <summary>A JSON value with the line and column where it starts, so later checks can point at it.</summary>
public sealed class JsonNode
{
    internal JsonNode(JsonKind kind, int line, int column)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    /// <summary>What kind of value this is.</summary>
    public JsonKind Kind { get; }

    /// <summary>1-based line of the value's first character.</summary>
    public int Line { get; }

    /// <summary>1-based column of the value's first character.</summary>
    public int Column { get; }

    /// <summary>The members of an object, in file order, each with the position of its key.</summary>
    public ImmutableArray<JsonMember> Members { get; internal set; } = ImmutableArray<JsonMember>.Empty;

    /// <summary>The items of an array.</summary>
    public ImmutableArray<JsonNode> Items { get; internal set; } = ImmutableArray<JsonNode>.Empty;

    /// <summary>The text of a string, or the literal text of a number.</summary>
    public string Text { get; internal set; } = "";

    /// <summary>The value of a boolean.</summary>
    public bool Bool { get; internal set; }

    /// <summary>Finds a member of an object by name.</summary>
    public JsonNode? Get(string name)
    {
        foreach (var m in Members)
        {
            if (m.Name == name)
            {
                return m.Value;
            }
        }

        return null;
    }

    /// <summary>Describes the kind for error messages.</summary>
    public string Describe() => Kind switch
    {
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.String => $"the string \"{Text}\"",
        JsonKind.Number => $"the number {Text}",
        JsonKind.Bool => Bool ? "true" : "false",
        _ => "null",
    };
}

/// <summary>One member of a JSON object.</summary>
/// <param name="Name">The key.</param>
/// <param name="Line">Line of the key.</param>
/// <param name="Column">Column of the key.</param>
/// <param name="Value">The value.</param>
public sealed record JsonMember(string Name, int Line, int Column, JsonNode Value);
