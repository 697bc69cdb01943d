using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Vocabulary.Traces;

/// <summary>The line-oriented trace form people write and read (spec/trace-format.md).</summary>
public static class TraceText
{
    private static readonly string[] Headers = ["trace", "model", "scope", "covers", "meta", "violates"];

    /// <summary>Reads a trace file; <paramref name="loadModel"/> loads a model by resolved path.</summary>
    public static Trace Load(string file, Func<string, ModelFile> loadModel)
    {
        if (!File.Exists(file))
        {
            throw new InputError(file, "no such trace file");
        }

        return Parse(file, File.ReadAllText(file), loadModel);
    }

    /// <summary>Resolves a model path written in a trace against the trace's folder.</summary>
    public static string ResolveModel(string traceFile, string model)
    {
        if (Path.IsPathRooted(model))
        {
            return model;
        }

        string dir = Path.GetDirectoryName(Path.GetFullPath(traceFile)) ?? ".";
        return Path.GetFullPath(Path.Combine(dir, model));
    }

    /// <summary>Parses trace text.</summary>
    public static Trace Parse(string file, string text, Func<string, ModelFile> loadModel)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        string? model = null, modelPath = null;
        string scopeName = ModelFile.StandardScope;
        Scope? scope = null;
        var covers = ImmutableArray.CreateBuilder<string>();
        var meta = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        string? violates = null;
        int violatesAt = 0, violatesLine = 0;
        var steps = ImmutableArray.CreateBuilder<TraceStep>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int ln = i + 1;
            string raw = lines[i].TrimEnd('\r');
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            string body = hash >= 0 ? raw[..hash] : raw;
            if (body.Trim().Length == 0)
            {
                continue;
            }

            int indent = body.Length - body.TrimStart().Length;
            string t = body.Trim();
            int sp = t.IndexOf(' ', StringComparison.Ordinal);
            string word = sp < 0 ? t : t[..sp];
            string rest = sp < 0 ? "" : t[(sp + 1)..].Trim();
            int restCol = indent + (sp < 0 ? t.Length : sp + 1 + (t[(sp + 1)..].Length - t[(sp + 1)..].TrimStart().Length)) + 1;
            if (Array.IndexOf(Headers, word) >= 0)
            {
                if (steps.Count > 0)
                {
                    throw new InputError(file, ln, indent + 1, $"header \"{word}\" after the first step: headers come first");
                }

                switch (word)
                {
                    case "trace":
                        name = rest.Length > 0 ? rest : throw new InputError(file, ln, restCol, "\"trace\" needs a name");
                        break;
                    case "model":
                        if (rest.Length == 0)
                        {
                            throw new InputError(file, ln, restCol, "\"model\" needs a path to a model file");
                        }

                        model = rest;
                        modelPath = ResolveModel(file, rest);
                        break;
                    case "scope":
                        scopeName = rest.Length > 0 ? rest : throw new InputError(file, ln, restCol, "\"scope\" needs a scope name");
                        break;
                    case "covers":
                        covers.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                        break;
                    case "meta":
                        foreach (string kv in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        {
                            int eq = kv.IndexOf('=', StringComparison.Ordinal);
                            if (eq <= 0)
                            {
                                throw new InputError(file, ln, restCol, $"\"meta\" takes key=value words, found \"{kv}\"");
                            }

                            meta[kv[..eq]] = kv[(eq + 1)..];
                        }

                        break;
                    default:
                        var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        if (parts.Length != 3 || parts[1] != "at" || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out violatesAt) || violatesAt < 1)
                        {
                            throw new InputError(file, ln, restCol, "expected \"violates INV-ID at STEP\" with STEP a step number from 1");
                        }

                        if (!InvariantIds.All.Contains(parts[0]))
                        {
                            throw new InputError(file, ln, restCol, $"unknown invariant \"{parts[0]}\"; expected one of: {string.Join(", ", InvariantIds.All)}");
                        }

                        violates = parts[0];
                        violatesLine = ln;
                        break;
                }

                continue;
            }

            if (modelPath is null)
            {
                throw new InputError(file, ln, indent + 1, $"\"{word}\" before a \"model\" line: a trace names its model file before its steps");
            }

            if (scope is null)
            {
                var mf = loadModel(modelPath);
                if (!mf.Scopes.TryGetValue(scopeName, out scope))
                {
                    throw new InputError(file, ln, 1, $"model {model} has no scope \"{scopeName}\"; it has: {string.Join(", ", mf.Scopes.Keys.Order())}");
                }
            }

            int arrow = body.IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0)
            {
                if (!OpText.TryCode(word, out _))
                {
                    throw new InputError(file, ln, indent + 1, $"unknown operation or header \"{word}\"; operations: {string.Join(", ", OpText.Names)}; headers: {string.Join(", ", Headers)}");
                }

                throw new InputError(file, ln, body.TrimEnd().Length + 1, "missing expected result: a step is \"OPERATION ARGS -> RESULT\"");
            }

            var op = OpText.Parse(body[..arrow], scope, file, ln, 1);
            string after = body[(arrow + 2)..];
            int resCol = arrow + 3 + (after.Length - after.TrimStart().Length);
            if (after.Trim().Length == 0)
            {
                throw new InputError(file, ln, arrow + 3, "missing expected result after \"->\"");
            }

            var expected = OpText.ParseResults(after.Trim(), file, ln, resCol);
            steps.Add(new TraceStep(op, expected, ln));
        }

        if (modelPath is null || model is null)
        {
            throw new InputError(file, "the trace has no \"model\" line");
        }

        if (steps.Count == 0)
        {
            throw new InputError(file, "the trace has no steps");
        }

        if (violates is not null && violatesAt > steps.Count)
        {
            throw new InputError(file, violatesLine, 1, $"\"violates ... at {violatesAt}\" but the trace has only {steps.Count} steps");
        }

        return new Trace(file, name, model, modelPath, scopeName, covers.ToImmutable(), meta.ToImmutable(), violates, violatesAt, steps.ToImmutable());
    }

    /// <summary>Renders a trace in text form.</summary>
    public static string Render(Trace t, Scope scope)
    {
        var sb = new StringBuilder();
        sb.Append("trace ").Append(t.Name).Append('\n');
        sb.Append("model ").Append(t.Model).Append('\n');
        sb.Append("scope ").Append(t.Scope).Append('\n');
        if (t.Covers.Length > 0)
        {
            sb.Append("covers ").Append(string.Join(' ', t.Covers)).Append('\n');
        }

        if (t.Meta.Count > 0)
        {
            sb.Append("meta ").Append(string.Join(' ', t.Meta.Select(kv => $"{kv.Key}={kv.Value}"))).Append('\n');
        }

        if (t.Violates is not null)
        {
            sb.Append("violates ").Append(t.Violates).Append(" at ").Append(t.ViolatesAt.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (var s in t.Steps)
        {
            sb.Append(OpText.Render(s.Op, scope)).Append(" -> ").Append(OpText.RenderResults(s.Expected, s.Op.ReturnsDomain)).Append('\n');
        }

        return sb.ToString();
    }
}
