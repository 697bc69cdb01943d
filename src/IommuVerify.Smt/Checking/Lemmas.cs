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
/// <param name="ReadsCaches">True when the lemma reads a PTE, an IOTLB, device-TLB or flush-queue cell, or a function
/// of them (walk, exempt): bmc then checks it on the path with caches only, since the cache-free path leaves those
/// cells unconstrained.</param>
public sealed record Lemma(string Name, string Text, Func<SymModel, SymState, Expr> Holds, bool ReadsCaches = false);

/// <summary>Parses lemmas. Syntax (one JSON string per lemma):
/// <code>
/// lemma   := expr
/// expr    := quant | imp              quant := ("forall" | "exists") binders ":" expr
/// binders := NAME "in" SET { "," NAME "in" SET }
/// imp     := or [ "-&gt;" expr ]        or := and { "||" and }      and := unary { "&amp;&amp;" unary }
/// unary   := "!" unary | quant | "(" expr ")" | term [ CMP term ]      CMP := == | != | &lt; | &lt;= | &gt; | &gt;=
/// term    := atom { ("+" | "-") atom }
/// atom    := INT | "-" INT | "true" | "false" | NAME | ARRAY "[" term { "," term } "]"
///          | CACHE "[" term { "," term } "]" | FUNC "(" term { "," term } ")" | "#" "(" binders ":" expr ")"
/// SET     := slot | group | dev | mm | vm | iova | pasid (1..pasids) | pasid0 (0..pasids) | vpasid (1..vpasids)
///          | tag (the IOTLB tags of the scope) | pte (the non-zero PTE values of the scope)
/// ARRAY   := dom_kind | dom_flags | dom_format | dom_mm | dom_parent | dom_users | pte | rid_domain | pasid_domain
///          | guest_pasid | mm_pasid | sva_users | pasid_owner | vpasid_table
/// CACHE   := iotlb[tag, iova, pte] | devtlb[dev, pasid0, iova, pte] | fq[slot, iova]             (Boolean)
/// FUNC    := tag(dev, pasid0) | table(dev, pasid0) | walk(dev, pasid0, iova) | group(dev)       (integer)
///          | uses(dev, pasid0, slot) | exempt(dev, pasid0, iova)                               (Boolean)
/// </code>
/// Arrays are indexed as in the state (pte[slot, iova], pasid_domain[group, pasid0], ...); an index out of range reads
/// -999. Cache cells and functions take arguments that are constants once the bound names are substituted; a cache
/// cell outside the scope's universe (a device without ATS, a tag the policy never makes) reads false. <c>#(...)</c>
/// counts the bindings that satisfy its condition; <c>tag</c>, <c>table</c>, <c>walk</c>, <c>uses</c> and
/// <c>exempt</c> are the context's IOTLB tag (-1 for none), page table, walk result (0 for a fault), whether it walks
/// the slot (directly or as a nested domain's parent) and whether a queued invalidation exempts it (TLB-FQ-2), as in
/// spec/invariants.md.</summary>
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
            var (f, caches) = ParseWithCone(text, scope, e => new InputError(model.Path, node.Line, node.Column, $"lemma {i + 1}: {e}"));
            list.Add(new Lemma($"lemma {i + 1}", text, f, caches));
        }

        return list;
    }

    /// <summary>Parses one lemma; <paramref name="error"/> makes the exception for a syntax error (also raised when the
    /// lemma is first built over a state, for arguments that are not constants).</summary>
    public static Func<SymModel, SymState, Expr> Parse(string text, Scope scope, Func<string, Exception> error) =>
        ParseWithCone(text, scope, error).Holds;

    /// <summary>Parses one lemma and tells whether it reads cache or PTE cells (see <see cref="Lemma.ReadsCaches"/>).</summary>
    public static (Func<SymModel, SymState, Expr> Holds, bool ReadsCaches) ParseWithCone(string text, Scope scope, Func<string, Exception> error)
    {
        var p = new P(Tokenize(text, error), scope, error);
        var f = p.Lemma();
        return (f, p.ReadsCaches);
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
            else if ("()[],:<>!+-#".Contains(c, StringComparison.Ordinal))
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
        private static readonly string[] Comparisons = ["==", "!=", "<", "<=", ">", ">="];
        private static readonly Dictionary<string, int> FuncArity = new(StringComparer.Ordinal)
        {
            ["tag"] = 2, ["table"] = 2, ["walk"] = 3, ["group"] = 1, ["uses"] = 3, ["exempt"] = 3,
        };

        private int _i;
        private readonly List<string> _bound = [];

        /// <summary>Set once the lemma names a PTE or cache cell, or walk or exempt.</summary>
        public bool ReadsCaches { get; private set; }

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
            var body = Expr();
            if (_i != toks.Count)
            {
                throw error($"unexpected \"{Peek}\" after the lemma");
            }

            return (m, s) =>
            {
                var e = body(m, s, new Dictionary<string, int>(StringComparer.Ordinal));
                return e.IsBool ? e : throw error("a lemma must be a condition, not a number");
            };
        }

        private delegate Expr F(SymModel m, SymState s, Dictionary<string, int> env);

        /// <summary>The values of a set, given the encoding (tag and pte depend on the policy's universe).</summary>
        private Func<SymModel, IReadOnlyList<int>> Set(string name)
        {
            (int Lo, int Hi)? range = name switch
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
                _ => null,
            };
            if (range is { } r)
            {
                int[] values = [.. Enumerable.Range(r.Lo, Math.Max(0, r.Hi - r.Lo + 1))];
                return _ => values;
            }

            return name switch
            {
                "tag" => m => m.U.Tags,
                "pte" => m => m.U.PteValues,
                _ => throw error($"unknown set \"{name}\"; expected slot, group, dev, mm, vm, iova, pasid, pasid0, vpasid, tag or pte"),
            };
        }

        private List<(string Name, Func<SymModel, IReadOnlyList<int>> Values)> Binders()
        {
            var list = new List<(string, Func<SymModel, IReadOnlyList<int>>)>();
            do
            {
                string name = Next();
                if (!IsName(name) || Arrays.ContainsKey(name) || FuncArity.ContainsKey(name) || name is "iotlb" or "devtlb" or "fq")
                {
                    throw error($"\"{name}\" cannot name a bound variable");
                }

                Expect("in");
                list.Add((name, Set(Next())));
            }
            while (Peek == "," && Next() == ",");
            Expect(":");
            return list;
        }

        private static bool IsName(string t) => t.Length > 0 && (char.IsLetter(t[0]) || t[0] == '_');

        /// <summary>Every binding of <paramref name="binders"/>, each applied to <paramref name="body"/>.</summary>
        private static List<Expr> Expand(SymModel m, SymState s, Dictionary<string, int> env, List<(string Name, Func<SymModel, IReadOnlyList<int>> Values)> binders, F body)
        {
            var parts = new List<Expr>();
            void Loop(int b)
            {
                if (b == binders.Count)
                {
                    parts.Add(body(m, s, env));
                    return;
                }

                bool had = env.TryGetValue(binders[b].Name, out int old);
                foreach (int v in binders[b].Values(m))
                {
                    env[binders[b].Name] = v;
                    Loop(b + 1);
                }

                if (had)
                {
                    env[binders[b].Name] = old;
                }
                else
                {
                    env.Remove(binders[b].Name);
                }
            }

            Loop(0);
            return parts;
        }

        /// <summary>Parses binders and a body with the binders' names in scope.</summary>
        private (List<(string Name, Func<SymModel, IReadOnlyList<int>> Values)> Binders, F Body) Scoped()
        {
            var binders = Binders();
            _bound.AddRange(binders.Select(b => b.Name));
            var body = Expr();
            _bound.RemoveRange(_bound.Count - binders.Count, binders.Count);
            return (binders, body);
        }

        private F Expr()
        {
            if (Peek is "forall" or "exists")
            {
                return Quant();
            }

            var a = Or();
            if (Peek == "->")
            {
                Next();
                var b = Expr();
                return (m, s, e) => Bool(a(m, s, e)).Implies(Bool(b(m, s, e)));
            }

            return a;
        }

        private F Quant()
        {
            bool all = Next() == "forall";
            var (binders, body) = Scoped();
            return all
                ? (m, s, e) => m.T.And(Expand(m, s, e, binders, body).Select(Bool))
                : (m, s, e) => m.T.Or(Expand(m, s, e, binders, body).Select(Bool));
        }

        private Expr Bool(Expr x) => x.IsBool ? x : throw error("a number where a condition is expected");

        private Expr Num(Expr x) => !x.IsBool ? x : throw error("a condition where a number is expected");

        private F Or()
        {
            var a = And();
            while (Peek == "||")
            {
                Next();
                var l = a;
                var r = And();
                a = (m, s, e) => Bool(l(m, s, e)) | Bool(r(m, s, e));
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
                a = (m, s, e) => Bool(l(m, s, e)) & Bool(r(m, s, e));
            }

            return a;
        }

        private F Unary()
        {
            if (Peek == "!")
            {
                Next();
                var a = Unary();
                return (m, s, e) => !Bool(a(m, s, e));
            }

            if (Peek is "forall" or "exists")
            {
                return Quant();
            }

            if (Peek == "(")
            {
                Next();
                var a = Expr();
                Expect(")");
                return a;
            }

            var l = Term();
            if (!Comparisons.Contains(Peek))
            {
                return (m, s, e) => Bool(l(m, s, e));
            }

            string op = Next();
            var r = Term();
            return op switch
            {
                "==" => (m, s, e) => Num(l(m, s, e)).Eq(Num(r(m, s, e))),
                "!=" => (m, s, e) => Num(l(m, s, e)).Ne(Num(r(m, s, e))),
                "<" => (m, s, e) => Num(l(m, s, e)).Lt(Num(r(m, s, e))),
                "<=" => (m, s, e) => !Num(r(m, s, e)).Lt(Num(l(m, s, e))),
                ">" => (m, s, e) => Num(r(m, s, e)).Lt(Num(l(m, s, e))),
                _ => (m, s, e) => !Num(l(m, s, e)).Lt(Num(r(m, s, e))),
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
                    ? (m, s, e) => Num(l(m, s, e)) + (Num(r(m, s, e)).Value is { } c ? m.T.Int(-c) : throw error("only constants can be subtracted"))
                    : (m, s, e) => Num(l(m, s, e)) + Num(r(m, s, e));
            }

            return a;
        }

        private List<F> Args(string open, string close)
        {
            Expect(open);
            var idx = new List<F> { Term() };
            while (Peek == ",")
            {
                Next();
                idx.Add(Term());
            }

            Expect(close);
            return idx;
        }

        private int Const(Expr x, string what) => x.Value is { } v && !x.IsBool ? v : throw error($"{what} takes arguments that are constants once bound names are substituted");

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

            if (t is "true" or "false")
            {
                return (m, _, _) => m.T.Bool(t == "true");
            }

            if (t == "#")
            {
                Expect("(");
                var (binders, body) = Scoped();
                Expect(")");
                return (m, s, e) => Expand(m, s, e, binders, body).Aggregate(m.T.Int(0), (sum, c) => sum + m.T.Ite(Bool(c), 1, 0));
            }

            if (_bound.Contains(t))
            {
                return (m, _, e) => m.T.Int(e[t]);
            }

            if (Arrays.TryGetValue(t, out int arr))
            {
                ReadsCaches |= t == "pte";
                var idx = Args("[", "]");
                var dims = Dims(arr, idx.Count);
                return (m, s, e) => Read(m, s.Ints[arr], dims, [.. idx.Select(f => Num(f(m, s, e)))]);
            }

            if (t is "iotlb" or "devtlb" or "fq")
            {
                ReadsCaches = true;
                var idx = Args("[", "]");
                int want = t == "iotlb" ? 3 : t == "devtlb" ? 4 : 2;
                if (idx.Count != want)
                {
                    throw error($"{t} takes {want} indexes");
                }

                return (m, s, e) => Cache(m, s, t, [.. idx.Select(f => Const(Num(f(m, s, e)), t))]);
            }

            if (FuncArity.TryGetValue(t, out int arity))
            {
                ReadsCaches |= t is "walk" or "exempt";
                var args = Args("(", ")");
                if (args.Count != arity)
                {
                    throw error($"{t} takes {arity} argument(s)");
                }

                return (m, s, e) => Func(m, s, t, [.. args.Select(f => Const(Num(f(m, s, e)), t))]);
            }

            throw error($"unknown name \"{t}\"");
        }

        private Expr Cache(SymModel m, SymState s, string name, int[] a)
        {
            var u = m.U;
            switch (name)
            {
                case "iotlb":
                    return u.Tags.Contains(a[0]) && a[1] >= 0 && a[1] < u.Iovas && u.PteValues.Contains(a[2]) ? s.Iotlb[u.IotlbIndex(a[0], a[1], a[2])] : m.T.False;
                case "devtlb":
                    return u.AtsDevices.Contains(a[0]) && a[1] >= 0 && a[1] < u.PasidRow && a[2] >= 0 && a[2] < u.Iovas && u.PteValues.Contains(a[3])
                        ? s.DevTlb[u.DevTlbIndex(a[0], a[1], a[2], a[3])] : m.T.False;
                default:
                    return a[0] >= 0 && a[0] < u.Slots && a[1] >= 0 && a[1] < u.Iovas ? s.Fq[u.FqIndex(a[0], a[1])] : m.T.False;
            }
        }

        private Expr Func(SymModel m, SymState s, string name, int[] a)
        {
            if (a[0] < 0 || a[0] >= scope.Devices.Length)
            {
                throw error($"{name}: no device {a[0]}");
            }

            if (name == "group")
            {
                return m.T.Int(scope.Devices[a[0]].Group);
            }

            if (a[1] < 0 || a[1] > scope.Pasids)
            {
                throw error($"{name}: no PASID {a[1]}");
            }

            if (a.Length == 3 && (a[2] < 0 || a[2] >= (name == "uses" ? scope.DomainSlots : scope.IovaPages)))
            {
                throw error($"{name}: argument {a[2]} is out of range");
            }

            return name switch
            {
                "tag" => m.TagOf(s, a[0], a[1]),
                "table" => m.TableOf(s, a[0], a[1]),
                "walk" => m.WalkPte(s, a[0], a[1], a[2]),
                "uses" => m.ContextUses(s, a[0], a[1], a[2]),
                _ => m.DeferredExempt(s, a[0], a[1], a[2]),
            };
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
