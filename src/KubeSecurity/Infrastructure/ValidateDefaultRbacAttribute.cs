using System.Management.Automation;
using KubeSecurity.Core.Rbac;

namespace KubeSecurity.Infrastructure;

/// <summary>-DefaultRbac takes Auto, None or a Kubernetes version whose bootstrap policy the module holds.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateDefaultRbacAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        string? value = arguments is PSObject wrapped ? wrapped.BaseObject?.ToString() : arguments?.ToString();
        if (!DefaultRbacChoice.TryParse(value, out _, out string error))
        {
            throw new ValidationMetadataException(error);
        }
    }
}
