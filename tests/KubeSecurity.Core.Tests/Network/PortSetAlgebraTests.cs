using KubeSecurity.Core.Network;

namespace KubeSecurity.Core.Tests.Network;

/// <summary>Union, intersection and difference of port sets agree with the same operations on explicit sets of ports.</summary>
public class PortSetAlgebraTests
{
    private static (PortSet Set, HashSet<(string, int)> Ports) RandomSet(Random random)
    {
        PortSet set = PortSet.None;
        var ports = new HashSet<(string, int)>();
        int count = random.Next(0, 4);
        for (int i = 0; i < count; i++)
        {
            string protocol = PortSet.Protocols[random.Next(2)];
            // Small ports so ranges touch, overlap and nest often; now and then the top of the range.
            int low = random.Next(1, 40);
            int high = random.Next(8) == 0 ? PortSet.MaxPort : low + random.Next(0, 12);
            set = set.Union(PortSet.Of(protocol, low, high));
            for (int port = low; port <= Math.Min(high, 60); port++)
            {
                ports.Add((protocol, port));
            }
        }

        return (set, ports);
    }

    private static HashSet<(string, int)> Members(PortSet set) =>
        PortSet.Protocols.SelectMany(p => Enumerable.Range(1, 60).Where(n => set.Contains(p, n)).Select(n => (p, n))).ToHashSet();

    [Fact]
    public void Set_operations_match_explicit_port_sets_on_thousands_of_random_cases()
    {
        var random = new Random(20261205);
        for (int i = 0; i < 5000; i++)
        {
            (PortSet a, HashSet<(string, int)> pa) = RandomSet(random);
            (PortSet b, HashSet<(string, int)> pb) = RandomSet(random);

            Assert.Equal(pa.Union(pb).ToHashSet(), Members(a.Union(b)));
            Assert.Equal(pa.Intersect(pb).ToHashSet(), Members(a.Intersect(b)));
            Assert.Equal(pa.Except(pb).ToHashSet(), Members(a.Except(b)));
            Assert.Equal(pa.Overlaps(pb), a.Overlaps(b));
            Assert.Equal(pa.Overlaps(pb), a.Overlaps(PortSet.All) && !a.Intersect(b).IsEmpty);
            // Adjacent and overlapping ranges come out merged: the text form never lists touching ranges.
            Assert.Equal(a.Union(b).Describe(), b.Union(a).Describe());
        }
    }

    [Fact]
    public void Touching_ranges_merge_and_the_whole_range_is_any()
    {
        Assert.Equal(new[] { "TCP/1-20" }, PortSet.Of("TCP", 1, 10).Union(PortSet.Of("TCP", 11, 20)).Describe());
        Assert.Equal(new[] { "TCP/any" }, PortSet.Of("TCP", 1, 100).Union(PortSet.Of("TCP", 50, PortSet.MaxPort)).Describe());
        Assert.True(PortSet.All.Except(PortSet.AllOf("TCP")).Union(PortSet.AllOf("TCP")).IsAll);
    }
}
