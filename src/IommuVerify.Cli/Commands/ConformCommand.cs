using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using IommuVerify.Conformance;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Cli.Commands;

/// <summary><c>iommuverify conform &lt;files or folders&gt; [--impl ...] [--json]</c>.</summary>
public static class ConformCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "trace files (*.trace, *.itf.json) or folders of them" };
        var log = new Option<string?>("--log") { Description = "check a recorded log of operations and observed results instead of traces (needs --model)" };
        var model = new Option<string?>("--model") { Description = "with --log: the model file or shipped model name the log was recorded under" };
        var scope = new Option<string>("--scope") { Description = "with --log: the scope", DefaultValueFactory = _ => "standard" };
        var impl = new Option<string>("--impl") { Description = "reference, engine, or exec:\"COMMAND\" for an external implementation", DefaultValueFactory = _ => "reference" };
        var json = new Option<bool>("--json") { Description = "print a machine-readable result on standard output" };
        var timeout = new Option<double>("--step-timeout") { Description = "seconds an external implementation may take per step", DefaultValueFactory = _ => 5.0 };
        var cmd = new Command("conform", "Run traces against an implementation, with the reference model as judge; or check a recorded log") { paths, impl, json, timeout, log, model, scope };
        cmd.SetAction(pr => pr.GetValue(log) is { } logFile
            ? RunLog(logFile, pr.GetValue(model), pr.GetValue(scope)!)
            : Run(pr.GetValue(paths)!, pr.GetValue(impl)!, pr.GetValue(json), pr.GetValue(timeout)));
        return cmd;
    }

    private static int RunLog(string logFile, string? model, string scope)
    {
        if (model is null)
        {
            throw new Vocabulary.InputError("--log", "a log needs --model: the model file or shipped model it was recorded under");
        }

        var m = Vocabulary.Model.ModelLocator.Load(model);
        var verdict = LogChecker.Check(logFile, m, scope);
        foreach (var f in verdict.Findings)
        {
            Console.WriteLine($"{logFile}:{f.Line}: operation {f.Step}: {f.Message} [{string.Join(" ", f.Rules)}]");
        }

        Console.WriteLine($"conform --log {logFile}: {verdict.Steps} operations checked against {m.Name} ({scope}), {verdict.Findings.Length} findings");
        return verdict.Findings.IsEmpty ? ExitCodes.Ok : ExitCodes.Violation;
    }

    private static int Run(string[] paths, string implSpec, bool json, double timeout)
    {
        if (paths.Length == 0)
        {
            throw new Vocabulary.InputError("conform", "name trace files or folders, or --log FILE --model MODEL");
        }

        var files = TraceFiles.Expand(paths);
        if (files.Count == 0)
        {
            throw new Vocabulary.InputError(string.Join(" ", paths), "no trace files (*.trace, *.itf.json) found");
        }

        var models = new ModelCache();
        var runner = new ConformanceRunner(models, Inputs.SpecRuleList());
        var verdicts = new List<TraceVerdict>();
        using (var impl = Inputs.Implementation(implSpec, timeout))
        {
            foreach (string f in files)
            {
                var trace = TraceJson.LoadAny(f, models.Load);
                verdicts.Add(runner.Run(trace, impl));
            }
        }

        int failed = verdicts.Count(v => !v.Passed);
        if (json)
        {
            var arr = new JsonArray();
            foreach (var v in verdicts)
            {
                var fails = new JsonArray();
                foreach (var x in v.Failures)
                {
                    fails.Add(new JsonObject { ["kind"] = x.Kind.ToString(), ["step"] = x.Step, ["line"] = x.Line, ["message"] = x.Message, ["rules"] = new JsonArray(x.Rules.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()) });
                }

                arr.Add(new JsonObject { ["file"] = v.File, ["trace"] = v.Name, ["steps"] = v.Steps, ["passed"] = v.Passed, ["failures"] = fails });
            }

            var root = new JsonObject { ["implementation"] = implSpec, ["passed"] = verdicts.Count - failed, ["failed"] = failed, ["traces"] = arr };
            Console.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (var v in verdicts)
            {
                if (v.Passed)
                {
                    Console.WriteLine($"PASS {v.File} ({v.Steps} steps)");
                    continue;
                }

                Console.WriteLine($"FAIL {v.File}");
                foreach (var x in v.Failures)
                {
                    string where = x.Line > 0 ? $"{v.File}:{x.Line}" : v.File;
                    string rules = x.Rules.IsEmpty ? "" : $" [{string.Join(" ", x.Rules)}]";
                    Console.WriteLine($"  {where}: step {x.Step}: {x.Kind}: {x.Message}{rules}");
                }
            }

            Console.WriteLine($"conform --impl {implSpec}: {verdicts.Count - failed} passed, {failed} failed");
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.Violation;
    }
}
