namespace KubeSecurity.Infrastructure;

/// <summary>Error ids are an API: scripts and tests match on them. Never rename one.</summary>
internal static class ErrorIds
{
    public const string PathNotFound = "PathNotFound";
    public const string ProviderNotSupported = "ProviderNotSupported";
    public const string ManifestParseError = "ManifestParseError";
    public const string NotAKubernetesObject = "NotAKubernetesObject";
    public const string InputLimitExceeded = "InputLimitExceeded";
    public const string UnsupportedSnapshotFormat = "UnsupportedSnapshotFormat";
    public const string KubeconfigInvalid = "KubeconfigInvalid";
    public const string ApiUnauthorized = "ApiUnauthorized";
    public const string ApiForbidden = "ApiForbidden";
    public const string ApiNotFound = "ApiNotFound";
    public const string ApiConflict = "ApiConflict";
    public const string ApiUnreachable = "ApiUnreachable";
    public const string ApiTlsFailure = "ApiTlsFailure";
    public const string ApiTimeout = "ApiTimeout";
    public const string ApiServerError = "ApiServerError";
    public const string ApiBadResponse = "ApiBadResponse";
    public const string InvalidKind = "InvalidKind";
    public const string FileExists = "FileExists";
    public const string FileWriteFailed = "FileWriteFailed";
    public const string InvalidInputObject = "InvalidInputObject";
    public const string NoMatchingRule = "NoMatchingRule";
    public const string RbacObjectInvalid = "RbacObjectInvalid";
    public const string InvalidSubject = "InvalidSubject";
    public const string InvalidRbacTarget = "InvalidRbacTarget";
    public const string InvalidAttackQuery = "InvalidAttackQuery";
    public const string AuditLogLineInvalid = "AuditLogLineInvalid";
    public const string AuditLogUnreadable = "AuditLogUnreadable";
    public const string BindingSubjectNotFound = "BindingSubjectNotFound";
    public const string NetworkPolicyInvalid = "NetworkPolicyInvalid";
    public const string EndpointNotFound = "EndpointNotFound";
    public const string ObservedFlowInvalid = "ObservedFlowInvalid";
    public const string PolicyNotExpressible = "PolicyNotExpressible";
    public const string KubeletConfigurationInvalid = "KubeletConfigurationInvalid";
    public const string UnsupportedPolicyKind = "UnsupportedPolicyKind";
    public const string SecretUnreadable = "SecretUnreadable";
    public const string EncryptionConfigurationInvalid = "EncryptionConfigurationInvalid";
    public const string SecretStillReferenced = "SecretStillReferenced";
    public const string SuppressionFileInvalid = "SuppressionFileInvalid";
    public const string BaselineInvalid = "BaselineInvalid";
    public const string AuditFailed = "AuditFailed";
    public const string ContextNotFound = "ContextNotFound";
    public const string ClusterFailed = "ClusterFailed";
    public const string FindingFromOtherContext = "FindingFromOtherContext";
    public const string ReportFormatUnknown = "ReportFormatUnknown";
    public const string ReportInputEmpty = "ReportInputEmpty";
    public const string ComplianceInputEmpty = "ComplianceInputEmpty";
    public const string KindNotRecognized = "KindNotRecognized";
}
