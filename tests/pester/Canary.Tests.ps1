# A planted canary: a secret value placed everywhere a cluster keeps one (Secret data, stringData,
# annotations and last-applied copy, ConfigMap keys and file contents, environment values, command
# lines) must be absent from every artifact the module writes by default, in clear, base64 or as
# any plain digest of it. Run in real pwsh, through the exports and reports a user runs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-StagedManifest) -Force

    $canary = 'Zq8vR2mK9wL4pT7xCanary41'
    $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($canary))
    $lastApplied = '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},"stringData":{"password":"' + $canary + '"}}'
    $cluster = Join-Path $TestDrive 'cluster.yaml'
    @"
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  annotations:
    note: "rotate soon, current password=$canary"
    kubectl.kubernetes.io/last-applied-configuration: '$lastApplied'
type: Opaque
data: {password: $b64}
stringData: {backup: $canary}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data:
  DB_PASSWORD: $canary
  config.ini: |
    [database]
    user = shop
    password = $canary
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {deploy-note: "db password=$canary"}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: registry.example/web:1.0
        args: [serve, --db-password=$canary]
        env:
        - {name: DB_PASSWORD, value: $canary}
        - {name: DB_SECRET, valueFrom: {secretKeyRef: {name: db, key: password}}}
"@ | Set-Content -Path $cluster

    # Every plain digest of the canary an attacker could test guesses against: hex (both cases,
    # whole and the 16-digit prefixes fingerprints used to be) and base64.
    $bytes = [Text.Encoding]::UTF8.GetBytes($canary)
    $forbidden = [Collections.Generic.List[string]]::new()
    $forbidden.Add($canary); $forbidden.Add($b64)
    foreach ($algorithm in [Security.Cryptography.SHA256]::Create(), [Security.Cryptography.SHA1]::Create(), [Security.Cryptography.MD5]::Create(), [Security.Cryptography.SHA512]::Create()) {
        $digest = $algorithm.ComputeHash($bytes)
        $hex = [Convert]::ToHexString($digest)
        foreach ($text in $hex, $hex.ToLowerInvariant()) { $forbidden.Add($text); $forbidden.Add($text.Substring(0, 16)) }
        $forbidden.Add([Convert]::ToBase64String($digest))
    }

    function Assert-NoCanary([string] $Name, [string] $Text) {
        $Text | Should -Not -BeNullOrEmpty -Because "$Name was written"
        foreach ($needle in $forbidden) {
            $Text.Contains($needle) | Should -BeFalse -Because "$Name must not contain the canary or a plain digest of it ($needle)"
        }
    }

    function Read-Gzip([string] $Path) {
        $stream = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($Path), [IO.Compression.CompressionMode]::Decompress)
        try { [IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
    }

    $snapshot = Get-KubeSnapshot -Path $cluster
    $findings = @(Invoke-KubeSecurityAudit -Snapshot $snapshot -AsOf '2026-12-20' -WarningAction SilentlyContinue -Verbose 4>&1 3>&1)
}

Describe 'A planted canary secret value' {
    It 'is found by the leak scanner, so the test would notice it leaking' {
        @(Find-KubeCredentialLeak -Snapshot $snapshot).Count | Should -BeGreaterOrEqual 4
    }

    It 'is absent from a saved snapshot' {
        $path = Join-Path $TestDrive 'cluster.ksnap'
        $snapshot | Export-KubeSnapshot -Path $path
        Assert-NoCanary 'the saved snapshot' (Read-Gzip $path)
    }

    It 'is absent from exported manifests' {
        $path = Join-Path $TestDrive 'manifests.yaml'
        Get-KubeObject -Snapshot $snapshot | Export-KubeManifest -Path $path
        Assert-NoCanary 'the exported manifests' (Get-Content -Raw $path)
    }

    It 'is absent from the <Format> report' -ForEach @(@{ Format = 'Html' }, @{ Format = 'Sarif' }, @{ Format = 'JUnit' }, @{ Format = 'Json' }) {
        $path = Join-Path $TestDrive "report.$Format"
        $findings | Where-Object { $_ -is [KubeSecurity.Model.Finding] -or $_ -is [KubeSecurity.Model.AuditSummary] } | Export-KubeSecurityReport -Format $Format -Path $path
        Assert-NoCanary "the $Format report" (Get-Content -Raw $path)
    }

    It 'is absent from findings, verbose and warning text, and the objects every secret and leak cmdlet returns' {
        $text = ($findings | ForEach-Object { $_ | Format-List * | Out-String }) -join "`n"
        $text += (Find-KubeCredentialLeak -Snapshot $snapshot | ConvertTo-Json -Depth 6)
        $text += (Get-KubeSecretInventory -Snapshot $snapshot | ConvertTo-Csv | Out-String)
        $text += (Test-KubeSecret -Snapshot $snapshot | ConvertTo-Json -Depth 6)
        Assert-NoCanary 'the output' $text
    }
}
