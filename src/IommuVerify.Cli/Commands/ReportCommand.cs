using System.Collections.Immutable;
using System.CommandLine;
using IommuVerify.Conformance;
using IommuVerify.Reporting;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;

namespace IommuVerify.Cli.Commands;

/// <summary><c>iommuverify report TRACES... --out FILE</c>: one self-contained HTML file of counterexamples.</summary>
/// <remarks>Cells of the matrix that no trace speaks for are shown as "not checked"; <c>matrix --report</c>
/// fills every cell from a real check.</remarks>
public static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("traces") { Arity = ArgumentArity.OneOrMore, Description = "trace files or folders (counterexamples or conformance traces)" };
        var output = new Option<string>("--out") { Description = "the HTML file to write", DefaultValueFactory = _ => "iommuverify-report.html" };
        var cmd = new Command("report", "Write an HTML report with a sequence diagram per trace") { paths, output };
        cmd.SetAction(pr => Run(pr.GetValue(paths)!, pr.GetValue(output)!));
        return cmd;
    }

    private static int Run(string[] paths, string output)
    {
        var models = new ModelCache();
        var views = new List<CounterexampleView>();
        foreach (string f in TraceFiles.Expand(paths))
        {
            var t = TraceJson.LoadAny(f, models.Load);
            views.Add(CounterexampleBuilder.Build(t, models.Load(t.ModelPath)));
        }

        var rows = new List<MatrixRow>();
        foreach (var byModel in views.GroupBy(v => v.Model.Path))
        {
            var m = byModel.First().Model;
            var cells = InvariantIds.All.Select(id =>
            {
                var cx = byModel.Where(v => v.InvariantId == id).OrderBy(v => v.ViolationStep).FirstOrDefault();
                return cx is null
                    ? new MatrixCell(id, m.Expect[id], Outcome.NotChecked, null, null)
                    : new MatrixCell(id, m.Expect[id], Outcome.Violated, cx.ViolationStep, cx.Trace.File);
            }).ToImmutableArray();
            rows.Add(new MatrixRow(m.Name, m.Path, m.Kind.ToString().ToLowerInvariant(), m.Platform, byModel.First().Trace.Scope, cells));
        }

        File.WriteAllText(output, HtmlReport.Render("IommuVerify report", rows, views, output, $"{views.Count} traces; cells no trace speaks for are not checked"));
        Console.WriteLine($"wrote {output}: {views.Count} traces, {views.Count(v => v.ViolationStep > 0)} with a violation");
        return ExitCodes.Ok;
    }
}
