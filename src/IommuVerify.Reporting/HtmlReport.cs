using System.Globalization;
using System.Net;
using System.Text;
using IommuVerify.Vocabulary.Model;

namespace IommuVerify.Reporting;

/// <summary>Writes one self-contained HTML file: the policy × invariant matrix, then each counterexample as a
/// sequence diagram and a table of steps with their state changes. No scripts, fonts or network resources.</summary>
public static class HtmlReport
{
    /// <summary>Renders the report. Trace links are made relative to <paramref name="outputFile"/>'s folder.</summary>
    public static string Render(string title, IReadOnlyList<MatrixRow> matrix, IReadOnlyList<CounterexampleView> counterexamples, string outputFile, string generatedBy)
    {
        string outDir = Path.GetDirectoryName(Path.GetFullPath(outputFile)) ?? ".";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>").Append(Css).Append("</style></head><body>");
        sb.Append("<header><h1>").Append(E(title)).Append("</h1><p class=\"sub\">").Append(E(generatedBy)).Append("</p></header>");
        if (matrix.Count > 0)
        {
            int met = matrix.Sum(r => r.Cells.Count(c => c.MeetsExpectation));
            int total = matrix.Sum(r => r.Cells.Length);
            sb.Append(CultureInfo.InvariantCulture, $"<section><h2>Policy × invariant</h2><p>{met} of {total} cells meet the model's expectation.</p>");
            sb.Append("<table class=\"matrix\"><thead><tr><th>model</th><th>kind</th><th>platform</th><th>scope</th>");
            foreach (string id in InvariantIds.All)
            {
                sb.Append("<th>").Append(E(id)).Append("</th>");
            }

            sb.Append("</tr></thead><tbody>");
            foreach (var row in matrix)
            {
                sb.Append("<tr><td class=\"model\">").Append(E(row.Model)).Append("</td><td>").Append(E(row.Kind)).Append("</td><td>")
                  .Append(E(row.Platform)).Append("</td><td>").Append(E(row.Scope)).Append("</td>");
                foreach (var c in row.Cells)
                {
                    string cls = c.MeetsExpectation ? "met" : c.Outcome == Outcome.NotChecked ? "unchecked" : "unmet";
                    sb.Append("<td class=\"cell ").Append(cls).Append("\">");
                    switch (c.Outcome)
                    {
                        case Outcome.Violated:
                            string len = c.Length?.ToString(CultureInfo.InvariantCulture) ?? "?";
                            sb.Append("violated<br><small>");
                            if (c.TraceFile is not null)
                            {
                                string anchor = Anchor(row.Model, c.Invariant);
                                sb.Append("<a href=\"#").Append(anchor).Append("\">").Append(len).Append(" steps</a> · <a href=\"")
                                  .Append(E(Rel(outDir, c.TraceFile))).Append("\">trace</a>");
                            }
                            else
                            {
                                sb.Append(len).Append(" steps");
                            }

                            sb.Append("</small>");
                            break;
                        case Outcome.Holds: sb.Append("holds"); break;
                        case Outcome.Inconclusive: sb.Append("inconclusive"); break;
                        default: sb.Append("not checked"); break;
                    }

                    sb.Append("<br><small class=\"exp\">expected ").Append(c.Expected == Expectation.Holds ? "holds" : "violated").Append("</small></td>");
                }

                sb.Append("</tr>");
            }

            sb.Append("</tbody></table></section>");
        }

        foreach (var cx in counterexamples)
        {
            string anchor = Anchor(cx.Model.Name, cx.InvariantId);
            sb.Append("<section class=\"cx\" id=\"").Append(anchor).Append("\"><h2>").Append(E(cx.Model.Name)).Append(": ")
              .Append(cx.ViolationStep > 0 ? E(cx.InvariantId) + " violated" : "trace keeps every invariant").Append("</h2>");
            sb.Append("<p class=\"meta\">trace <code>").Append(E(cx.Trace.Name)).Append("</code> · ").Append(cx.Steps.Length.ToString(CultureInfo.InvariantCulture))
              .Append(" steps · scope <code>").Append(E(cx.Trace.Scope)).Append("</code>");
            foreach (var kv in cx.Trace.Meta)
            {
                sb.Append(" · ").Append(E(kv.Key)).Append('=').Append(E(kv.Value));
            }

            sb.Append("</p>");
            if (cx.ViolationStep > 0)
            {
                sb.Append("<p class=\"witness\"><strong>").Append(E(cx.InvariantId)).Append("</strong> after step ")
                  .Append(cx.ViolationStep.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(E(cx.Witness)).Append("</p>");
            }

            sb.Append("<div class=\"diagram\">").Append(SequenceDiagram.Render(cx)).Append("</div>");
            sb.Append("<table class=\"steps\"><thead><tr><th>#</th><th>operation</th><th>result</th><th>rules</th><th>state change</th></tr></thead><tbody>");
            foreach (var s in cx.Steps)
            {
                string cls = s.Index == cx.ViolationStep ? " class=\"bad\"" : s.Failed ? " class=\"failed\"" : "";
                sb.Append("<tr").Append(cls).Append("><td>").Append(s.Index.ToString(CultureInfo.InvariantCulture)).Append("</td><td><code>").Append(E(s.OpText))
                  .Append("</code></td><td><code>").Append(E(s.Result.Render(s.Op.ReturnsDomain))).Append("</code></td><td>").Append(E(string.Join(" ", s.Rules)))
                  .Append("</td><td>").Append(s.Changes.IsEmpty ? "<span class=\"none\">no change</span>" : string.Join("<br>", s.Changes.Select(E))).Append("</td></tr>");
            }

            sb.Append("</tbody></table></section>");
        }

        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>The HTML id of a model's counterexample for an invariant.</summary>
    public static string Anchor(string model, string invariant) =>
        "cx-" + new string((model + "-" + invariant).Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray());

    private static string Rel(string dir, string file)
    {
        string rel = Path.GetRelativePath(dir, Path.GetFullPath(file));
        return rel.Replace('\\', '/');
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7fb}
header{background:#1f3a5f;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}.sub{margin:4px 0 0;opacity:.8;font-size:13px}
section{background:#fff;margin:18px 24px;padding:16px 20px;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:17px;margin:0 0 10px}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #dde1ea;padding:5px 8px;vertical-align:top}th{background:#eef1f7;text-align:left}
.matrix td.cell{text-align:center;min-width:92px}.met{background:#e5f5e8}.unmet{background:#fde3e1;font-weight:600}.unchecked{background:#f1f1f1;color:#777}
.exp{color:#667}.model{font-weight:600}
.meta{color:#556;font-size:13px}.witness{background:#fff4e5;border-left:4px solid #e08a00;padding:8px 10px;font-size:14px}
.diagram{overflow-x:auto;margin:10px 0}
svg.seq{background:#fcfcfe;border:1px solid #e3e6ee;border-radius:6px}
.lane-head{fill:#e8eefb;stroke:#8aa0c8}.lane-head.domain{fill:#eaf6ec;stroke:#7fb08a}.lane-head.iommu{fill:#f3e9fb;stroke:#a07cc0}.lane-head.mm,.lane-head.vm{fill:#fdf3e3;stroke:#c9a063}
.lane-name{font-size:12px;font-weight:600;fill:#1d2330}.lifeline{stroke:#c3c9d6;stroke-dasharray:4 4}
.arrow{stroke:#2d5aa0;stroke-width:1.6;fill:none}.arrow.failed{stroke:#c0392b;stroke-dasharray:5 3}.head{fill:#2d5aa0}
.op{font-size:11px;fill:#1d2330;font-family:ui-monospace,monospace}.res{font-size:11px;fill:#2d7a3a;font-family:ui-monospace,monospace}.res.failed{fill:#c0392b;font-weight:600}
.violation-row{fill:#ffe1dc}.note{fill:#fff4e5;stroke:#e08a00}.note-title{font-size:13px;font-weight:700;fill:#9a4d00}.note-text{font-size:12px;fill:#5a3a10}
.steps tr.bad td{background:#ffe1dc}.steps tr.failed td{color:#9b2b1f}.none{color:#999}
code{font-family:ui-monospace,monospace;font-size:12px}
""";
}
