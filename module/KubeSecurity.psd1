@{
    RootModule           = 'KubeSecurity.dll'
    ModuleVersion        = '__MODULE_VERSION__'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    GUID                 = '6c0f4f1e-3b7a-4d52-9a55-2f1f8a4b7e10'
    Author               = 'KubeSecurity contributors'
    CompanyName          = 'KubeSecurity'
    Copyright            = '(c) KubeSecurity contributors. All rights reserved.'
    Description          = 'Inspects the security of Kubernetes clusters (certificates, RBAC, network policy, secrets, workloads) live or offline from manifests and saved snapshots, and remediates what it finds.'

    # The public output types load normally so scripts can name them ([KubeSecurity.Model.Severity]).
    RequiredAssemblies   = @('KubeSecurity.Model.dll')
    FormatsToProcess     = @('KubeSecurity.format.ps1xml')
    TypesToProcess       = @('KubeSecurity.types.ps1xml')

    CmdletsToExport      = @(
        'Get-KubeSnapshot'
        'Export-KubeSnapshot'
        'Import-KubeSnapshot'
        'Get-KubeObject'
        'Get-KubeSecurityRule'
        'Export-KubeManifest'
        'Get-KubeCertificate'
        'Test-KubeCertificate'
        'Get-KubeCertificateSigningRequest'
        'New-KubeCertificate'
        'New-KubeTlsSecret'
        'Test-KubeCertificateRotation'
        'Test-KubeControlPlane'
        'Test-KubeKubelet'
        'Get-KubeRbacPermission'
        'Get-KubeRbacSubject'
        'Test-KubeRbacAccess'
        'Test-KubeRbac'
        'Get-KubeRbacEscalationPath'
        'Get-KubeWorkloadIdentity'
        'New-KubeRbacRole'
        'Compare-KubeRbacPermission'
        'Remove-KubeRbacBinding'
        'Get-KubeNetworkPolicyCoverage'
        'Test-KubeNetworkConnectivity'
        'Get-KubeAttackPath'
        'Get-KubeComplianceReport'
        'Get-KubeConnectivityMap'
        'New-KubeNetworkPolicy'
        'Set-KubeNetworkPolicy'
        'Compare-KubeNetworkPolicy'
        'Test-KubeNetworkPolicy'
        'Test-KubeSecret'
        'Find-KubeCredentialLeak'
        'Get-KubeSecretInventory'
        'Get-KubeSecretAccess'
        'Test-KubeEncryptionConfiguration'
        'Remove-KubeSecret'
        'Set-KubeServiceAccount'
        'Test-KubePodSecurity'
        'Invoke-KubeSecurityAudit'
        'Export-KubeSecurityReport'
        'Compare-KubeSecurityAudit'
        'Get-KubeAuditEvent'
        'Test-KubeAuditEvent'
        'Repair-KubeSecurityFinding'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('Kubernetes', 'Security', 'RBAC', 'NetworkPolicy', 'Certificates', 'Secrets', 'Audit', 'CIS', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/kubesecurity/KubeSecurity'
            LicenseUri   = 'https://github.com/kubesecurity/KubeSecurity/blob/main/LICENSE'
            ReleaseNotes = 'Foundation: cluster snapshots from live clusters, manifest files and saved snapshots; findings and the rule catalog; manifest export; certificate inventory and checks; RBAC review (effective permissions, who-can, risky grants, escalation paths, least-privilege roles); NetworkPolicy coverage, connectivity, generation and what-if; secret audits and credential leak scanning. See CHANGELOG.md.'
        }
    }
}
