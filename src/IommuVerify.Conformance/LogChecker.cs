using System.Collections.Immutable;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Vocabulary;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Conformance;

/// <summary>One recorded result the spec does not allow, or the first invariant a log's run breaks.</summary>
/// <param name="Line">The log line.</param>
/// <param name="Step">The 1-based operation number.</param>
/// <param name="Message">What was recorded and what the spec allows, or the violation.</param>
/// <param name="Rules">The rule IDs of the step on the reference model.</param>
public sealed record LogFinding(int Line, int Step, string Message, ImmutableArray<string> Rules);

/// <summary>The verdict on a recorded log.</summary>
/// <param name="Steps">Operations checked.</param>
/// <param name="Findings">Empty when every recorded result is allowed and every state keeps every invariant.</param>
public sealed record LogVerdict(int Steps, ImmutableArray<LogFinding> Findings);

/// <summary>Checks a log of operations and their observed results, as an instrumented driver or emulator
/// writes it, against the spec (spec/protocol.md, "Log mode"): every observed result must be one the
/// reference model allows at that point, and every state must keep every invariant.</summary>
public static class LogChecker
{
    /// <summary>Checks a log file against a model's scope.</summary>
    public static LogVerdict Check(string file, ModelFile model, string scopeName)
    {
        if (!File.Exists(file))
        {
            throw new InputError(file, "no such log file");
        }

        var scope = model.GetScope(scopeName);
        var reference = new ReferenceModel(model.Policy, scope);
        var checker = new InvariantChecker(reference);
        var state = reference.Initial();
        var findings = ImmutableArray.CreateBuilder<LogFinding>();
        bool violated = false;
        int step = 0, ln = 0;
        foreach (string raw in File.ReadLines(file))
        {
            ln++;
            string line = raw;
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            int col = 1;
            string t = line.TrimStart();
            col += line.Length - t.Length;
            if (t.StartsWith('['))
            {
                int close = t.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new InputError(file, ln, col, "a '[' prefix (timestamp) without its ']'");
                }

                string rest = t[(close + 1)..];
                col += close + 1 + (rest.Length - rest.TrimStart().Length);
                t = rest.TrimStart();
            }

            t = t.TrimEnd();
            if (t.Length == 0)
            {
                continue;
            }

            int arrow = t.IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0)
            {
                throw new InputError(file, ln, col + t.Length, "missing observed result: a log line is \"[prefix] OPERATION ARGS -> RESULT\"");
            }

            var op = OpText.Parse(t[..arrow], scope, file, ln, col);
            string after = t[(arrow + 2)..];
            var observed = OpText.ParseResults(after.Trim(), file, ln, col + arrow + 2 + (after.Length - after.TrimStart().Length));
            if (observed.Length != 1)
            {
                throw new InputError(file, ln, col + arrow + 2, "a log records one observed result per operation");
            }

            step++;
            var r = reference.Apply(state, op);
            if (!r.Allowed.Contains(observed[0]))
            {
                findings.Add(new LogFinding(ln, step,
                    $"{OpText.Render(op, scope)}: observed {observed[0].Render(op.ReturnsDomain)}, the spec allows {OpText.RenderResults(r.Allowed, op.ReturnsDomain)}", r.Rules));
            }

            state = r.Next;
            if (!violated)
            {
                var v = checker.Check(state);
                if (!v.IsEmpty)
                {
                    violated = true;
                    findings.Add(new LogFinding(ln, step, $"after {OpText.Render(op, scope)} the state violates {v[0]}", r.Rules));
                }
            }
        }

        return new LogVerdict(step, findings.ToImmutable());
    }
}
