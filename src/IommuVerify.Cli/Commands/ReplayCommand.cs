using System.CommandLine;
using IommuVerify.Conformance;
using IommuVerify.Reference;
using IommuVerify.Reference.Invariants;
using IommuVerify.Vocabulary.Operations;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Cli.Commands;

/// <summary><c>iommuverify replay &lt;trace&gt;</c>: replays a trace on the reference model, step by step.</summary>
public static class ReplayCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var trace = new Argument<string>("trace") { Description = "a trace file (*.trace or *.itf.json)" };
        var itf = new Option<string?>("--itf") { Description = "also write the trace in ITF JSON form, with every state, to this file" };
        var cmd = new Command("replay", "Replay a trace on the reference model and show each step, its rules and the invariants") { trace, itf };
        cmd.SetAction(pr => Run(pr.GetValue(trace)!, pr.GetValue(itf)));
        return cmd;
    }

    private static int Run(string file, string? itfOut)
    {
        var models = new ModelCache();
        var t = TraceJson.LoadAny(file, models.Load);
        var model = models.Load(t.ModelPath);
        var scope = model.GetScope(t.Scope);
        var reference = new ReferenceModel(model.Policy, scope);
        var checker = new InvariantChecker(reference);
        var state = reference.Initial();
        var states = new List<System.Text.Json.Nodes.JsonObject> { Reference.State.StateExport.Export(reference, state) };
        Console.WriteLine($"trace {t.Name}  model {model.Name} ({t.Model})  scope {t.Scope}");
        bool violated = false;
        for (int i = 0; i < t.Steps.Length; i++)
        {
            var step = t.Steps[i];
            var r = reference.Apply(state, step.Op);
            state = r.Next;
            states.Add(Reference.State.StateExport.Export(reference, state));
            bool match = r.Allowed.All(step.Expected.Contains) && step.Expected.All(r.Allowed.Contains);
            string got = OpText.RenderResults(r.Allowed, step.Op.ReturnsDomain);
            Console.WriteLine($"{i + 1,4}  {OpText.Render(step.Op, scope)} -> {got}{(match ? "" : $"   (trace expects {OpText.RenderResults(step.Expected, step.Op.ReturnsDomain)})")}   [{string.Join(" ", r.Rules)}]");
            if (!violated)
            {
                var v = checker.Check(state);
                if (!v.IsEmpty)
                {
                    violated = true;
                    foreach (var x in v)
                    {
                        Console.WriteLine($"      violates {x}");
                    }
                }
            }
        }

        if (itfOut is not null)
        {
            File.WriteAllText(itfOut, TraceJson.Render(t, scope, states));
            Console.WriteLine($"wrote {itfOut}");
        }

        var verdict = new ConformanceRunner(models, Inputs.SpecRuleList()).Run(t, new ReferenceImplementation());
        foreach (var f in verdict.Failures)
        {
            Console.WriteLine($"{(f.Line > 0 ? $"{file}:{f.Line}" : file)}: {f.Kind}: {f.Message}");
        }

        Console.WriteLine(verdict.Passed ? "replay: the trace replays as written" : "replay: the trace does not replay as written");
        return verdict.Passed ? ExitCodes.Ok : ExitCodes.Violation;
    }
}
