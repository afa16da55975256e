using System.Management.Automation;
using KubeSecurity.Core.Audit;

namespace KubeSecurity.Infrastructure;

/// <summary>-Category takes the categories of the registered audit areas (and Coverage), as the registry lists them.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateAuditCategoryAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        string? value = element is PSObject wrapped ? wrapped.BaseObject?.ToString() : element?.ToString();
        if (value is null || !AuditAreas.Categories.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            throw new ValidationMetadataException($"'{value}' is not an audit category. Use one of: {string.Join(", ", AuditAreas.Categories)}.");
        }
    }
}
