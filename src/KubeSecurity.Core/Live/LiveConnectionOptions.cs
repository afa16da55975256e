namespace KubeSecurity.Core.Live;

/// <summary>How to reach a live cluster.</summary>
public sealed record LiveConnectionOptions
{
    /// <summary>A kubeconfig file. When null: $KUBECONFIG, then ~/.kube/config, then in-cluster configuration.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>The context to use; null means the kubeconfig's current context.</summary>
    public string? Context { get; init; }

    /// <summary>Use the pod's service-account configuration even when a kubeconfig exists.</summary>
    public bool InCluster { get; init; }

    /// <summary>Skip verification of the server's TLS certificate. For throwaway test clusters only.</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>How long one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long establishing a connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
