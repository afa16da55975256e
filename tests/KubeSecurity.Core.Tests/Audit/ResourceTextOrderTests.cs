using KubeSecurity.Core.Audit;
using KubeSecurity.Model;
using Xunit;

namespace KubeSecurity.Core.Tests.Audit;

public sealed class ResourceTextOrderTests
{
    [Fact]
    public void OrdersResourcesAsTheirTextOrdersOrdinally()
    {
        string[] kinds = { "Pod", "PodX", "Pod2", "Secret", "A", "Ab", "a/b", "Ä" };
        string?[] namespaces = { null, "", "team", "team-1", "team.x", "team/1", "t", "teamz", "Team", "é" };
        string[] names = { "x", "x-1", "x/1", "x.1", "", "X", "web", "web-0" };
        var resources = (from k in kinds from n in namespaces from m in names select new ResourceRef(k, n, m)).ToList();
        var random = new Random(7);
        List<ResourceRef> shuffled = resources.OrderBy(_ => random.Next()).ToList();

        string[] expected = shuffled.OrderBy(r => r.ToString(), StringComparer.Ordinal).Select(r => r.ToString()).ToArray();
        string[] actual = shuffled.OrderBy(r => r, ResourceTextOrder.Instance).Select(r => r.ToString()).ToArray();
        Assert.Equal(expected, actual);
        Assert.Contains(resources, r => r.ToString() == "Pod/team-1/x");
        Assert.True(ResourceTextOrder.Instance.Compare(new ResourceRef("Pod", "team", "x"), new ResourceRef("Pod", "team-1", "x")) > 0);
    }
}
