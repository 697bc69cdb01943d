using FsCheck;
using FsCheck.Fluent;

namespace IommuVerify.Testing;

/// <summary>A stream of random choices drawn from one generated seed; a state-aware sampler reads it through <see cref="Below"/>.</summary>
/// <remarks>Generating operations from a tape keeps generation state-aware (each choice sees the reference state)
/// while FsCheck owns the randomness: the seed and the length are FsCheck-generated, the choices expand from the seed
/// with SplitMix64 (generating hundreds of FsCheck integers per trace was the slowest part of a run).</remarks>
/// <param name="seed">The seed the choices expand from.</param>
/// <param name="length">How many operations the sampler should produce.</param>
public sealed class ChoiceTape(ulong seed, int length)
{
    private ulong _state;
    private bool _started;

    /// <summary>The seed the choices expand from.</summary>
    public ulong Seed => seed;

    /// <summary>How many operations the sampler should produce.</summary>
    public int Length => length;

    /// <summary>The next choice, uniform in [0, n) for n &gt; 0.</summary>
    public int Below(int n)
    {
        if (!_started)
        {
            _state = seed;
            _started = true;
        }

        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return n <= 1 ? 0 : (int)(z % (ulong)n);
    }

    /// <summary>A fresh reader over the same choices.</summary>
    public ChoiceTape Rewind() => new(seed, length);
}

/// <summary>The generator catalog: every FsCheck generator the property tests use.</summary>
public static class Generators
{
    /// <summary>A 64-bit seed from two generated halves.</summary>
    public static readonly Gen<ulong> Seed =
        Gen.Two(Gen.Choose(int.MinValue, int.MaxValue)).Select(t => ((ulong)(uint)t.Item1 << 32) | (uint)t.Item2);

    /// <summary>Trace lengths: mostly short, sometimes long enough for caches to fill and evict.</summary>
    public static readonly Gen<int> TraceLength = Gen.Frequency((3, Gen.Choose(4, 24)), (2, Gen.Choose(25, 60)));

    /// <summary>A choice tape for one trace.</summary>
    public static readonly Gen<ChoiceTape> Tape = Gen.Zip(Seed, TraceLength, (s, n) => new ChoiceTape(s, n));

    /// <summary>A 64-bit IOVA inside 48 bits, page-aligned or not.</summary>
    public static readonly Gen<ulong> Iova48 =
        Gen.Two(Gen.Choose(0, (1 << 24) - 1)).Select(t => ((ulong)(uint)t.Item1 << 24) | (uint)t.Item2);
}
