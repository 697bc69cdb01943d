using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace IommuVerify.Testing;

/// <summary>What a property run found.</summary>
/// <typeparam name="T">The generated value.</typeparam>
/// <param name="Name">The property's name.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Seed">The base seed of the run.</param>
/// <param name="FailingSeed">The seed that replays the failing iteration on its own, or null.</param>
/// <param name="Original">The first failing value, or default.</param>
/// <param name="Shrunk">The shrunk failing value, or default.</param>
/// <param name="Message">The property's message for the shrunk value, or null when it held.</param>
public sealed record PropertyOutcome<T>(string Name, int Iterations, ulong Seed, ulong? FailingSeed, T? Original, T? Shrunk, string? Message)
{
    /// <summary>True when no iteration failed.</summary>
    public bool Held => Message is null;
}

/// <summary>Our thin property runner: seeded iterations, a printed seed, shrinking, and replay by seed.</summary>
/// <remarks>Environment: <c>IOMMUVERIFY_PROP_ITERATIONS</c> overrides the iteration count; <c>IOMMUVERIFY_PROP_EFFORT</c>
/// multiplies it (a nightly run sets, say, 50); <c>IOMMUVERIFY_PROP_SEED</c> sets the base seed (iteration 0 runs exactly
/// that seed, so a printed failing seed replays with one iteration); <c>IOMMUVERIFY_PROP_LOG</c> names a file that every
/// run's seed line and outcome are appended to, so CI can print them. A failing value is saved as a trace under
/// <c>tests/conformance/regressions/</c> (see <see cref="Regressions"/>).</remarks>
public static class PropertyRunner
{
    /// <summary>The iteration-count variable.</summary>
    public const string IterationsVariable = "IOMMUVERIFY_PROP_ITERATIONS";

    /// <summary>The seed variable.</summary>
    public const string SeedVariable = "IOMMUVERIFY_PROP_SEED";

    /// <summary>The effort variable: a whole-number multiplier of every default iteration count.</summary>
    public const string EffortVariable = "IOMMUVERIFY_PROP_EFFORT";

    /// <summary>The log-file variable.</summary>
    public const string LogVariable = "IOMMUVERIFY_PROP_LOG";

    private static readonly object LogGate = new();

    /// <summary>The iteration count: the environment's, else <paramref name="fallback"/> times the effort.</summary>
    public static int Iterations(int fallback) =>
        Iterations(fallback, Environment.GetEnvironmentVariable(IterationsVariable), Environment.GetEnvironmentVariable(EffortVariable));

    /// <summary>The iteration count from the two variables' values: an explicit count wins, else the fallback times
    /// the effort; values that are not positive whole numbers are ignored.</summary>
    public static int Iterations(int fallback, string? iterations, string? effort)
    {
        if (int.TryParse(iterations, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
        {
            return n;
        }

        int e = int.TryParse(effort, NumberStyles.None, CultureInfo.InvariantCulture, out int x) && x > 0 ? x : 1;
        return checked(fallback * e);
    }

    /// <summary>Writes <paramref name="line"/> to the test's log and appends it to the run log file, when one is set.</summary>
    public static void Report(Action<string> log, string line)
    {
        log(line);
        if (Environment.GetEnvironmentVariable(LogVariable) is { Length: > 0 } file)
        {
            lock (LogGate)
            {
                File.AppendAllText(file, line + Environment.NewLine);
            }
        }
    }

    /// <summary>A seed for one named property derived from a base seed, the same in every process
    /// (unlike <see cref="string.GetHashCode()"/>, which .NET randomizes per process).</summary>
    public static ulong SeedFor(ulong seed, string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return IterationSeed(seed ^ h, 1);
    }

    /// <summary>The base seed: the environment's, else <paramref name="fallback"/>.</summary>
    public static ulong Seed(ulong fallback) =>
        ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) ? s : fallback;

    /// <summary>The seed of iteration <paramref name="i"/> (iteration 0 uses the base seed itself).</summary>
    public static ulong IterationSeed(ulong seed, int i)
    {
        if (i == 0)
        {
            return seed;
        }

        ulong z = seed + ((ulong)i * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Generates one value from a seed.</summary>
    public static T Generate<T>(Gen<T> gen, ulong seed, int size = 50) => Gen.Sample(gen, size, new Rnd(seed), 1)[0];

    /// <summary>Runs a property: <paramref name="property"/> returns null when it holds, else a message.</summary>
    /// <param name="name">A name for the log.</param>
    /// <param name="gen">The generator.</param>
    /// <param name="property">The property.</param>
    /// <param name="shrink">Shrinks a failing value given the "still fails" predicate.</param>
    /// <param name="render">Renders a failing value (e.g. as a trace).</param>
    /// <param name="iterations">The default iteration count.</param>
    /// <param name="seed">The default base seed.</param>
    /// <param name="log">Where the seed and any failure are printed.</param>
    /// <param name="saveFailure">Save the shrunk failing value as a regression trace (false for searches that are
    /// meant to fail, such as a hunt for a known bug).</param>
    /// <param name="regressionDirectory">Where to save it; the regression folder by default.</param>
    public static PropertyOutcome<T> Run<T>(
        string name,
        Gen<T> gen,
        Func<T, string?> property,
        Func<T, Func<T, bool>, T> shrink,
        Func<T, string> render,
        int iterations,
        ulong seed,
        Action<string> log,
        bool saveFailure = true,
        string? regressionDirectory = null)
    {
        int n = Iterations(iterations);
        ulong baseSeed = Seed(seed);
        Report(log, $"{name}: {n} iterations, {SeedVariable}={baseSeed}");
        for (int i = 0; i < n; i++)
        {
            ulong s = IterationSeed(baseSeed, i);
            var value = Generate(gen, s);
            if (property(value) is null)
            {
                continue;
            }

            var small = shrink(value, v => property(v) is not null);
            string message = property(small) ?? "the shrunk value no longer fails";
            string trace = render(small);
            Report(log, $"{name}: failed at iteration {i}; replay with {SeedVariable}={s} {IterationsVariable}=1");
            log($"{name}: {message}");
            log(trace);
            if (saveFailure && Regressions.Save(name, s, trace, regressionDirectory) is { } saved)
            {
                Report(log, $"{name}: saved as {saved}; the normal test run replays it from now on");
            }

            return new PropertyOutcome<T>(name, i + 1, baseSeed, s, value, small, message);
        }

        Report(log, $"{name}: held for {n} iterations");
        return new PropertyOutcome<T>(name, n, baseSeed, null, default, default, null);
    }
}
