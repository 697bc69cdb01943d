using System.Globalization;
using IommuVerify.Reference.State;
using IommuVerify.Smt.Encoding;
using IommuVerify.Smt.Solving;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Json;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Smt.Checking;

/// <summary>A user strengthening invariant from a model file's <c>"lemmas"</c>: its text and its meaning over a state.</summary>
/// <param name="Name">"lemma N" (1-based) and the text.</param>
/// <param name="Text">The source text.</param>
/// <param name="Holds">Builds the term that is true when the lemma holds in a state.</param>
public sealed record Lemma(string Name, string Text, Func<SymModel, SymState, Expr> Holds);

/// <summary>Parses lemmas. Syntax (one JSON string per lemma):
/// <code>
/// lemma  := [ "forall" NAME "in" SET { "," NAME "in" SET } ":" ] expr
/// SET    := slot | group | dev | mm | vm | iova | pasid (1..pasids) | pasid0 (0..pasids) | vpasid (1..vpasids)
/// expr   := or [ "-&gt;" expr ]          or := and { "||" and }      and := unary { "&amp;&amp;" unary }
/// unary  := "!" unary | "(" expr ")" | term CMP term          CMP := == | != | &lt; | &lt;= | &gt; | &gt;=
/// term   := atom { ("+" | "-") atom }    atom := INT | "-" INT | NAME | ARRAY "[" term { "," term } "]"
/// ARRAY  := dom_kind | dom_flags | dom_format | dom_mm | dom_parent | dom_users | pte | rid_domain | pasid_domain
///         | guest_pasid | mm_pasid | sva_users | pasid_owner | vpasid_table
/// </code>
/// Arrays are indexed as in the state (pte[slot, iova], pasid_domain[group, pasid0], ...); an index out of range reads -999.</summary>
public static class LemmaParser
{
    private static readonly Dictionary<string, int> Arrays = SymState.ArrayNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);

    /// <summary>Parses every lemma of a model file.</summary>
    public static List<Lemma> ParseAll(ModelFile model, Scope scope)
    {
        var list = new List<Lemma>();
        for (int i = 0; i < model.Lemmas.Length; i++)
        {
            var node = model.Lemmas[i];
            if (node.Kind != JsonKind.String)
            {
                throw new InputError(model.Path, node.Line, node.Column, "a lemma must be a string in the lemma syntax (see the prove command's documentation)");
            }

            string text = node.Text;
            var f = Parse(text, scope, e => new InputError(model.Path, node.Line, node.Column, $"lemma {i + 1}: {e}"));
            list.Add(new Lemma($"lemma {i + 1}", text, f));
        }

        return list;
    }

    /// <summary>Parses one lemma; <paramref name="error"/> makes the exception for a syntax error.</summary>
    public static Func<SymModel, SymState, Expr> Parse(string text, Scope scope, Func<string, Exception> error)
    {
        var p = new P(Tokenize(text, error), scope, error);
        var f = p.Lemma();
        return f;
    }

    private static List<string> Tokenize(string s, Func<string, Exception> error)
    {
        var t = new List<string>();
        int i = 0;
        string[] two = ["->", "||", "&&", "==", "!=", "<=", ">="];
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                int st = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
                {
                    i++;
                }

                t.Add(s[st..i]);
            }
            else if (i + 1 < s.Length && two.Contains(s.Substring(i, 2)))
            {
                t.Add(s.Substring(i, 2));
                i += 2;
            }
            else if ("()[],:<>!+-".Contains(c, StringComparison.Ordinal))
            {
                t.Add(c.ToString());
                i++;
            }
            else
            {
                throw error($"unexpected character '{c}' at offset {i}");
            }
        }

        return t;
    }

    private sealed class P(List<string> toks, Scope scope, Func<string, Exception> error)
    {
        private int _i;
        private readonly Dictionary<string, int> _env = new(StringComparer.Ordinal);
        private readonly List<(string Name, int Lo, int Hi)> _binders = [];

        private string Peek => _i < toks.Count ? toks[_i] : "";

        private string Next() => _i < toks.Count ? toks[_i++] : throw error("unexpected end of lemma");

        private void Expect(string s)
        {
            if (Next() != s)
            {
                throw error($"expected \"{s}\" near token {_i}");
            }
        }

        public Func<SymModel, SymState, Expr> Lemma()
        {
            if (Peek == "forall")
            {
                Next();
                do
                {
                    string name = Next();
                    Expect("in");
                    var (lo, hi) = Set(Next());
                    _binders.Add((name, lo, hi));
                }
                while (Peek == "," && Next() == ",");
                Expect(":");
            }

            var body = Expr();
            if (_i != toks.Count)
            {
                throw error($"unexpected \"{Peek}\" after the lemma");
            }

            var binders = _binders.ToList();
            return (m, s) =>
            {
                var env = new Dictionary<string, int>(StringComparer.Ordinal);
                var parts = new List<Expr>();
                void Loop(int b)
                {
                    if (b == binders.Count)
                    {
                        parts.Add(body(m, s, env));
                        return;
                    }

                    for (int v = binders[b].Lo; v <= binders[b].Hi; v++)
                    {
                        env[binders[b].Name] = v;
                        Loop(b + 1);
                    }
                }

                Loop(0);
                return m.T.And(parts);
            };
        }

        private (int Lo, int Hi) Set(string name) => name switch
        {
            "slot" => (0, scope.DomainSlots - 1),
            "group" => (0, scope.Groups.Length - 1),
            "dev" => (0, scope.Devices.Length - 1),
            "mm" => (0, scope.Mms.Length - 1),
            "vm" => (0, scope.Vms.Length - 1),
            "iova" => (0, scope.IovaPages - 1),
            "pasid" => (1, scope.Pasids),
            "pasid0" => (0, scope.Pasids),
            "vpasid" => (1, scope.Vpasids),
            _ => throw error($"unknown set \"{name}\"; expected slot, group, dev, mm, vm, iova, pasid, pasid0 or vpasid"),
        };

        private delegate Expr F(SymModel m, SymState s, Dictionary<string, int> env);

        private F Expr()
        {
            var a = Or();
            if (Peek == "->")
            {
                Next();
                var b = Expr();
                return (m, s, e) => a(m, s, e).Implies(b(m, s, e));
            }

            return a;
        }

        private F Or()
        {
            var a = And();
            while (Peek == "||")
            {
                Next();
                var l = a;
                var r = And();
                a = (m, s, e) => l(m, s, e) | r(m, s, e);
            }

            return a;
        }

        private F And()
        {
            var a = Unary();
            while (Peek == "&&")
            {
                Next();
                var l = a;
                var r = Unary();
                a = (m, s, e) => l(m, s, e) & r(m, s, e);
            }

            return a;
        }

        private F Unary()
        {
            if (Peek == "!")
            {
                Next();
                var a = Unary();
                return (m, s, e) => !a(m, s, e);
            }

            if (Peek == "(")
            {
                Next();
                var a = Expr();
                Expect(")");
                return a;
            }

            var l = Term();
            string op = Next();
            var r = Term();
            return op switch
            {
                "==" => (m, s, e) => l(m, s, e).Eq(r(m, s, e)),
                "!=" => (m, s, e) => l(m, s, e).Ne(r(m, s, e)),
                "<" => (m, s, e) => l(m, s, e).Lt(r(m, s, e)),
                "<=" => (m, s, e) => !r(m, s, e).Lt(l(m, s, e)),
                ">" => (m, s, e) => r(m, s, e).Lt(l(m, s, e)),
                ">=" => (m, s, e) => !l(m, s, e).Lt(r(m, s, e)),
                _ => throw error($"expected a comparison, found \"{op}\""),
            };
        }

        private F Term()
        {
            var a = Atom();
            while (Peek is "+" or "-")
            {
                bool minus = Next() == "-";
                var l = a;
                var r = Atom();
                a = minus
                    ? (m, s, e) => l(m, s, e) + (r(m, s, e).Value is { } c ? m.T.Int(-c) : throw error("only constants can be subtracted"))
                    : (m, s, e) => l(m, s, e) + r(m, s, e);
            }

            return a;
        }

        private F Atom()
        {
            string t = Next();
            if (t == "-")
            {
                int n = int.Parse(Next(), CultureInfo.InvariantCulture);
                return (m, _, _) => m.T.Int(-n);
            }

            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int v))
            {
                return (m, _, _) => m.T.Int(v);
            }

            if (Arrays.TryGetValue(t, out int arr))
            {
                Expect("[");
                var idx = new List<F> { Term() };
                while (Peek == ",")
                {
                    Next();
                    idx.Add(Term());
                }

                Expect("]");
                var dims = Dims(arr, idx.Count);
                return (m, s, e) => Read(m, s.Ints[arr], dims, [.. idx.Select(f => f(m, s, e))]);
            }

            if (_binders.Any(b => b.Name == t))
            {
                return (m, _, e) => m.T.Int(e[t]);
            }

            throw error($"unknown name \"{t}\"");
        }

        private int[] Dims(int arr, int given)
        {
            var l = new Layout(scope);
            int[] dims = SymState.ArrayNames[arr] switch
            {
                "pte" => [l.Slots, l.Iovas],
                "pasid_domain" => [l.Groups, l.PasidRow],
                "guest_pasid" => [l.Devices, l.PasidRow],
                "sva_users" => [l.Devices, l.Mms],
                "vpasid_table" => [l.Vms, l.VpasidRow],
                "rid_domain" => [l.Groups],
                "mm_pasid" => [l.Mms],
                "pasid_owner" => [l.PasidRow],
                _ => [l.Slots],
            };
            return dims.Length == given ? dims : throw error($"{SymState.ArrayNames[arr]} takes {dims.Length} index(es)");
        }

        private static Expr Read(SymModel m, Expr[] cells, int[] dims, Expr[] idx)
        {
            Expr Go(int d, int offset)
            {
                if (d == dims.Length)
                {
                    return cells[offset];
                }

                int stride = dims.Skip(d + 1).Aggregate(1, (a, b) => a * b);
                var options = Enumerable.Range(0, dims[d]).Select(v => Go(d + 1, offset + (v * stride))).ToList();
                return m.T.Select(options, idx[d], m.T.Int(-999));
            }

            return Go(0, 0);
        }
    }
}
