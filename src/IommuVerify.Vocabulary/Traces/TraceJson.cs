using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IommuVerify.Vocabulary.Json;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Vocabulary.Traces;

/// <summary>The JSON trace form, shaped as ITF (Apalache/Quint): <c>#meta</c>, <c>vars</c>, <c>states</c>.</summary>
/// <remarks>Each state carries the variables <c>action</c>, <c>args</c> and <c>result</c> of the step that led to it
/// (state 0 has action <c>init</c>), plus the model's state variables when the writer was given them.</remarks>
public static class TraceJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Renders a trace; <paramref name="states"/> (one per step plus the initial state) may be null.</summary>
    public static string Render(Trace t, Scope scope, IReadOnlyList<JsonObject>? states)
    {
        var meta = new JsonObject
        {
            ["format"] = "ITF",
            ["format-description"] = "https://apalache-mc.org/docs/adr/015adr-trace.html",
            ["description"] = "IommuVerify trace",
            ["trace"] = t.Name,
            ["model"] = t.Model,
            ["scope"] = t.Scope,
            ["covers"] = new JsonArray(t.Covers.Select(c => (System.Text.Json.Nodes.JsonNode?)JsonValue.Create(c)).ToArray()),
        };
        if (t.Violates is not null)
        {
            meta["violates"] = t.Violates;
            meta["violates_at"] = t.ViolatesAt;
        }

        var m = new JsonObject();
        foreach (var kv in t.Meta)
        {
            m[kv.Key] = kv.Value;
        }

        meta["meta"] = m;
        var vars = new JsonArray("action", "args", "result");
        if (states is not null && states.Count > 0)
        {
            foreach (var k in states[0])
            {
                vars.Add(k.Key);
            }
        }

        var list = new JsonArray();
        for (int i = 0; i <= t.Steps.Length; i++)
        {
            var st = new JsonObject { ["#meta"] = new JsonObject { ["index"] = i } };
            if (i == 0)
            {
                st["action"] = "init";
                st["args"] = new JsonObject();
                st["result"] = "";
            }
            else
            {
                var step = t.Steps[i - 1];
                string text = OpText.Render(step.Op, scope);
                var words = text.Split(' ');
                st["action"] = words[0];
                var args = new JsonObject();
                foreach (string w in words.Skip(1))
                {
                    int eq = w.IndexOf('=', StringComparison.Ordinal);
                    string k = w[..eq], v = w[(eq + 1)..];
                    args[k] = int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : v;
                }

                st["args"] = args;
                st["result"] = OpText.RenderResults(step.Expected, step.Op.ReturnsDomain);
            }

            if (states is not null && i < states.Count)
            {
                foreach (var kv in states[i])
                {
                    st[kv.Key] = kv.Value?.DeepClone();
                }
            }

            list.Add(st);
        }

        var root = new JsonObject { ["#meta"] = meta, ["vars"] = vars, ["states"] = list };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>Parses the JSON form; the state variables other than action, args and result are not needed and ignored.</summary>
    public static Trace Parse(string file, string text, Func<string, ModelFile> loadModel)
    {
        var root = new ObjectReader(file, JsonReader.Parse(file, text), "the ITF trace");
        var meta = new ObjectReader(file, root.Required("#meta"), "\"#meta\"");
        root.Required("vars");
        var states = root.Array("states");
        root.RejectUnknown();
        meta.Optional("format");
        meta.Optional("format-description");
        meta.Optional("description");
        string name = meta.String("trace", Path.GetFileNameWithoutExtension(file));
        string model = meta.String("model");
        string scopeName = meta.String("scope", ModelFile.StandardScope);
        var covers = meta.OptionalArray("covers").Select(n => meta.AsString(n, "covers")).ToImmutableArray();
        string? violates = meta.Optional("violates") is { } vn ? meta.AsString(vn, "violates") : null;
        int violatesAt = violates is null ? 0 : meta.Int("violates_at", 1, int.MaxValue);
        if (violates is not null && !InvariantIds.All.Contains(violates))
        {
            throw meta.ErrorAt(meta.Required("violates"), $"unknown invariant \"{violates}\"; expected one of: {string.Join(", ", InvariantIds.All)}");
        }

        var kvs = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (meta.Optional("meta") is { } mn)
        {
            var mr = new ObjectReader(file, mn, "\"#meta\".\"meta\"");
            foreach (var member in mn.Members)
            {
                kvs[member.Name] = mr.AsString(member.Value, member.Name);
            }
        }

        meta.RejectUnknown();
        string modelPath = TraceText.ResolveModel(file, model);
        var mf = loadModel(modelPath);
        var scope = mf.GetScope(scopeName);
        var steps = ImmutableArray.CreateBuilder<TraceStep>();
        for (int i = 0; i < states.Length; i++)
        {
            var st = new ObjectReader(file, states[i], $"state {i}");
            string action = st.String("action");
            if (i == 0)
            {
                if (action != "init")
                {
                    throw st.ErrorAt(st.Required("action"), "state 0 must have action \"init\"");
                }

                continue;
            }

            var argsNode = new ObjectReader(file, st.Required("args"), "\"args\"");
            var sb = new StringBuilder(action);
            foreach (var a in argsNode.Node.Members)
            {
                string v = a.Value.Kind switch
                {
                    JsonKind.String or JsonKind.Number => a.Value.Text,
                    _ => throw argsNode.ErrorAt(a.Value, $"argument \"{a.Name}\" must be a string or a number, found {a.Value.Describe()}"),
                };
                sb.Append(' ').Append(a.Name).Append('=').Append(v);
            }

            var resultNode = st.Required("result");
            var op = OpText.Parse(sb.ToString(), scope, file, states[i].Line, states[i].Column);
            var expected = OpText.ParseResults(st.AsString(resultNode, "result"), file, resultNode.Line, resultNode.Column);
            steps.Add(new TraceStep(op, expected, states[i].Line));
        }

        if (steps.Count == 0)
        {
            throw new InputError(file, "the trace has no steps");
        }

        if (violates is not null && violatesAt > steps.Count)
        {
            throw new InputError(file, $"\"violates_at\" is {violatesAt} but the trace has only {steps.Count} steps");
        }

        return new Trace(file, name, model, modelPath, scopeName, covers, kvs.ToImmutable(), violates, violatesAt, steps.ToImmutable());
    }

    /// <summary>Loads a trace in either form, by extension (.json is ITF, anything else text).</summary>
    public static Trace LoadAny(string file, Func<string, ModelFile> loadModel)
    {
        if (!File.Exists(file))
        {
            throw new InputError(file, "no such trace file");
        }

        string text = File.ReadAllText(file);
        return file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Parse(file, text, loadModel) : TraceText.Parse(file, text, loadModel);
    }
}
