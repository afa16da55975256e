namespace KubeSecurity.Infrastructure;

/// <summary>Where each cmdlet's help page lives online (Get-Help -Online opens it): docs/cmdlets/&lt;Name&gt;.md in the repository.</summary>
internal static class HelpLinks
{
    public const string Base = "https://github.com/kubesecurity/KubeSecurity/blob/main/docs/cmdlets/";
}
