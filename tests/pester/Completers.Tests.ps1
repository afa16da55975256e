# Tab completion through TabExpansion2, as a console user presses Tab.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-StagedManifest) -Force
    Push-Location (Get-RepoRoot)
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
    $snapshot = Get-KubeSnapshot -Path ./samples/demo-cluster
}

AfterAll { Pop-Location }

Describe 'Argument completers' {
    It 'completes -Namespace from an offline path' {
        Complete 'Test-KubeRbac -Path ./samples/demo-cluster -Namespace pa' | Should -Be @('payments')
    }

    It 'completes -Namespace from a bound snapshot' {
        Complete 'Get-KubeObject -Snapshot $snapshot -Namespace kube-' | Should -Contain 'kube-system'
    }

    It 'completes -Verb, -Resource with subresources, and -ApiGroup from the RBAC vocabulary' {
        Complete 'Test-KubeRbacAccess -Path ./samples/demo-cluster -Verb cre' | Should -Be @('create')
        Complete 'Test-KubeRbacAccess -Path ./samples/demo-cluster -Verb imp' | Should -Be @('impersonate')
        $resources = Complete 'Get-KubeRbacSubject -Path ./samples/demo-cluster -Resource pods/'
        $resources | Should -Contain 'pods/exec'
        $resources | Should -Contain 'pods/portforward'
        Complete 'Get-KubeRbacSubject -Path ./samples/demo-cluster -ApiGroup rbac' | Should -Be @('rbac.authorization.k8s.io')
    }

    It 'completes the ends of an attack path from the input' {
        Complete 'Get-KubeAttackPath -Path ./samples/demo-cluster -From shop/me' | Should -Be @('shop/media-proxy')
        Complete 'Get-KubeAttackPath -Path ./samples/demo-cluster -From ext' | Should -Be @('external')
        Complete 'Get-KubeAttackPath -Snapshot $snapshot -To secrets:pay' | Should -Be @('secrets:payments')
        Complete 'Get-KubeAttackPath -Snapshot $snapshot -To clu' | Should -Be @('cluster-admin')
    }

    It 'completes -Verb with the built-in verbs when there is no input yet' {
        Complete 'Get-KubeRbacSubject -Verb deletec' | Should -Be @('deletecollection')
    }

    It 'completes -Subject from the subjects of the input' {
        $subjects = Complete 'Test-KubeRbacAccess -Path ./samples/demo-cluster -Subject ServiceAccount:c'
        $subjects | Should -Contain 'ServiceAccount:ci/deployer'
        Complete 'Get-KubeRbacPermission -Snapshot $snapshot -Subject Group:system:auth' | Should -Contain 'Group:system:authenticated'
    }

    It 'completes -From and -To with the workloads of the input' {
        Complete 'Test-KubeNetworkConnectivity -Path ./samples/demo-cluster -From shop/f' | Should -Be @('shop/frontend')
        Complete 'Test-KubeNetworkConnectivity -Path ./samples/demo-cluster -From shop/frontend -To payments/payments-' | Should -Contain 'payments/payments-api'
    }

    It 'never falls back to file names for these parameters' {
        Complete 'Get-KubeRbacSubject -Path ./samples/demo-cluster -Resource RE' | Should -Not -Contain './README.md'
        Complete 'Test-KubeNetworkConnectivity -Path ./samples/demo-cluster -From RE' | Should -BeNullOrEmpty
    }

    It 'completes rule ids and kinds' {
        Complete 'Get-KubeSecurityRule -Id KSEC-RBAC-00' | Should -Contain 'KSEC-RBAC-001'
        Complete 'Get-KubeObject -Kind ClusterRoleB' | Should -Contain 'ClusterRoleBinding'
    }
}
