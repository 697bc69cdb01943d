namespace IommuVerify.Explorer.Tests;

public class FingerprintSetTests
{
    [Fact]
    public void TryAdd_is_true_exactly_once_per_fingerprint_across_threads()
    {
        var set = new FingerprintSet();
        const int n = 200_000;
        set.EnsureCapacity(n);
        int added = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (long i = 0; i < n; i++)
            {
                if (set.TryAdd((i * 0x1E3779B97F4A7C15L) ^ 0x5555))
                {
                    Interlocked.Increment(ref added);
                }
            }
        });
        Assert.Equal(n, added);
        Assert.Equal(n, set.Count);
        Assert.True(set.Contains(0x5555));
        Assert.False(set.Contains(0x1234_5678_9ABC));
    }

    /// <summary>Canonical fingerprints under symmetry lean towards small values; the table spreads them before
    /// taking the home slot from the high bits, so small consecutive values land in many different slots.</summary>
    [Fact]
    public void Spread_sends_small_fingerprints_to_many_home_slots()
    {
        var homes = new HashSet<ulong>();
        for (long fp = 1; fp <= 1024; fp++)
        {
            homes.Add(FingerprintSet.Spread(fp) >> 54);
        }

        Assert.True(homes.Count > 600, $"{homes.Count} of 1024 top-10-bit buckets");
        Assert.NotEqual(FingerprintSet.Spread(1), FingerprintSet.Spread(2));
    }

    [Fact]
    public void TryAddWithinLoad_refuses_a_new_fingerprint_at_the_load_limit_until_the_table_grows()
    {
        var set = new FingerprintSet(16);
        long added = 0, i = 0;
        while (set.TryAddWithinLoad(++i * 0x2545F4914F6CDD1DL) == true)
        {
            added++;
        }

        Assert.Equal(added, set.Count);
        Assert.InRange(set.BytesPerState, 8.0, 11.0);
        Assert.False(set.TryAddWithinLoad(0x2545F4914F6CDD1DL));
        long bytes = set.Bytes;
        set.EnsureCapacity(1);
        Assert.True(set.Bytes > bytes);
        Assert.True(set.TryAddWithinLoad(i * 0x2545F4914F6CDD1DL));
        Assert.Equal(added + 1, set.Count);
    }

    [Fact]
    public void Table_stays_at_or_under_16_bytes_per_state_after_growing()
    {
        var set = new FingerprintSet(16);
        for (long i = 1; i <= 1_000_000; i++)
        {
            set.EnsureCapacity(1);
            Assert.True(set.TryAdd(i * 0x2545F4914F6CDD1DL));
        }

        Assert.InRange(set.BytesPerState, 8.0, 16.0);
    }

    [Fact]
    public void Zero_is_a_valid_fingerprint()
    {
        var set = new FingerprintSet();
        Assert.True(set.TryAdd(0));
        Assert.False(set.TryAdd(0));
        Assert.True(set.Contains(0));
    }

    private static long Fp(long i) => unchecked(i * 0x2545F4914F6CDD1DL);

    /// <summary>Fingerprints whose home slot in a 16-slot table is <paramref name="slot"/> (the top four bits of the spread value).</summary>
    private static IEnumerable<long> HomedAt(int slot)
    {
        for (long fp = 2; ; fp++)
        {
            if ((int)(FingerprintSet.Spread(fp) >> 60) == slot)
            {
                yield return fp;
            }
        }
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 16)]
    [InlineData(12, 16)]
    [InlineData(13, 17)]
    [InlineData(100, 126)]
    public void The_first_table_holds_the_expected_count_within_the_load_limit(long expected, int slots)
    {
        var set = new FingerprintSet(expected);
        Assert.Equal(slots * sizeof(long), set.Bytes);
        Assert.Equal(0, set.Count);
        Assert.Equal(0, set.BytesPerState);
    }

    [Fact]
    public void Probing_wraps_past_the_last_slot_and_finds_every_fingerprint()
    {
        var set = new FingerprintSet(1); // 16 slots
        var last = HomedAt(15).Take(5).ToList(); // slots 15, 0, 1, 2, 3
        var first = HomedAt(0).First(); // its home is taken: slot 4
        foreach (long fp in last.Append(first))
        {
            Assert.True(set.TryAdd(fp));
        }

        Assert.All(last.Append(first), fp => Assert.True(set.Contains(fp)));
        Assert.All(last.Append(first), fp => Assert.False(set.TryAdd(fp)));
        Assert.False(set.Contains(HomedAt(15).Skip(5).First())); // probes 15, 0..4 and stops at the empty slot 5
        Assert.False(set.Contains(HomedAt(1).First()));
        Assert.Equal(6, set.Count);
        Assert.Equal(last.Append(first).Order().ToArray(), set.ToSortedArray());
        Assert.Equal(16 * sizeof(long), set.Bytes);
        Assert.Equal(16.0 * sizeof(long) / 6, set.BytesPerState);
    }

    [Fact]
    public void Growth_keeps_every_fingerprint_and_happens_exactly_past_the_load_limit()
    {
        var set = new FingerprintSet(1); // 16 slots, at most 12 entries
        var fps = Enumerable.Range(1, 12).Select(i => i * 0x2545F4914F6CDD1DL).ToList();
        foreach (long fp in fps)
        {
            set.EnsureCapacity(1);
            Assert.True(set.TryAdd(fp));
        }

        Assert.Equal(16 * sizeof(long), set.Bytes);
        set.EnsureCapacity(0);
        Assert.Equal(16 * sizeof(long), set.Bytes);
        Assert.Null(set.TryAddWithinLoad(Fp(13)));
        Assert.False(set.TryAddWithinLoad(fps[3]));
        Assert.Equal(12, set.Count);

        set.EnsureCapacity(1); // 16 x 1.6 + 1 = 26 slots hold 20
        Assert.Equal(26 * sizeof(long), set.Bytes);
        Assert.Equal(fps.Order().ToArray(), set.ToSortedArray());
        Assert.All(fps, fp => Assert.True(set.Contains(fp)));
        Assert.True(set.TryAddWithinLoad(Fp(13)));

        set.EnsureCapacity(30); // 13 + 30 entries: 26 -> 42 -> 68 slots (54 entries)
        Assert.Equal(68 * sizeof(long), set.Bytes);
        Assert.Equal(13, set.ToSortedArray().Length);
    }

    [Fact]
    public void Adding_to_a_full_table_without_growing_it_is_refused()
    {
        var set = new FingerprintSet(1);
        for (int i = 1; i <= 15; i++)
        {
            Assert.True(set.TryAdd(i * 0x2545F4914F6CDD1DL));
        }

        var e = Assert.Throws<InvalidOperationException>(() => set.TryAdd(99));
        Assert.Contains("EnsureCapacity was not called", e.Message, StringComparison.Ordinal);
        Assert.Equal(15, set.Count);
        Assert.True(set.Contains(Fp(15)));
        Assert.False(set.Contains(99)); // the one empty slot ends every probe
    }
}
