# -WhatIf on every cmdlet that changes a file or a cluster: it says what would happen, even with no
# cluster to reach, and changes nothing. ShouldProcess writes "What if:" to the host, so each case
# runs in a child pwsh whose console output is read.

BeforeDiscovery {
    $cases = @(
        @{ Cmdlet = 'Export-KubeSnapshot'; Script = '$s | Export-KubeSnapshot -Path ./w.ksnap -WhatIf'; Target = 'w.ksnap' }
        @{ Cmdlet = 'Export-KubeManifest'; Script = '$s | Get-KubeObject -Kind Namespace | Export-KubeManifest -Path ./w.yaml -WhatIf'; Target = 'w.yaml' }
        @{ Cmdlet = 'Export-KubeSecurityReport'; Script = '$s | Invoke-KubeSecurityAudit -AsOf 2026-12-20 | Export-KubeSecurityReport -Path ./w.html -WhatIf'; Target = 'w.html' }
        @{ Cmdlet = 'New-KubeCertificate'; Script = 'New-KubeCertificate -Subject CN=whatif-ca -CertificateAuthority -OutputDirectory ./certs -WhatIf'; Target = 'whatif-ca.crt' }
        @{ Cmdlet = 'New-KubeTlsSecret'; Script = 'New-KubeTlsSecret -Name web-tls -Namespace shop -CertificatePath ./issued/tls.crt -KeyPath ./issued/tls.key -Apply -WhatIf'; Target = 'Secret shop/web-tls' }
        @{ Cmdlet = 'Remove-KubeRbacBinding'; Script = 'Remove-KubeRbacBinding -Kind ClusterRoleBinding -Name ci-deployer-cluster-admin -WhatIf'; Target = 'ClusterRoleBinding/ci-deployer-cluster-admin' }
        @{ Cmdlet = 'Set-KubeNetworkPolicy'; Script = 'New-KubeNetworkPolicy -DefaultDeny -Namespace legacy | Set-KubeNetworkPolicy -WhatIf'; Target = 'NetworkPolicy legacy/' }
        @{ Cmdlet = 'Remove-KubeSecret'; Script = 'Remove-KubeSecret -Namespace legacy -Name old-api-key -WhatIf'; Target = 'Secret/legacy/old-api-key' }
        @{ Cmdlet = 'Set-KubeServiceAccount'; Script = 'Set-KubeServiceAccount -Namespace shop -Name frontend -AutomountServiceAccountToken $false -WhatIf'; Target = 'ServiceAccount/shop/frontend' }
        @{ Cmdlet = 'Repair-KubeSecurityFinding'; Script = '$s | Invoke-KubeSecurityAudit -AsOf 2026-12-20 -IncludeRule KSEC-POD-018 | Where-Object RuleId | Repair-KubeSecurityFinding -Snapshot $s -WhatIf'; Target = 'Namespace/legacy (planned offline from -Snapshot' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    # A kubeconfig whose cluster cannot be reached: nothing listens on port 1.
    $work = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'work') -Force
    Set-Content -Path (Join-Path $work 'unreachable.kubeconfig') -Value @'
apiVersion: v1
kind: Config
clusters:
- name: nowhere
  cluster: {server: 'https://127.0.0.1:1'}
users:
- name: nobody
  user: {token: not-a-real-token}
contexts:
- name: nowhere
  context: {cluster: nowhere, user: nobody}
current-context: nowhere
'@
    Import-Module (Get-StagedManifest) -Force
    $null = New-KubeCertificate -Subject CN=shop.demo.example -DnsName shop.demo.example -OutputDirectory (Join-Path $work 'issued') -FileName tls
}

Describe '-WhatIf on <Cmdlet>' -ForEach $cases {
    It 'supports ShouldProcess' {
        (Get-Command $Cmdlet).Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'says what it would do and changes nothing, with no cluster to reach' {
        $before = @(Get-ChildItem -Recurse -File $work | ForEach-Object FullName)
        $script = "`$env:KUBECONFIG = '$(Join-Path $work 'unreachable.kubeconfig')'; Import-Module '$(Get-StagedManifest)'; `$s = Get-KubeSnapshot -Path '$(Get-DemoCluster)'; `$out = $Script; 'OUTPUT-COUNT ' + @(`$out).Count"
        $run = Invoke-ChildPwsh -ArgumentList '-Command', $script -WorkingDirectory $work
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'What if:' -Because $run.Output
        $run.Output | Should -Match ([regex]::Escape($Target)) -Because $run.Output
        $run.Output | Should -Match 'OUTPUT-COUNT 0' -Because 'nothing is created, so nothing is returned'
        # An error record prints as "<Cmdlet>: <message>" at the start of a line.
        $run.Output | Should -Not -Match '(?m)^\w+-Kube\w+: |Exception' -Because $run.Output
        @(Get-ChildItem -Recurse -File $work | ForEach-Object FullName) | Should -Be $before
    }
}

Describe 'Every cmdlet that changes something' -ForEach @(@{ Covered = $cases.Cmdlet }) {
    It 'supports -WhatIf and is covered above' {
        $changing = Get-Command -Module (Import-Module (Get-StagedManifest) -PassThru -Force) |
            Where-Object { $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name | Sort-Object
        $changing | Should -Be ($Covered | Sort-Object)
        foreach ($verb in 'Set', 'Remove', 'New', 'Export', 'Repair') {
            Get-Command -Module KubeSecurity -Verb $verb | Where-Object Name -notin 'New-KubeNetworkPolicy', 'New-KubeRbacRole' |
                ForEach-Object { $_.Parameters.Keys | Should -Contain 'WhatIf' -Because "$($_.Name) changes something" }
        }
    }
}
