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
/// <remarks>Environment: <c>IOMMUVERIFY_PROP_ITERATIONS</c> overrides the iteration count; <c>IOMMUVERIFY_PROP_SEED</c>
/// sets the base seed (iteration 0 runs exactly that seed, so a printed failing seed replays with one iteration).</remarks>
public static class PropertyRunner
{
    /// <summary>The iteration-count variable.</summary>
    public const string IterationsVariable = "IOMMUVERIFY_PROP_ITERATIONS";

    /// <summary>The seed variable.</summary>
    public const string SeedVariable = "IOMMUVERIFY_PROP_SEED";

    /// <summary>The iteration count: the environment's, else <paramref name="fallback"/>.</summary>
    public static int Iterations(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : fallback;

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
    public static PropertyOutcome<T> Run<T>(
        string name,
        Gen<T> gen,
        Func<T, string?> property,
        Func<T, Func<T, bool>, T> shrink,
        Func<T, string> render,
        int iterations,
        ulong seed,
        Action<string> log)
    {
        int n = Iterations(iterations);
        ulong baseSeed = Seed(seed);
        log($"{name}: {n} iterations, {SeedVariable}={baseSeed}");
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
            log($"{name}: failed at iteration {i}; replay with {SeedVariable}={s} {IterationsVariable}=1");
            log($"{name}: {message}");
            log(render(small));
            return new PropertyOutcome<T>(name, i + 1, baseSeed, s, value, small, message);
        }

        log($"{name}: held for {n} iterations");
        return new PropertyOutcome<T>(name, n, baseSeed, null, default, default, null);
    }
}
