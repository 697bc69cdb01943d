using System.Collections.Immutable;
using System.Globalization;

namespace IommuVerify.Vocabulary.Json;

/// <summary>Reads the members of one JSON object by name, checking types and rejecting unknown members.</summary>
public sealed class ObjectReader
{
    private readonly string _file;
    private readonly string _what;
    private readonly JsonNode _node;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Starts reading <paramref name="node"/>, which must be an object.</summary>
    public ObjectReader(string file, JsonNode node, string what)
    {
        _file = file;
        _what = what;
        _node = node;
        if (node.Kind != JsonKind.Object)
        {
            throw new InputError(file, node.Line, node.Column, $"{what} must be an object, found {node.Describe()}");
        }
    }

    /// <summary>The object being read.</summary>
    public JsonNode Node => _node;

    /// <summary>An error at a node.</summary>
    public InputError ErrorAt(JsonNode n, string problem) => new(_file, n.Line, n.Column, problem);

    /// <summary>A required member.</summary>
    public JsonNode Required(string name)
    {
        _used.Add(name);
        return _node.Get(name) ?? throw new InputError(_file, _node.Line, _node.Column, $"{_what} is missing the required member \"{name}\"");
    }

    /// <summary>An optional member.</summary>
    public JsonNode? Optional(string name)
    {
        _used.Add(name);
        return _node.Get(name);
    }

    /// <summary>A required string.</summary>
    public string String(string name) => AsString(Required(name), name);

    /// <summary>An optional string with a default.</summary>
    public string String(string name, string dflt)
    {
        var n = Optional(name);
        return n is null ? dflt : AsString(n, name);
    }

    /// <summary>A required integer within bounds.</summary>
    public int Int(string name, int min, int max) => AsInt(Required(name), name, min, max);

    /// <summary>An optional integer within bounds, with a default.</summary>
    public int Int(string name, int min, int max, int dflt)
    {
        var n = Optional(name);
        return n is null ? dflt : AsInt(n, name, min, max);
    }

    /// <summary>An optional boolean with a default.</summary>
    public bool Bool(string name, bool dflt)
    {
        var n = Optional(name);
        if (n is null)
        {
            return dflt;
        }

        return n.Kind == JsonKind.Bool ? n.Bool : throw ErrorAt(n, $"\"{name}\" must be true or false, found {n.Describe()}");
    }

    /// <summary>A required member that must be one of <paramref name="choices"/>.</summary>
    public T Choice<T>(string name, IReadOnlyDictionary<string, T> choices) => AsChoice(Required(name), name, choices);

    /// <summary>An optional member that must be one of <paramref name="choices"/>.</summary>
    public T Choice<T>(string name, IReadOnlyDictionary<string, T> choices, T dflt)
    {
        var n = Optional(name);
        return n is null ? dflt : AsChoice(n, name, choices);
    }

    /// <summary>A required array.</summary>
    public ImmutableArray<JsonNode> Array(string name)
    {
        var n = Required(name);
        return n.Kind == JsonKind.Array ? n.Items : throw ErrorAt(n, $"\"{name}\" must be an array, found {n.Describe()}");
    }

    /// <summary>An optional array (empty when absent).</summary>
    public ImmutableArray<JsonNode> OptionalArray(string name)
    {
        var n = Optional(name);
        if (n is null)
        {
            return ImmutableArray<JsonNode>.Empty;
        }

        return n.Kind == JsonKind.Array ? n.Items : throw ErrorAt(n, $"\"{name}\" must be an array, found {n.Describe()}");
    }

    /// <summary>Fails on any member that was never asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var m in _node.Members)
        {
            if (!_used.Contains(m.Name))
            {
                string known = string.Join(", ", _used.Order(StringComparer.Ordinal));
                throw new InputError(_file, m.Line, m.Column, $"unknown member \"{m.Name}\" in {_what}; expected one of: {known}");
            }
        }
    }

    /// <summary>Reads a string node.</summary>
    public string AsString(JsonNode n, string name) =>
        n.Kind == JsonKind.String ? n.Text : throw ErrorAt(n, $"\"{name}\" must be a string, found {n.Describe()}");

    /// <summary>Reads an integer node within bounds.</summary>
    public int AsInt(JsonNode n, string name, int min, int max)
    {
        if (n.Kind != JsonKind.Number || !int.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
        {
            throw ErrorAt(n, $"\"{name}\" must be a whole number, found {n.Describe()}");
        }

        if (v < min || v > max)
        {
            throw ErrorAt(n, $"\"{name}\" is {v}, out of range: expected {min} to {max}");
        }

        return v;
    }

    /// <summary>Reads a string node that must be one of <paramref name="choices"/>.</summary>
    public T AsChoice<T>(JsonNode n, string name, IReadOnlyDictionary<string, T> choices)
    {
        string s = AsString(n, name);
        return choices.TryGetValue(s, out var v)
            ? v
            : throw ErrorAt(n, $"\"{name}\" is \"{s}\"; expected one of: {string.Join(", ", choices.Keys)}");
    }
}
