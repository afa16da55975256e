#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the KubeSecurity module.
.DESCRIPTION
    Build   : dotnet build of the solution; stages the module at out/KubeSecurity/<version>/ with compiled help.
    Test    : dotnet test of the solution (the README's test command), then the Pester tests in
              tests/pester when Pester 5 is installed.
    Package : a .nupkg of the staged module for the PowerShell Gallery, in out/packages.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
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
    $props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
}

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$stage = Join-Path $root "out/KubeSecurity/$(Get-ModuleVersion)"

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Dotnet build $solution -c $Configuration
            Write-Host "Module staged at $stage"
        }
        'Test' {
            Invoke-Dotnet test $solution -c $Configuration
            $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1
            if ($pester) {
                Import-Module $pester
                $config = New-PesterConfiguration
                $config.Run.Path = Join-Path $root 'tests/pester'
                $config.Run.Exit = $false
                $config.Run.PassThru = $true
                $config.Output.Verbosity = 'Detailed'
                $result = Invoke-Pester -Configuration $config
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
            }
            else {
                Write-Warning 'Pester 5 is not installed; skipping tests/pester (Install-Module Pester -MinimumVersion 5.0.0).'
            }
        }
        'Package' {
            if (-not (Test-Path (Join-Path $stage 'en-US/KubeSecurity.dll-Help.xml'))) {
                Invoke-Dotnet build $solution -c $Configuration
            }
            $null = Test-ModuleManifest -Path (Join-Path $stage 'KubeSecurity.psd1')
            $packages = Join-Path $root 'out/packages'
            New-Item -ItemType Directory -Force -Path $packages | Out-Null
            $repository = 'KubeSecurityBuild'
            Register-PSResourceRepository -Name $repository -Uri $packages -Trusted -Force
            try {
                # Publish from a copy named like the module: the Gallery takes the folder name as the module name.
                $temporary = Join-Path ([IO.Path]::GetTempPath()) ("kubesecurity-package-" + [guid]::NewGuid())
                $copy = Join-Path $temporary 'KubeSecurity'
                Copy-Item -Recurse -Path $stage -Destination $copy
                Publish-PSResource -Path $copy -Repository $repository
                Remove-Item -Recurse -Force $temporary
            }
            finally {
                Unregister-PSResourceRepository -Name $repository
            }
            Get-ChildItem $packages -Filter 'KubeSecurity.*.nupkg'
        }
    }
}
