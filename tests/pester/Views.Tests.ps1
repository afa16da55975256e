# What a user sees in a 120-column console: every answer column whole, groups not repeated, no
# dumped PEM, summaries readable, and exports quiet unless -PassThru.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-StagedManifest) -Force
    $snapshot = Get-KubeSnapshot -Path (Get-DemoCluster)

    # The text of a view with the line breaks the views insert removed, so a long value that the
    # view wraps at a word or name boundary reads back whole; a cut value ('…') never does.
    function Get-Flat([string] $Text) { ($Text -split '\r?\n' | ForEach-Object { $_.Trim() }) -join ' ' }
    function Test-Whole([string] $Text, [string] $Expected) {
        $flat = Get-Flat $Text
        # A value broken across lines inside a table column comes back with the next column's text between its parts;
        # so also accept the value with its break points (spaces, '/', '-') followed by other columns' text.
        $pattern = [regex]::Escape($Expected) -replace '(\\ |/|-|,|>)', '$1(?:.{0,200}?\s)?'
        $flat -match $pattern
    }
}

Describe 'Table views at 120 columns' {
    It 'never cuts a value with an ellipsis' -TestCases @(
        @{ Name = 'Test-KubeRbacAccess'; Script = { $snapshot | Test-KubeRbacAccess -Subject ServiceAccount:default/default -Verb create -Resource pods/exec -Namespace default } }
        @{ Name = 'Test-KubeNetworkConnectivity'; Script = { $snapshot | Test-KubeNetworkConnectivity -From shop/frontend -To payments/payments-api -Port 8443 } }
        @{ Name = 'Get-KubeRbacEscalationPath'; Script = { $snapshot | Get-KubeRbacEscalationPath -Subject Group:payments-oncall -Target 'get secrets' -TargetNamespace kube-system } }
        @{ Name = 'Get-KubeWorkloadIdentity'; Script = { $snapshot | Get-KubeWorkloadIdentity } }
        @{ Name = 'Get-KubeRbacSubject'; Script = { $snapshot | Get-KubeRbacSubject -Verb list -Resource secrets -Namespace payments } }
        @{ Name = 'Get-KubeRbacPermission'; Script = { $snapshot | Get-KubeRbacPermission -Subject ServiceAccount:default/default } }
        @{ Name = 'Get-KubeCertificate'; Script = { $snapshot | Get-KubeCertificate } }
        @{ Name = 'Get-KubeSecretAccess'; Script = { $snapshot | Get-KubeSecretAccess } }
        @{ Name = 'Get-KubeSecretInventory'; Script = { $snapshot | Get-KubeSecretInventory } }
        @{ Name = 'Invoke-KubeSecurityAudit'; Script = { $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 } }
        @{ Name = 'Get-KubeNetworkPolicyCoverage'; Script = { $snapshot | Get-KubeNetworkPolicyCoverage } }
        @{ Name = 'Test-KubeControlPlane'; Script = { $snapshot | Test-KubeControlPlane -IncludePassed } }
        @{ Name = 'Test-KubeKubelet'; Script = { $snapshot | Test-KubeKubelet -IncludePassed -WarningAction SilentlyContinue } }
        @{ Name = 'Get-KubeComplianceReport'; Script = { $snapshot | Get-KubeComplianceReport -AsOf 2026-12-20 -WarningAction SilentlyContinue } }
        @{ Name = 'Get-KubeAttackPath'; Script = { $snapshot | Get-KubeAttackPath -To cluster-admin, node -WarningAction SilentlyContinue } }
        @{ Name = 'Get-KubeAttackPath -ChokePoints'; Script = { $snapshot | Get-KubeAttackPath -ChokePoints -WarningAction SilentlyContinue } }
        @{ Name = 'Get-KubeSecurityRule'; Script = { Get-KubeSecurityRule } }
    ) {
        param($Name, $Script)
        $text = & $Script | Out-Rendered -Width 120
        $text | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match '…' -Because "$Name must show whole values"
        ($text -split '\r?\n' | Where-Object { $_.Length -gt 120 }) | Should -BeNullOrEmpty
    }

    It 'shows the reason of an access decision whole' {
        $text = $snapshot | Test-KubeRbacAccess -Subject ServiceAccount:default/default -Verb create -Resource pods/exec -Namespace default | Out-Rendered
        Test-Whole $text 'allowed by RoleBinding/default/default-sa-edit -> ClusterRole/edit' | Should -BeTrue -Because $text
    }

    It 'shows the destination and reason of a connectivity answer whole' {
        $text = $snapshot | Test-KubeNetworkConnectivity -From shop/frontend -To payments/payments-api -Port 8443 | Out-Rendered
        Test-Whole $text 'Deployment/payments/payments-api' | Should -BeTrue -Because $text
        Test-Whole $text 'no rule allows this' | Should -BeTrue -Because $text
    }

    It 'shows escalation targets and certificate sources whole' {
        $text = $snapshot | Get-KubeRbacEscalationPath -Subject Group:payments-oncall -Target 'get secrets' -TargetNamespace kube-system | Out-Rendered
        Test-Whole $text 'get secrets in kube-system' | Should -BeTrue -Because $text
        $certificates = $snapshot | Get-KubeCertificate | Out-Rendered
        Test-Whole $certificates 'Secret payments/payments-tls key tls.crt' | Should -BeTrue -Because $certificates
    }

    It 'shows the secret type and the grant that lets a subject read a secret whole' {
        $inventory = $snapshot | Get-KubeSecretInventory | Out-Rendered
        $inventory | Should -Match 'kubernetes\.io/service-account-token'
        $access = $snapshot | Get-KubeSecretAccess | Out-Rendered
        Test-Whole $access 'ClusterRoleBinding/all-users-read-secrets -> ClusterRole/secret-reader-everything' | Should -BeTrue -Because $access
    }

    It 'breaks long finding messages and resources between words, never inside one' {
        $text = $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 -IncludeRule KSEC-SEC-006 | Out-Rendered
        $text | Should -Match 'automountServiceAccountToken: false'
        $text | Should -Not -Match 'autom\s*\r?\n'
        $text = $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 -IncludeRule KSEC-RBAC-001 | Out-Rendered
        Test-Whole $text 'ClusterRoleBinding/ci-deployer-cluster-admin' | Should -BeTrue -Because $text
    }

    It 'groups who-can answers by subject, each subject once, without an always-empty Pods column' {
        $text = $snapshot | Get-KubeRbacSubject -Verb list -Resource secrets -Namespace payments | Out-Rendered
        $headers = [regex]::Matches($text, '(?m)^\s*Subject: (\S+)') | ForEach-Object { $_.Groups[1].Value }
        $headers.Count | Should -BeGreaterThan 3
        ($headers | Sort-Object -Unique).Count | Should -Be $headers.Count -Because ($headers -join ', ')
        $text | Should -Not -Match '(?m)\sPods\s*$'
    }
}

Describe 'List views' {
    It 'shows the audit summary after the findings with readable counts and the gate' {
        $text = $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 -FailOn Critical -ErrorAction SilentlyContinue | Out-Rendered
        $text | Should -Match 'BySeverity\s*:\s*Critical=19, High=74'
        $text | Should -Not -Match '\{\[Critical'
        $text | Should -Match 'Gate\s*:\s*FAILED: 19 finding\(s\) at or above Critical'
    }

    It 'shows a generated certificate without its PEM or key' {
        $text = New-KubeCertificate -Subject 'CN=view-test' -CertificateAuthority | Out-Rendered
        $text | Should -Match 'Subject\s*:\s*CN=view-test'
        $text | Should -Match 'Thumbprint'
        $text | Should -Not -Match 'BEGIN'
    }

    It 'gives every public output type a view' {
        $formats = Get-FormatData -TypeName 'KubeSecurity.Model.*' | ForEach-Object TypeNames
        $outputs = Get-Command -Module KubeSecurity | ForEach-Object { $_.OutputType.Type } | Where-Object { $_.Namespace -eq 'KubeSecurity.Model' } | ForEach-Object FullName | Sort-Object -Unique
        foreach ($type in $outputs) { $formats | Should -Contain $type }
    }

    It 'shows an ApplyResult as what changed, not two identical objects' {
        $format = Get-FormatData -TypeName KubeSecurity.Model.ApplyResult
        $format.FormatViewDefinition[0].Control.Headers.Label | Should -Contain 'Backup'
    }
}

Describe 'Exports' {
    It 'returns nothing unless -PassThru, and then the file as Get-Item shows it' {
        $path = Join-Path $TestDrive 'quiet.json'
        $out = $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Export-KubeSecurityReport -Path $path
        $out | Should -BeNullOrEmpty
        $file = $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Export-KubeSecurityReport -Path $path -PassThru
        $file.FullName | Should -Be $path
        $text = $file | Out-Rendered
        $text | Should -Match '-a---|-rw-'
        $text | Should -Match "\b$($file.Length)\b"
        $snapshot | Export-KubeSnapshot -Path (Join-Path $TestDrive 's.ksnap') | Should -BeNullOrEmpty
        $snapshot | Get-KubeObject -Kind Namespace | Export-KubeManifest -Path (Join-Path $TestDrive 'm.yaml') | Should -BeNullOrEmpty
    }

    It 'takes -LiteralPath, -NoClobber and -Force like the other exports' {
        $path = Join-Path $TestDrive 'a[1].html'
        $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Export-KubeSecurityReport -LiteralPath $path
        Test-Path -LiteralPath $path | Should -BeTrue
        $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Export-KubeSecurityReport -LiteralPath $path -NoClobber -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -Be 'FileExists,KubeSecurity.Commands.ExportKubeSecurityReportCommand'
        Set-ItemProperty -LiteralPath $path -Name IsReadOnly -Value $true
        $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Export-KubeSecurityReport -LiteralPath $path -ErrorVariable readOnly -ErrorAction SilentlyContinue
        $readOnly[0].FullyQualifiedErrorId | Should -Be 'FileWriteFailed,KubeSecurity.Commands.ExportKubeSecurityReportCommand'
        $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Export-KubeSecurityReport -LiteralPath $path -Force
        $? | Should -BeTrue
        (Get-Command Export-KubeSecurityReport).Parameters.Keys | Should -Contain 'LiteralPath'
    }

    It 'returns the report as text without -Path instead of prompting' {
        $text = $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 -Category RBAC | Export-KubeSecurityReport -Format Markdown
        $text | Should -BeOfType [string]
        $text | Should -Match 'KSEC-RBAC-001'
        (Get-Command Export-KubeSecurityReport).Parameters['Path'].ParameterSets.Values.IsMandatory | Should -Not -Contain $false -Because 'Path is mandatory only in its own parameter set'
        (Get-Command Export-KubeSecurityReport).DefaultParameterSet | Should -Be 'Text'
    }

    It 'creates files that hold secret values readable by their owner only' -Skip:$IsWindows {
        $withValues = Join-Path $TestDrive 'with-values.ksnap'
        $snapshot | Export-KubeSnapshot -Path $withValues -IncludeSecretValues -WarningAction SilentlyContinue
        (Get-Item $withValues).UnixMode | Should -Be '-rw-------'
        $manifest = Join-Path $TestDrive 'secrets.yaml'
        $snapshot | Get-KubeObject -Kind Secret | Export-KubeManifest -Path $manifest -IncludeSecretValues -WarningAction SilentlyContinue
        (Get-Item $manifest).UnixMode | Should -Be '-rw-------'
        $redacted = Join-Path $TestDrive 'redacted.ksnap'
        $snapshot | Export-KubeSnapshot -Path $redacted
        (Get-Item $redacted).UnixMode | Should -Not -Be '-rw-------' -Because 'a redacted snapshot holds no secret value'
    }

    It 'runs without -Path in a non-interactive pwsh and exits without waiting for input' {
        $run = Invoke-ChildPwsh -ArgumentList '-Command', "Import-Module '$(Get-StagedManifest)'; Invoke-KubeSecurityAudit -Path '$(Get-DemoCluster)' -Category RBAC | Export-KubeSecurityReport -Format Csv | Select-Object -First 1"
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'KSEC-RBAC'
    }
}

Describe 'The rule catalog' {
    It 'states the severity range a rule''s findings can carry, and every finding of the demo lies in it' {
        $rules = @{}
        Get-KubeSecurityRule | ForEach-Object { $rules[$_.Id] = $_ }
        $findings = $snapshot | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Where-Object RuleId
        foreach ($finding in $findings) {
            $rule = $rules[$finding.RuleId]
            $finding.Severity | Should -BeGreaterOrEqual $rule.MinimumSeverity -Because "$($finding.RuleId) on $($finding.Resource)"
            $finding.Severity | Should -BeLessOrEqual $rule.MaximumSeverity -Because "$($finding.RuleId) on $($finding.Resource)"
        }
        $rules['KSEC-SEC-007'].MaximumSeverity | Should -Be 'Critical'
        $rules['KSEC-SEC-007'].SeverityNote | Should -Not -BeNullOrEmpty
        (Get-KubeSecurityRule -Id KSEC-SEC-007 | Out-Rendered) | Should -Match 'High-Critical'
    }
}
