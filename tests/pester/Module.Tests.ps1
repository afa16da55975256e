# The module as a product: help online, licence, errors that say something, and the package that
# Install-PSResource installs by name.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $module = Import-Module (Get-StagedManifest) -Force -PassThru
    $root = Get-RepoRoot
}

Describe 'Help' {
    It 'gives every cmdlet a HelpUri to its page under docs/cmdlets in the repository' {
        foreach ($command in Get-Command -Module KubeSecurity) {
            $command.HelpUri | Should -Be "https://github.com/kubesecurity/KubeSecurity/blob/main/docs/cmdlets/$($command.Name).md"
            Test-Path (Join-Path $root "docs/cmdlets/$($command.Name).md") | Should -BeTrue
        }
    }

    It 'documents every parameter of every cmdlet, the shared input parameters from one page' {
        foreach ($command in Get-Command -Module KubeSecurity) {
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
            foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
                $text = (Get-Help $command.Name -Parameter $name).description.Text -join ' '
                $text | Should -Not -BeNullOrEmpty -Because "$($command.Name) -$name needs help"
            }
        }
        (Get-Help Test-KubeRbac -Parameter Kubeconfig).description.Text | Should -Match 'merged as kubectl merges them'
    }

    It 'lets Get-Help -Online find the page (it fails only to start a browser here)' {
        $env:BROWSER = 'false'
        try {
            Get-Help Get-KubeSnapshot -Online -ErrorVariable online -ErrorAction SilentlyContinue
        }
        catch { $online = @($_) }
        finally { Remove-Item Env:BROWSER }
        ($online | ForEach-Object { $_.ToString() }) -join ' ' | Should -Not -Match 'online version of this Help topic|no HelpUri|cannot find an online'
    }
}

Describe 'Manifest' {
    It 'names a licence that exists in the repository' {
        $module.PrivateData.PSData.LicenseUri | Should -Match '/LICENSE$'
        Test-Path (Join-Path $root 'LICENSE') | Should -BeTrue
        Get-Content -Raw (Join-Path $root 'LICENSE') | Should -Match 'MIT License'
    }
}

Describe 'Get-KubeObject' {
    It 'says when a kind is neither in the snapshot nor one it knows, and takes kubectl''s names' {
        $snapshot = Get-KubeSnapshot -Path (Get-DemoCluster)
        $none = $snapshot | Get-KubeObject -Kind Foo -ErrorVariable problem -ErrorAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'KindNotRecognized,KubeSecurity.Commands.GetKubeObjectCommand'
        $problem[0].Exception.Message | Should -Match 'Foo'
        ($snapshot | Get-KubeObject -Kind pods).Count | Should -Be ($snapshot | Get-KubeObject -Kind Pod).Count
        $snapshot | Get-KubeObject -Kind Job -ErrorVariable quiet -ErrorAction SilentlyContinue | Out-Null
        $quiet | Should -BeNullOrEmpty -Because 'a known kind with no objects is an empty answer, not an error'
    }
}

Describe 'Package' {
    BeforeAll {
        $build = Invoke-ChildPwsh -ArgumentList '-File', (Join-Path $root 'build.ps1'), '-Task', 'Package'
        $package = Join-Path $root 'out/packages/KubeSecurity.0.1.0.nupkg'
    }

    It 'builds a Release package without symbols' {
        $build.ExitCode | Should -Be 0 -Because $build.Output
        Test-Path $package | Should -BeTrue
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try {
            $names = $zip.Entries.FullName
            $names | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty
            $names | Should -Contain 'KubeSecurity.dll'
            $names | Should -Contain 'en-US/KubeSecurity.dll-Help.xml'
            $names | Should -Contain 'LICENSE'
        }
        finally { $zip.Dispose() }
        $release = Join-Path $root 'out/release/KubeSecurity/0.1.0/KubeSecurity.dll'
        $debuggable = [Reflection.Assembly]::LoadFile($release).GetCustomAttributes([Diagnostics.DebuggableAttribute], $false)
        $debuggable | Where-Object IsJITOptimizerDisabled | Should -BeNullOrEmpty -Because 'a Release build is optimised'
        # The engine and the output types are precompiled (ReadyToRun) so a fresh session's first command does not wait for the JIT.
        foreach ($precompiled in 'Dependencies/KubeSecurity.Core.dll', 'KubeSecurity.Model.dll') {
            $stream = [IO.File]::OpenRead((Join-Path $root "out/release/KubeSecurity/0.1.0/$precompiled"))
            try { $headers = [Reflection.PortableExecutable.PEReader]::new($stream).PEHeaders }
            finally { $stream.Dispose() }
            $headers.CorHeader.ManagedNativeHeaderDirectory.Size | Should -BeGreaterThan 0 -Because "a Release stage carries ReadyToRun code in $precompiled"
        }
    }

    It 'installs with Install-PSResource from a local repository and imports by name, as the README says' {
        $userHome = New-Item -ItemType Directory -Path (Join-Path $TestDrive "home") -Force
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name KubeSecurityLocal -Uri '$(Split-Path $package)' -Trusted
Install-PSResource -Name KubeSecurity -Repository KubeSecurityLocal -Scope CurrentUser -Quiet
Import-Module KubeSecurity
(Get-Module KubeSecurity).ModuleBase
(Get-KubeSnapshot -Path '$(Get-DemoCluster)').ObjectCount
"@
        $saved = $env:HOME
        $env:HOME = $userHome.FullName
        try { $run = Invoke-ChildPwsh -ArgumentList '-Command', $script }
        finally { $env:HOME = $saved }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match ([regex]::Escape($userHome.FullName))
        $run.Output | Should -Match '(?m)^\d+\s*$'
    }
}
