using System.Diagnostics;
using IommuVerify.Reporting;
using IommuVerify.Testing;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Traces;
using Xunit;

namespace IommuVerify.Reporting.Tests;

public sealed class ReportTests
{
    private static CounterexampleView Build(string traceText, string name = "t")
    {
        string dir = Path.Combine(Path.GetTempPath(), "iommuverify-report-tests");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, name + ".trace");
        File.WriteAllText(file, traceText.Replace("MODELS", RepoPaths.PathOf("models"), StringComparison.Ordinal));
        var trace = TraceText.Load(file, ModelLoader.Load);
        return CounterexampleBuilder.Build(trace, ModelLoader.Load(trace.ModelPath));
    }

    private const string Alias = """
        model MODELS/amd-v2-per-domain-did.json
        scope small
        violates INV-TLB-COH at 5
        alloc_domain dev=gpu kind=paging flags=pasid -> ok d0
        attach_rid dev=gpu domain=d0 -> ok
        attach_rid dev=nic domain=d0 -> ok
        alloc_domain dev=gpu kind=paging flags=pasid -> ok d1
        attach_pasid dev=gpu pasid=1 domain=d1 -> ok
        attach_pasid dev=gpu pasid=1 domain=d1 -> EBUSY
        """;

    [Fact]
    public void Replay_finds_the_first_violation_and_its_witness()
    {
        var cx = Build(Alias);
        Assert.Equal(5, cx.ViolationStep);
        Assert.Equal(InvariantIds.TlbCoh, cx.InvariantId);
        Assert.Contains("gpu/pasid 1", cx.Witness, StringComparison.Ordinal);
        Assert.Contains("nic/pasid 1", cx.Witness, StringComparison.Ordinal);
        Assert.True(cx.Steps[5].Failed);
        Assert.Contains("PASID-ATTACH-9", cx.Steps[5].Rules);
        Assert.Contains(cx.Steps[4].Changes, c => c.StartsWith("pasid_domain: +", StringComparison.Ordinal));
        Assert.Empty(cx.Steps[5].Changes);
    }

    [Fact]
    public void Diagram_has_a_lane_per_device_and_domain_and_marks_failures_and_the_violation()
    {
        var cx = Build(Alias);
        string svg = SequenceDiagram.Render(cx);
        foreach (string lane in new[] { ">gpu<", ">nic<", ">d0<", ">d1<", ">IOMMU caches<" })
        {
            Assert.Contains(lane, svg, StringComparison.Ordinal);
        }

        Assert.Equal(6, CountOf(svg, "<g class=\"step\""));
        Assert.Equal(1, CountOf(svg, "class=\"arrow failed\""));
        Assert.Contains(">EBUSY<", svg, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(svg, "class=\"violation-row\""));
        Assert.Contains("INV-TLB-COH violated after step 5", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_is_self_contained_and_links_matrix_cells_to_their_counterexamples()
    {
        var cx = Build(Alias);
        var cells = InvariantIds.All.Select(id => id == InvariantIds.TlbCoh
            ? new MatrixCell(id, Expectation.Violated, Outcome.Violated, 5, cx.Trace.File)
            : new MatrixCell(id, Expectation.Holds, Outcome.Holds, null, null)).ToArray();
        var row = new MatrixRow(cx.Model.Name, cx.Model.Path, "proposal", "amd-vi", "small", [.. cells]);
        string outFile = Path.Combine(Path.GetTempPath(), "iommuverify-report-tests", "r.html");
        string html = HtmlReport.Render("t", [row], [cx], outFile, "test");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        foreach (string id in InvariantIds.All)
        {
            Assert.Contains("<th>" + id + "</th>", html, StringComparison.Ordinal);
        }

        string anchor = HtmlReport.Anchor(cx.Model.Name, InvariantIds.TlbCoh);
        Assert.Contains("href=\"#" + anchor + "\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"" + anchor + "\"", html, StringComparison.Ordinal);
        Assert.Contains("6 of 6 cells meet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_renders_in_headless_chromium_without_console_messages()
    {
        const string chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), "headless Chromium is needed: apt-get install chromium (.ci/run installs it)");
        var cx = Build(Alias);
        string dir = Path.Combine(Path.GetTempPath(), "iommuverify-report-tests", "chromium-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string html = Path.Combine(dir, "report.html");
        string png = Path.Combine(dir, "report.png");
        File.WriteAllText(html, HtmlReport.Render("t", [], [cx], html, "test"));
        var psi = new ProcessStartInfo(chromium)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + Path.Combine(dir, "profile"),
            "--window-size=1200,900", "--screenshot=" + png, "file://" + html,
        })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        string err = await errTask;
        Assert.True(File.Exists(png), "no screenshot written; chromium said: " + err);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is nearly empty");
        var consoleLines = err.Split('\n').Where(l => l.Contains(":CONSOLE(", StringComparison.Ordinal)).ToList();
        Assert.True(consoleLines.Count == 0, "console messages: " + string.Join("\n", consoleLines));
    }

    private static int CountOf(string s, string what)
    {
        int n = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
