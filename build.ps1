#requires -Version 7.4
<#
.SYNOPSIS
    Builds, demonstrates, tests and packages the KubeSecurity module.
.DESCRIPTION
    Build   : dotnet build of the solution; stages the module at out/KubeSecurity/<version>/ with compiled help.
    Demo    : Build, then audits the demo cluster (samples/demo-cluster) with the staged module, writes
              out/demo-report.html and prints a short summary. The README's main command runs it.
    Test    : dotnet test of the solution (the README's test command), which also runs the Pester
              tests in tests/pester in a real pwsh.
    Package : a Release build staged at out/release/KubeSecurity/<version>/ (no .pdb files), published
              as a .nupkg to out/packages for Install-PSResource or the PowerShell Gallery.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Demo
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Demo', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'KubeSecurity.sln'

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))
    $props.SelectSingleNode('/Project/PropertyGroup/VersionPrefix').InnerText
}

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$version = Get-ModuleVersion
$stage = Join-Path $root "out/KubeSecurity/$version"

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Dotnet build $solution -c $Configuration --nologo --verbosity quiet
            Write-Host "Module staged at $stage"
        }
        'Demo' {
            Invoke-Dotnet build (Join-Path $root 'tools/KubeSecurity.HelpCompiler/KubeSecurity.HelpCompiler.csproj') -c $Configuration --nologo --verbosity quiet
            $report = Join-Path $root 'out/demo-report.html'
            # A child pwsh, so this session never holds the module's assemblies (a rebuild can replace them).
            $script = {
                param($Manifest, $Demo, $Report)
                Import-Module $Manifest
                $results = Invoke-KubeSecurityAudit -Path $Demo -AsOf 2026-12-20
                $results | Export-KubeSecurityReport -Path $Report
                $summary = $results | Where-Object { $_ -is [KubeSecurity.Model.AuditSummary] }
                $findings = $results | Where-Object { $_ -is [KubeSecurity.Model.Finding] }
                Write-Host ''
                Write-Host "Audited the demo cluster: $($summary.Total) findings ($(($summary.BySeverity.GetEnumerator() | ForEach-Object { "$($_.Value) $($_.Key)" }) -join ', '))."
                Write-Host 'The most severe:'
                $findings | Select-Object -First 5 | ForEach-Object { Write-Host ("  {0,-8} {1,-13} {2}" -f $_.Severity, $_.RuleId, $_.Resource) }
                Write-Host "Report: $Report"
                Write-Host "Explore: Import-Module $Manifest; Invoke-KubeSecurityAudit -Path ./samples/demo-cluster -AsOf 2026-12-20"
            }
            $pwsh = [Environment]::ProcessPath
            $arguments = @()
            if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += (Join-Path $PSHOME 'pwsh.dll') }
            & $pwsh @arguments -NoProfile -NonInteractive -Command $script -args (Join-Path $stage 'KubeSecurity.psd1'), (Join-Path $root 'samples/demo-cluster'), $report
            if ($LASTEXITCODE -ne 0) { throw "The demo audit failed with exit code $LASTEXITCODE" }
        }
        'Test' {
            # Runs every test, the Pester suite included (tests/KubeSecurity.Pester.Tests runs it in a real pwsh).
            Invoke-Dotnet test $solution -c $Configuration
        }
        'Package' {
            # Always a Release build, staged apart from the development stage that tests import.
            $releaseStage = Join-Path $root "out/release/KubeSecurity/$version"
            if (Test-Path $releaseStage) { Remove-Item -Recurse -Force $releaseStage }
            Invoke-Dotnet build (Join-Path $root 'tools/KubeSecurity.HelpCompiler/KubeSecurity.HelpCompiler.csproj') -c Release --nologo --verbosity quiet "-p:StagedModuleDir=$releaseStage/"
            $null = Test-ModuleManifest -Path (Join-Path $releaseStage 'KubeSecurity.psd1')
            $packages = Join-Path $root 'out/packages'
            New-Item -ItemType Directory -Force -Path $packages | Out-Null
            Get-ChildItem $packages -Filter "KubeSecurity.$version.nupkg" | Remove-Item -Force
            $repository = 'KubeSecurityBuild-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            Register-PSResourceRepository -Name $repository -Uri $packages -Trusted -Force
            # Publish from a copy named like the module: the Gallery takes the folder name as the module name.
            $temporary = Join-Path ([IO.Path]::GetTempPath()) ("kubesecurity-package-" + [guid]::NewGuid())
            try {
                $copy = Join-Path $temporary 'KubeSecurity'
                Copy-Item -Recurse -Path $releaseStage -Destination $copy
                Get-ChildItem $copy -Recurse -Filter '*.pdb' | Remove-Item -Force
                Copy-Item (Join-Path $root 'LICENSE') $copy
                Publish-PSResource -Path $copy -Repository $repository
            }
            finally {
                Unregister-PSResourceRepository -Name $repository
                Remove-Item -Recurse -Force $temporary -ErrorAction SilentlyContinue
            }
            Get-ChildItem $packages -Filter "KubeSecurity.$version.nupkg"
        }
    }
}
