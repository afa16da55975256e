# Scheduled scripts and runbooks: the gate (-FailOn) must never cost a report, never replace the
# baseline with an empty one, and must give the process a non-zero exit code. Run in real pwsh.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $manifest = Get-StagedManifest
    $demo = Get-DemoCluster
    Import-Module $manifest -Force

    # The recipe exactly as the README documents it, with the module imported by path and the
    # demo cluster as the cluster to audit.
    $readme = Get-Content -Raw (Join-Path (Get-RepoRoot) 'README.md')
    $recipe = [regex]::Match($readme, '(?s)<!-- scheduled-audit-recipe -->\s*```powershell\r?\n(.*?)```').Groups[1].Value
    function New-RecipeScript([string] $Folder) {
        $body = $recipe.Replace("Context = 'prod'", "Path = '$demo'; AsOf = '2026-12-20'")
        $body | Should -Not -Be $recipe -Because 'the recipe audits a context the test replaces with the demo cluster'
        Set-Content -Path (Join-Path $Folder 'nightly-audit.ps1') -Value ("Import-Module '$manifest'`n" + $body)
        Join-Path $Folder 'nightly-audit.ps1'
    }
}

Describe 'The README recipe for a scheduled audit' {
    It 'is in the README, gates with -FailOn and writes its reports' {
        $recipe | Should -Match 'Invoke-KubeSecurityAudit'
        $recipe | Should -Match 'FailOn'
        $recipe | Should -Match 'exit 1'
    }

    It 'exits 1 under pwsh -File when the gate fails, and writes both reports complete' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'file') -Force
        $script = New-RecipeScript $folder.FullName
        $run = Invoke-ChildPwsh -ArgumentList '-File', $script -WorkingDirectory $folder.FullName
        $run.ExitCode | Should -Be 1 -Because $run.Output
        $run.Output | Should -Match 'AuditFailed|finding\(s\) at or above High'
        $json = Get-Content -Raw (Join-Path $folder 'last.json') | ConvertFrom-Json
        $json.findings.Count | Should -Be 232
        $json.summary.total | Should -Be 232
        Get-Content -Raw (Join-Path $folder 'report.html') | Should -Match 'ci-deployer-cluster-admin'
    }

    It 'exits 1 under pwsh -Command too' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'command') -Force
        $script = New-RecipeScript $folder.FullName
        $run = Invoke-ChildPwsh -ArgumentList '-Command', "& '$script'" -WorkingDirectory $folder.FullName
        $run.ExitCode | Should -Be 1 -Because $run.Output
        (Get-Content -Raw (Join-Path $folder 'last.json') | ConvertFrom-Json).findings.Count | Should -Be 232
    }

    It 'exits 0 the next night, when nothing is new since the baseline, and keeps the baseline complete' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'next') -Force
        $script = New-RecipeScript $folder.FullName
        (Invoke-ChildPwsh -ArgumentList '-File', $script -WorkingDirectory $folder.FullName).ExitCode | Should -Be 1
        $second = Invoke-ChildPwsh -ArgumentList '-File', $script -WorkingDirectory $folder.FullName
        $second.ExitCode | Should -Be 0 -Because $second.Output
        (Get-Content -Raw (Join-Path $folder 'last.json') | ConvertFrom-Json).findings.Count | Should -Be 232
    }

    It 'exits 1 and leaves the previous reports untouched when the audit itself cannot run' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'broken') -Force
        $script = New-RecipeScript $folder.FullName
        (Invoke-ChildPwsh -ArgumentList '-File', $script -WorkingDirectory $folder.FullName).ExitCode | Should -Be 1
        $before = Get-FileHash (Join-Path $folder 'last.json')
        (Get-Content -Raw $script).Replace($demo, (Join-Path $TestDrive 'no-such-cluster')) | Set-Content $script
        $run = Invoke-ChildPwsh -ArgumentList '-File', $script -WorkingDirectory $folder.FullName
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'ReportInputEmpty|no report was written'
        (Get-FileHash (Join-Path $folder 'last.json')).Hash | Should -Be $before.Hash
    }
}

Describe 'The -FailOn gate in a session' {
    It 'keeps every finding and the summary in a variable, and fails with AuditFailed after them' {
        $results = Invoke-KubeSecurityAudit -Path $demo -AsOf 2026-12-20 -FailOn High -ErrorVariable gate -ErrorAction SilentlyContinue
        $results.Count | Should -Be 233
        $results[-1] | Should -BeOfType ([KubeSecurity.Model.AuditSummary])
        $results[-1].GateFailed | Should -BeTrue
        $results[-1].FailingCount | Should -Be 93
        $gate.Count | Should -Be 1
        $gate[0].FullyQualifiedErrorId | Should -Be 'AuditFailed,KubeSecurity.Commands.InvokeKubeSecurityAuditCommand'
        $gate[0].CategoryInfo.Category | Should -Be 'SecurityError'
    }

    It 'leaves $? false after a failing gate, and true after a passing one' {
        Invoke-KubeSecurityAudit -Path $demo -AsOf 2026-12-20 -FailOn Critical -ErrorAction SilentlyContinue | Out-Null
        $? | Should -BeFalse
        Invoke-KubeSecurityAudit -Path $demo -AsOf 2026-12-20 -Category Network -FailOn Critical | Out-Null
        $? | Should -BeTrue
    }

    It 'still writes a complete report when the gate is piped into Export-KubeSecurityReport, even under -ErrorAction Stop' {
        $html = Join-Path $TestDrive 'gated.html'
        { Invoke-KubeSecurityAudit -Path $demo -AsOf 2026-12-20 -FailOn High -ErrorAction Stop | Export-KubeSecurityReport -Format Html -Path $html } |
            Should -Throw -ErrorId 'AuditFailed,KubeSecurity.Commands.InvokeKubeSecurityAuditCommand'
        Get-Content -Raw $html | Should -Match 'ci-deployer-cluster-admin'

        $json = Join-Path $TestDrive 'gated.json'
        Invoke-KubeSecurityAudit -Path $demo -AsOf 2026-12-20 -FailOn High -ErrorAction SilentlyContinue | Export-KubeSecurityReport -Format Json -Path $json
        (Get-Content -Raw $json | ConvertFrom-Json).findings.Count | Should -Be 232
    }

    It 'never overwrites a report with an empty one when nothing reaches the export' {
        $path = Join-Path $TestDrive 'baseline.json'
        Invoke-KubeSecurityAudit -Path $demo -AsOf 2026-12-20 | Export-KubeSecurityReport -Path $path
        $before = Get-FileHash $path
        $empty = $null
        $empty | Export-KubeSecurityReport -Format Json -Path $path -ErrorVariable problem -ErrorAction SilentlyContinue
        $problem[0].FullyQualifiedErrorId | Should -Be 'ReportInputEmpty,KubeSecurity.Commands.ExportKubeSecurityReportCommand'
        (Get-FileHash $path).Hash | Should -Be $before.Hash
        @() | Export-KubeSecurityReport -Format Json -Path $path -AllowEmpty
        (Get-Content -Raw $path | ConvertFrom-Json).findings.Count | Should -Be 0
    }
}
