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
}
