using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IommuVerify.Vocabulary;

namespace IommuVerify.Smt.Solving;

/// <summary>Runs a command-line SMT-LIB2 solver (cvc5) as a process on an exported query.</summary>
public static partial class ExternalSolver
{
    /// <summary>True when the executable is on PATH.</summary>
    public static bool Available(string exe) => Find(exe) is not null;

    private static string? Find(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, exe)).FirstOrDefault(File.Exists);

    /// <summary>Checks an SMT-LIB2 query; on sat, reads the integer values of <paramref name="names"/>.</summary>
    public static (SolverResult Result, Dictionary<string, int> Values) Check(string exe, string smt2, TimeSpan timeout, IReadOnlyList<string> names)
    {
        string path = Find(exe) ?? throw new InputError(exe, $"{exe} is not installed; install the Debian package {exe} (apt-get install {exe})");
        string file = Path.Combine(Path.GetTempPath(), $"iommuverify-{Environment.ProcessId}-{Guid.NewGuid():N}.smt2");
        string query = smt2 + (names.Count > 0 ? $"(get-value ({string.Join(' ', names)}))\n" : "");
        File.WriteAllText(file, query);
        try
        {
            var psi = new ProcessStartInfo(path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("--lang=smt2");
            psi.ArgumentList.Add("--produce-models");
            psi.ArgumentList.Add("--tlimit=" + ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(file);
            using var proc = Process.Start(psi) ?? throw new InputError(exe, "could not start the solver");
            var errTask = proc.StandardError.ReadToEndAsync();
            string output = proc.StandardOutput.ReadToEnd();
            if (!proc.WaitForExit((int)timeout.TotalMilliseconds + 10_000))
            {
                proc.Kill(entireProcessTree: true);
                return (SolverResult.Timeout, []);
            }

            string err = errTask.Result;
            string first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            var values = new Dictionary<string, int>(StringComparer.Ordinal);
            switch (first)
            {
                case "sat":
                    foreach (Match m in ValuePattern().Matches(output))
                    {
                        values[m.Groups[1].Value] = Literal(m.Groups[2].Value.Trim());
                    }

                    return (SolverResult.Sat, values);
                case "unsat":
                    return (SolverResult.Unsat, values);
                default:
                    string all = output + err;
                    return all.Contains("timeout", StringComparison.OrdinalIgnoreCase) || all.Contains("interrupted", StringComparison.OrdinalIgnoreCase)
                        ? (SolverResult.Timeout, values)
                        : (SolverResult.Unknown(all.Trim().Length > 0 ? all.Trim() : $"exit code {proc.ExitCode}"), values);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Reads an integer or bit-vector literal (#b..., #x..., (_ bvN W), N, (- N)) as a signed 16-bit-aware int.</summary>
    private static int Literal(string t)
    {
        long v;
        int width = 0;
        if (t.StartsWith("#b", StringComparison.Ordinal))
        {
            v = Convert.ToInt64(t[2..], 2);
            width = t.Length - 2;
        }
        else if (t.StartsWith("#x", StringComparison.Ordinal))
        {
            v = long.Parse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            width = 4 * (t.Length - 2);
        }
        else if (t.StartsWith("(_", StringComparison.Ordinal))
        {
            var parts = t.Trim('(', ')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            v = long.Parse(parts[1][2..], CultureInfo.InvariantCulture);
            width = int.Parse(parts[2], CultureInfo.InvariantCulture);
        }
        else if (t.StartsWith("(-", StringComparison.Ordinal))
        {
            v = -long.Parse(t.Trim('(', ')')[1..].Trim(), CultureInfo.InvariantCulture);
        }
        else
        {
            v = long.Parse(t, CultureInfo.InvariantCulture);
        }

        if (width > 0 && v >= 1L << (width - 1))
        {
            v -= 1L << width;
        }

        return (int)v;
    }

    [GeneratedRegex(@"\((op\d+)\s+(#b[01]+|#x[0-9a-fA-F]+|\(_\s+bv\d+\s+\d+\)|\(-\s*\d+\)|\d+)\)")]
    private static partial Regex ValuePattern();
}
