using IommuVerify.Reference.State;
using IommuVerify.Vocabulary.Model;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Explorer.Compact;

/// <summary>The invariants of <see cref="Reference.Invariants.InvariantChecker"/> as yes/no verdicts over the compact
/// encoding: bit i of the result is set when the state violates <see cref="InvariantIds.All"/>[i].</summary>
/// <remarks>Witnesses are not produced here: a violating path is replayed on the reference model, whose checker
/// gives the witness. The differential tests hold the verdicts equal to the reference checker's.</remarks>
internal sealed class CompactInvariants(CompactModel model)
{
    private const int SvaRidBit = 1 << 0;
    private const int PasidCapBit = 1 << 1;
    private const int VpasidBijBit = 1 << 2;
    private const int TlbCohBit = 1 << 3;
    private const int DomainLiveBit = 1 << 4;
    private const int MmPasidBit = 1 << 5;
    private const int MaxContexts = 256;

    private readonly CompactModel _m = model;
    private readonly CompactLayout _l = model.Layout;
    private readonly Policy _p = model.Policy;

    /// <summary>The violated invariants as a bit mask over <see cref="InvariantIds.All"/>.</summary>
    public int Check(ReadOnlySpan<int> s)
    {
        int v = 0;
        v |= SvaRid(s) ? SvaRidBit : 0;
        v |= PasidCap(s) ? PasidCapBit : 0;
        v |= VpasidBij(s) ? VpasidBijBit : 0;
        v |= TlbCoh(s) ? TlbCohBit : 0;
        v |= DomainLive(s) ? DomainLiveBit : 0;
        v |= MmPasid(s) ? MmPasidBit : 0;
        return v;
    }

    private int Kind(ReadOnlySpan<int> s, int slot) => s[_l.DomKind + slot];

    private int PasidDomain(ReadOnlySpan<int> s, int g, int p) => s[_l.PasidDomain + (g * _l.PasidRow) + p];

    private bool SvaRid(ReadOnlySpan<int> s)
    {
        if (_p.SvaOnRid == SvaOnRid.Allowed)
        {
            return false;
        }

        for (int g = 0; g < _l.Groups; g++)
        {
            int r = s[_l.RidDomain + g];
            if (r >= 0 && Kind(s, r) == (int)DomainKind.Sva)
            {
                return true;
            }
        }

        return false;
    }

    private bool PasidCap(ReadOnlySpan<int> s)
    {
        for (int g = 0; g < _l.Groups; g++)
        {
            bool any = false;
            for (int p = 1; p < _l.PasidRow; p++)
            {
                int d = PasidDomain(s, g, p);
                if (d < 0)
                {
                    continue;
                }

                any = true;
                if (Kind(s, d) != (int)DomainKind.Free && !_m.SlotPasidCompat(s, d))
                {
                    return true;
                }

                bool capable = false;
                foreach (int dev in _m.GroupDevices(g))
                {
                    int max = _m.MaxPasids(dev);
                    capable |= max > 0;
                    if (max > 0 && p >= max)
                    {
                        return true;
                    }
                }

                if (!capable)
                {
                    return true;
                }
            }

            if (any && !_m.DomainPasidCompatOnRid(s, s[_l.RidDomain + g]))
            {
                return true;
            }
        }

        return false;
    }

    private bool VpasidBij(ReadOnlySpan<int> s)
    {
        for (int vm = 0; vm < _l.Vms; vm++)
        {
            var row = s.Slice(_l.VpasidTable + (vm * _l.VpasidRow), _l.VpasidRow);
            for (int vp = 1; vp < _l.VpasidRow; vp++)
            {
                int pp = row[vp];
                if (pp == 0)
                {
                    continue;
                }

                if (row[1..vp].Contains(pp) || s[_l.PasidOwner + pp] != Layout.VmOwnerBase + vm ||
                    (_p.VpasidScheme == VpasidScheme.Identity && pp != vp))
                {
                    return true;
                }
            }
        }

        for (int mm = 0; mm < _l.Mms; mm++)
        {
            int p = s[_l.MmPasid + mm];
            if (p != 0 && s[_l.PasidOwner + p] != 1 + mm)
            {
                return true;
            }
        }

        for (int dev = 0; dev < _l.Devices; dev++)
        {
            for (int p = 1; p < _l.PasidRow; p++)
            {
                int vp = s[_l.GuestPasid + (dev * _l.PasidRow) + p];
                if (vp != 0 && vp != p)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool TlbCoh(ReadOnlySpan<int> s)
    {
        int n = _m.ContextCount;
        Span<int> tags = n <= MaxContexts ? stackalloc int[n] : new int[n];
        for (int c = 0; c < n; c++)
        {
            int dev = _m.ContextDev(c), p = _m.ContextPasid(c);
            int tag = tags[c] = _m.TagOf(s, dev, p);
            if (tag == Tag.None)
            {
                continue;
            }

            // The first context with this tag is the one the reference compares against.
            int first = tags[..c].IndexOf(tag);
            if (first >= 0 && _m.TableOf(s, _m.ContextDev(first), _m.ContextPasid(first)) != _m.TableOf(s, dev, p))
            {
                return true;
            }
        }

        int values = _l.PteValues, perTag = _l.Iovas * values;
        for (int c = 0; c < n; c++)
        {
            int tag = tags[c];
            if (tag == Tag.None)
            {
                continue;
            }

            int dev = _m.ContextDev(c), p = _m.ContextPasid(c), tagBase = _l.IotlbTagBase(tag);
            if (!CompactLayout.AnyInRange(s, _l.Iotlb, tagBase, perTag))
            {
                continue;
            }

            for (int iova = 0; iova < _l.Iovas; iova++)
            {
                int walk = -1;
                for (int pte = 0; pte < values; pte++)
                {
                    if (CompactLayout.Has(s, _l.Iotlb, tagBase + (iova * values) + pte))
                    {
                        walk = walk >= 0 ? walk : _m.Walk(s, dev, p, iova, out _);
                        if (walk != pte && !_m.DeferredExempt(s, dev, p, iova))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        for (int dev = 0; dev < _l.Devices; dev++)
        {
            for (int p = 0; p < _l.PasidRow; p++)
            {
                int ctxBase = _l.DevTlbContextBase(dev, p);
                if (!CompactLayout.AnyInRange(s, _l.DevTlb, ctxBase, perTag))
                {
                    continue;
                }

                for (int iova = 0; iova < _l.Iovas; iova++)
                {
                    for (int pte = 0; pte < values; pte++)
                    {
                        if (CompactLayout.Has(s, _l.DevTlb, ctxBase + (iova * values) + pte) &&
                            _m.Walk(s, dev, p, iova, out _) != pte && !_m.DeferredExempt(s, dev, p, iova))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private bool DomainLive(ReadOnlySpan<int> s)
    {
        var rid = s.Slice(_l.RidDomain, _l.Groups);
        for (int g = 0; g < _l.Groups; g++)
        {
            int r = rid[g];
            if (r >= 0 && Kind(s, r) == (int)DomainKind.Free)
            {
                return true;
            }

            for (int p = 1; p < _l.PasidRow; p++)
            {
                int d = PasidDomain(s, g, p);
                if (d >= 0 && Kind(s, d) == (int)DomainKind.Free)
                {
                    return true;
                }
            }
        }

        for (int d = 0; d < _l.Slots; d++)
        {
            int kind = Kind(s, d);
            if (kind == (int)DomainKind.Nested && Kind(s, s[_l.DomParent + d]) == (int)DomainKind.Free)
            {
                return true;
            }

            if (kind == (int)DomainKind.Sva && s[_l.DomUsers + d] <= 0 && !rid.Contains(d))
            {
                return true;
            }
        }

        return false;
    }

    private bool MmPasid(ReadOnlySpan<int> s)
    {
        for (int dev = 0; dev < _l.Devices; dev++)
        {
            for (int mm = 0; mm < _l.Mms; mm++)
            {
                if (s[_l.SvaUsers + (dev * _l.Mms) + mm] == 0)
                {
                    continue;
                }

                int p = s[_l.MmPasid + mm];
                int d = p == 0 ? -1 : PasidDomain(s, _m.GroupOf(dev), p);
                if (d < 0 || Kind(s, d) != (int)DomainKind.Sva || s[_l.DomMm + d] != mm)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
