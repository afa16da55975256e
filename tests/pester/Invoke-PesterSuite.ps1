<#
.SYNOPSIS
    Runs Pester test files against the staged module and prints one machine-readable result line.
.DESCRIPTION
    Used by the xunit runner (tests/KubeSecurity.Pester.Tests) and by ./build.ps1 -Task Test. Imports
    the Pester module given by path (restored from NuGet), runs the files, prints the Pester report
    and ends with `PESTER-RESULT {json}`: counts and the failed tests with their messages.
    The exit code is the number of failed tests (0 when all passed).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $PesterManifest
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $config

$failed = @($result.Failed | ForEach-Object {
    [ordered]@{
        Name    = $_.ExpandedPath
        Message = ($_.ErrorRecord | ForEach-Object { $_.ToString() }) -join [Environment]::NewLine
    }
})
# Containers that could not run at all (a syntax error, a failing BeforeAll) count as failures too.
$failedBlocks = @($result.FailedBlocks | ForEach-Object { [ordered]@{ Name = $_.ExpandedPath; Message = ($_.ErrorRecord | ForEach-Object { $_.ToString() }) -join [Environment]::NewLine } })
$failedContainers = @($result.FailedContainers | ForEach-Object { [ordered]@{ Name = [string]$_.Item; Message = ($_.ErrorRecord | ForEach-Object { $_.ToString() }) -join [Environment]::NewLine } })
$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
    NotRun  = $result.NotRunCount
    Failures = @($failed + $failedBlocks + $failedContainers)
}
'PESTER-RESULT ' + ($summary | ConvertTo-Json -Depth 4 -Compress)
exit [Math]::Min(255, $summary.Failed)
