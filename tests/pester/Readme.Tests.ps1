# Every example of the README's quick start, run as written from the repository root in real pwsh.

BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $readme = Get-Content -Raw (Join-Path $root 'README.md')
    $quickStart = [regex]::Match($readme, '(?s)## Quick start(.*?)\n## ').Groups[1].Value
    $examples = foreach ($block in [regex]::Matches($quickStart, '(?s)```powershell\r?\n(.*?)```')) {
        foreach ($line in $block.Groups[1].Value -split '\r?\n') {
            # Drop the trailing comment; keep the command exactly as a reader would paste it.
            $command = ($line -replace '\s+#\s.*$', '').Trim()
            if ($command) { @{ Command = $command } }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $null = New-Item -ItemType Directory -Force -Path (Join-Path (Get-RepoRoot) 'out')
    # One session for all lines, as a reader's console: $snapshot set by one line is used by the next.
    $session = [powershell]::Create()
    $null = $session.AddScript('param($root, $manifest) Set-Location $root; Import-Module $manifest').AddArgument((Get-RepoRoot)).AddArgument((Get-StagedManifest)).Invoke()
    function Invoke-InSession([string] $Command) {
        $session.Commands.Clear()
        $session.Streams.ClearStreams()
        $output = $session.AddScript($Command).Invoke()
        [pscustomobject]@{ Output = @($output); Errors = @($session.Streams.Error) }
    }
}

AfterAll {
    $session.Dispose()
}

Describe 'README quick start' {
    It 'has examples to run' -TestCases @{ Count = $examples.Count } {
        param($Count)
        $Count | Should -BeGreaterThan 15
    }

    It 'runs <Command>' -TestCases $examples {
        param($Command)
        $result = Invoke-InSession $Command
        $result.Errors | Should -BeNullOrEmpty -Because ($result.Errors -join '; ')
        if ($Command -notmatch 'Export-|^\$snapshot = ') {
            $result.Output.Count | Should -BeGreaterThan 0 -Because 'every example answers something'
        }
    }

    It 'leaves nothing in the repository root (reports go under out/, which git ignores)' {
        Get-ChildItem (Get-RepoRoot) -File -Filter '*.html' | Should -BeNullOrEmpty
        Get-ChildItem (Get-RepoRoot) -File -Filter '*.ksnap' | Should -BeNullOrEmpty
        (Get-Content -Raw (Join-Path (Get-RepoRoot) '.gitignore')) | Should -Match '(?m)^out/'
    }
}
