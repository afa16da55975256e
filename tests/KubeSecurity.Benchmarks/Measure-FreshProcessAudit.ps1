<#
.SYNOPSIS
    The README's fresh-process audit figures: each run is a new pwsh, as a scheduled script is.

.DESCRIPTION
    For each staged module given (two to compare builds, interleaved so that both see the same
    machine), runs -Runs fresh pwsh processes of each measurement and prints one line per run:

    Whole  Import-Module, then Invoke-KubeSecurityAudit -LiteralPath piped to Measure-Object: the
           audit's wall time (load included), the bytes it allocated, the process's peak working
           set, and how far the audit took it above the peak after Import-Module.
    Twice  the same audit twice in one process: the first run's time against the second's.
    Demo   Import-Module, then the first audit of the demo cluster: the time beyond the import.

    Timings on a busy 2-core machine vary by 10-15% from run to run: compare builds only within one
    invocation, and report ranges or means over several runs.

.EXAMPLE
    dotnet run -c Release --project tests/KubeSecurity.Benchmarks -- --write-audit-cluster /tmp/all-areas.json
    dotnet build tools/KubeSecurity.HelpCompiler/KubeSecurity.HelpCompiler.csproj -c Release "-p:StagedModuleDir=/tmp/new/KubeSecurity/0.1.0/"
    dotnet pwsh -NoProfile -File tests/KubeSecurity.Benchmarks/Measure-FreshProcessAudit.ps1 -Module /tmp/old/KubeSecurity,/tmp/new/KubeSecurity -Cluster /tmp/all-areas.json -Runs 5

.EXAMPLE
    # The effect of a runtime setting on the same build.
    $env:DOTNET_TieredPGO = '0'; dotnet pwsh -NoProfile -File tests/KubeSecurity.Benchmarks/Measure-FreshProcessAudit.ps1 -Module ./out/release/KubeSecurity -Cluster /tmp/all-areas.json -Measure Twice
#>
[CmdletBinding()]
param(
    # Staged module folders (the folder holding the version folder), measured in turn.
    [Parameter(Mandatory)] [string[]] $Module,
    # The cluster file to audit (see --write-audit-cluster).
    [Parameter(Mandatory)] [string] $Cluster,
    [ValidateRange(1, 50)] [int] $Runs = 3,
    # Whole, Twice and/or Demo.
    [string[]] $Measure = @('Whole', 'Twice', 'Demo'),
    # The demo cluster for the Demo measurement.
    [string] $DemoCluster = (Join-Path $PSScriptRoot '../../samples/demo-cluster')
)

$ErrorActionPreference = 'Stop'
# pwsh -File passes "a,b" as one string: accept a comma-separated list as well as an array.
$Module = @($Module | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$Measure = @($Measure | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
# The same PowerShell as this one: its own executable, or `dotnet pwsh.dll` when it runs as a .NET tool without one.
$apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$launch = @(if (Test-Path -LiteralPath $apphost) { $apphost } else { (Get-Process -Id $PID).Path; Join-Path $PSHOME 'pwsh.dll' })
$Cluster = (Resolve-Path -LiteralPath $Cluster).Path
$DemoCluster = (Resolve-Path -LiteralPath $DemoCluster).Path

# Each script runs in its own pwsh and prints one line; warnings (items not analysed) are dropped.
$scripts = @{
    Whole = @'
param($Module, $File)
Import-Module $Module
$imported = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
$before = [GC]::GetTotalAllocatedBytes($true)
$clock = [Diagnostics.Stopwatch]::StartNew()
$count = (Invoke-KubeSecurityAudit -LiteralPath $File 3>$null | Measure-Object).Count
$clock.Stop()
$allocated = [GC]::GetTotalAllocatedBytes($true) - $before
$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
'{0:N2} s, {1:N0} MiB allocated, peak working set {2:N0} MiB ({3:N0} over the {4:N0} after Import-Module), {5} objects out' -f $clock.Elapsed.TotalSeconds, ($allocated / 1MB), ($peak / 1MB), (($peak - $imported) / 1MB), ($imported / 1MB), $count
'@
    Twice = @'
param($Module, $File)
Import-Module $Module
$clock = [Diagnostics.Stopwatch]::StartNew()
$null = Invoke-KubeSecurityAudit -LiteralPath $File 3>$null | Measure-Object
$first = $clock.Elapsed.TotalSeconds
$clock.Restart()
$null = Invoke-KubeSecurityAudit -LiteralPath $File 3>$null | Measure-Object
$second = $clock.Elapsed.TotalSeconds
'first {0:N2} s, second {1:N2} s, ratio {2:N2}' -f $first, $second, ($first / $second)
'@
    Demo = @'
param($Module, $File)
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$imported = $clock.Elapsed.TotalSeconds
$null = Invoke-KubeSecurityAudit -Path $File -AsOf 2026-12-20 3>$null
'import {0:N3} s, first demo audit +{1:N3} s' -f $imported, ($clock.Elapsed.TotalSeconds - $imported)
'@
}

$work = Join-Path ([IO.Path]::GetTempPath()) "kubesecurity-measure-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
try {
    foreach ($name in $Measure) {
        if (-not $scripts.ContainsKey($name)) { throw "Unknown measurement '$name': use Whole, Twice or Demo." }
        $script = Join-Path $work "$name.ps1"
        Set-Content -LiteralPath $script -Value $scripts[$name]
        $target = if ($name -eq 'Demo') { $DemoCluster } else { $Cluster }
        for ($run = 1; $run -le $Runs; $run++) {
            foreach ($staged in $Module) {
                $arguments = @($launch | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $script, '-Module', $staged, '-File', $target)
                $line = & $launch[0] @arguments 2>&1 | Select-Object -Last 1
                '{0,-6} run {1}  {2}: {3}' -f $name, $run, $staged, $line
            }
        }
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
