using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace IommuVerify.Vocabulary.Json;

/// <summary>A small strict JSON parser that keeps the line and column of every value.</summary>
/// <remarks>System.Text.Json does not expose positions of elements after parsing, and our error
/// messages must name the line and column of a bad field, not only of bad syntax.</remarks>
public sealed class JsonReader
{
    private readonly string _text;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private JsonReader(string file, string text)
    {
        _file = file;
        _text = text;
    }

    /// <summary>Parses a whole document; throws <see cref="InputError"/> on bad syntax.</summary>
    public static JsonNode Parse(string file, string text)
    {
        var r = new JsonReader(file, text);
        r.SkipWhitespace();
        var node = r.ReadValue(0);
        r.SkipWhitespace();
        if (r._pos < r._text.Length)
        {
            throw r.Error("unexpected text after the end of the JSON document");
        }

        return node;
    }

    private int Column => _pos - _lineStart + 1;

    private InputError Error(string problem) => new(_file, _line, Column, problem);

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else
            {
                break;
            }
        }
    }

    private JsonNode ReadValue(int depth)
    {
        if (depth > 64)
        {
            throw Error("JSON nested more than 64 levels deep");
        }

        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of file: expected a JSON value");
        }

        int line = _line, col = Column;
        char c = _text[_pos];
        switch (c)
        {
            case '{':
                return ReadObject(line, col, depth);
            case '[':
                return ReadArray(line, col, depth);
            case '"':
                return new JsonNode(JsonKind.String, line, col) { Text = ReadString() };
            case 't':
                Expect("true");
                return new JsonNode(JsonKind.Bool, line, col) { Bool = true };
            case 'f':
                Expect("false");
                return new JsonNode(JsonKind.Bool, line, col) { Bool = false };
            case 'n':
                Expect("null");
                return new JsonNode(JsonKind.Null, line, col);
            default:
                if (c == '-' || char.IsAsciiDigit(c))
                {
                    return new JsonNode(JsonKind.Number, line, col) { Text = ReadNumber() };
                }

                throw Error($"unexpected character '{c}': expected a JSON value");
        }
    }

    private void Expect(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            throw Error($"expected '{word}'");
        }

        _pos += word.Length;
    }

    private JsonNode ReadObject(int line, int col, int depth)
    {
        _pos++;
        var members = ImmutableArray.CreateBuilder<JsonMember>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
            return new JsonNode(JsonKind.Object, line, col) { Members = members.ToImmutable() };
        }

        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != '"')
            {
                throw Error("expected a quoted member name");
            }

            int kl = _line, kc = Column;
            string name = ReadString();
            if (!seen.Add(name))
            {
                throw new InputError(_file, kl, kc, $"duplicate member \"{name}\"");
            }

            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != ':')
            {
                throw Error($"expected ':' after member name \"{name}\"");
            }

            _pos++;
            SkipWhitespace();
            var value = ReadValue(depth + 1);
            members.Add(new JsonMember(name, kl, kc, value));
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                throw Error("unexpected end of file: expected ',' or '}'");
            }

            if (_text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_text[_pos] == '}')
            {
                _pos++;
                return new JsonNode(JsonKind.Object, line, col) { Members = members.ToImmutable() };
            }

            throw Error($"unexpected character '{_text[_pos]}': expected ',' or '}}'");
        }
    }

    private JsonNode ReadArray(int line, int col, int depth)
    {
        _pos++;
        var items = ImmutableArray.CreateBuilder<JsonNode>();
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == ']')
        {
            _pos++;
            return new JsonNode(JsonKind.Array, line, col) { Items = items.ToImmutable() };
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue(depth + 1));
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                throw Error("unexpected end of file: expected ',' or ']'");
            }

            if (_text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_text[_pos] == ']')
            {
                _pos++;
                return new JsonNode(JsonKind.Array, line, col) { Items = items.ToImmutable() };
            }

            throw Error($"unexpected character '{_text[_pos]}': expected ',' or ']'");
        }
    }

    private string ReadString()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }

            char c = _text[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c == '\n')
            {
                throw Error("line break inside a string");
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error("unterminated escape");
            }

            char e = _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length ||
                        !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                    {
                        throw Error("bad \\u escape: expected four hex digits");
                    }

                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw Error($"unknown escape '\\{e}'");
            }
        }
    }

    private string ReadNumber()
    {
        int start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] is '.' or 'e' or 'E' or '+' or '-'))
        {
            _pos++;
        }

        string s = _text[start.._pos];
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw Error($"malformed number '{s}'");
        }

        return s;
    }
}
