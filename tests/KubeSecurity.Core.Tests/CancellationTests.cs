using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

/// <summary>The CPU-bound model builders honour cancellation, so Ctrl+C does not wait for the largest area to finish.</summary>
public class CancellationTests
{
    private static readonly Lazy<KubeSnapshot> Demo = new(() => RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster));

    [Fact]
    public void A_cancelled_RBAC_policy_build_stops()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => RbacPolicy.Build(Demo.Value, cancelled.Token));
        Assert.NotEmpty(RbacPolicy.Build(Demo.Value, CancellationToken.None).Roles);
    }

    [Fact]
    public void A_cancelled_network_model_build_stops()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NetworkModel.Build(Demo.Value, null, cancelled.Token));
    }

    [Fact]
    public void A_cancelled_certificate_inventory_stops()
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(Demo.Value);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => inventory.Build(DateTimeOffset.UtcNow, cancelled.Token));
        Assert.NotEmpty(inventory.Build(DateTimeOffset.UtcNow));
    }
}
