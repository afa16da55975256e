# Shared by the Pester files: where things are, and how to start another real pwsh.

$script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-RepoRoot { $script:Root }

function Get-StagedManifest {
    Get-ChildItem (Join-Path $script:Root 'out/KubeSecurity') -Directory |
        Sort-Object { [version]$_.Name } -Descending | Select-Object -First 1 |
        ForEach-Object { Join-Path $_.FullName 'KubeSecurity.psd1' }
}

function Get-DemoCluster { Join-Path $script:Root 'samples/demo-cluster' }

<#
.SYNOPSIS
    Runs the same pwsh as this one in a child process and returns its exit code and output.
    The pwsh of the local tool runs under dotnet (ProcessPath is dotnet), so start pwsh.dll the same way.
#>
function Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string[]] $ArgumentList, [string] $WorkingDirectory = $script:Root)
    $process = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $arguments += (Join-Path $PSHOME 'pwsh.dll') }
    $arguments += '-NoProfile', '-NonInteractive'
    $arguments += $ArgumentList
    Push-Location $WorkingDirectory
    $savedNoColor = $env:NO_COLOR
    $env:NO_COLOR = '1'
    try {
        $output = & $process @arguments 2>&1 | ForEach-Object { "$_" -replace '\x1b\[[0-9;]*m', '' }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join [Environment]::NewLine) }
    }
    finally {
        $env:NO_COLOR = $savedNoColor
        Pop-Location
    }
}

<# Renders objects as the console would at a given width, without ANSI colour. #>
function Out-Rendered {
    param([Parameter(ValueFromPipeline)] $InputObject, [int] $Width = 120)
    begin { $items = [Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        $saved = $PSStyle.OutputRendering
        $PSStyle.OutputRendering = 'PlainText'
        try { $items | Out-String -Width $Width }
        finally { $PSStyle.OutputRendering = $saved }
    }
}

Export-ModuleMember -Function Get-RepoRoot, Get-StagedManifest, Get-DemoCluster, Invoke-ChildPwsh, Out-Rendered
