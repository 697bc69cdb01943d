using System.Globalization;
using IommuVerify.Explorer;
using Spectre.Console;
using Progress = IommuVerify.Explorer.Progress;

namespace IommuVerify.Cli.Commands;

/// <summary>Shows a long search's progress: a live Spectre.Console table when standard error is a terminal,
/// plain lines (one every few seconds) when it is not, so logs and CI stay readable.</summary>
public static class LiveProgress
{
    /// <summary>True when a person is watching: standard error is a terminal and not CI.</summary>
    public static bool Interactive =>
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null or "" or "false";

    /// <summary>A progress line for logs.</summary>
    public static string Line(Progress p) => string.Create(CultureInfo.InvariantCulture,
        $"progress: {p.States} states, depth {p.Depth}, {p.TransitionsPerSecond:F0} transitions/s, queue {p.Queue}, memory {p.MemoryBytes / (1 << 20)} MiB, {p.Elapsed.TotalSeconds:F0} s");

    /// <summary>Runs <paramref name="work"/> with its progress shown; <paramref name="options"/> gets the callback.</summary>
    public static T Run<T>(string title, CheckOptions options, Func<CheckOptions, T> work)
    {
        if (!Interactive)
        {
            return work(options with { OnProgress = p => Console.Error.WriteLine(Line(p)) });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Live(Render(title, null)).AutoClear(false).Start(ctx =>
        {
            result = work(options with { OnProgress = p => ctx.UpdateTarget(Render(title, p)) });
        });
        return result;
    }

    private static Table Render(string title, Progress? p)
    {
        var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        t.AddColumn("states");
        t.AddColumn("depth");
        t.AddColumn("transitions/s");
        t.AddColumn("queue");
        t.AddColumn("memory");
        t.AddColumn("elapsed");
        if (p is null)
        {
            t.AddRow("starting", "", "", "", "", "");
        }
        else
        {
            t.AddRow(
                p.States.ToString("N0", CultureInfo.InvariantCulture),
                p.Depth.ToString(CultureInfo.InvariantCulture),
                p.TransitionsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                p.Queue.ToString("N0", CultureInfo.InvariantCulture),
                (p.MemoryBytes / (1 << 20)).ToString(CultureInfo.InvariantCulture) + " MiB",
                p.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture) + " s");
        }

        return t;
    }
}
