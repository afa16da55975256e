#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# User-facing behaviour of the staged module in a real pwsh. Run by ./build.ps1 -Task Test.

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $manifest = Get-ChildItem (Join-Path $root 'out/KubeSecurity') -Directory |
        Sort-Object { [version]$_.Name } -Descending | Select-Object -First 1 |
        ForEach-Object { Join-Path $_.FullName 'KubeSecurity.psd1' }
    $demo = Join-Path $root 'samples/demo-cluster'
    Import-Module $manifest -Force
}

AfterAll {
    Remove-Module KubeSecurity -ErrorAction SilentlyContinue
}

Describe 'KubeSecurity module' {
    It 'has a valid manifest that exports cmdlets explicitly' {
        $info = Test-ModuleManifest -Path $manifest
        $info.ExportedCmdlets.Keys | Should -Contain 'Get-KubeSnapshot'
        $info.CompatiblePSEditions | Should -Be 'Core'
    }

    It 'gives every cmdlet help with at least two examples' {
        foreach ($command in Get-Command -Module KubeSecurity) {
            $help = Get-Help $command.Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }
    }
}

Describe 'The quick start on the demo cluster' {
    BeforeAll {
        $snapshot = Get-KubeSnapshot -Path $demo
    }

    It 'loads every namespace and keeps the custom resource as an unknown kind' {
        $snapshot.Counts['Namespace'] | Should -Be 8
        $snapshot.UnknownKinds | Should -Be @('Certificate')
    }

    It 'renders the snapshot summary view' {
        $text = $snapshot | Out-String
        $text | Should -Match 'Counts\s*:\s*.*Namespace=8'
        $text | Should -Match 'MissingKinds\s*:\s*none'
    }

    It 'lists objects in a kubectl-like table' {
        $text = Get-KubeObject -Snapshot $snapshot -Kind Secret -Namespace shop | Format-Table | Out-String
        $text | Should -Match 'shop-tls-legacy'
        $text | Should -Not -Match 'tls.key'
    }

    It 'round-trips through a saved snapshot with secrets redacted' {
        $path = Join-Path $TestDrive 'demo.ksnap'
        $snapshot | Export-KubeSnapshot -Path $path
        $imported = Import-KubeSnapshot -Path $path
        $imported.ObjectCount | Should -Be $snapshot.ObjectCount
        $imported.SecretValuesRedacted | Should -BeTrue
        (Get-Content -Raw -AsByteStream $path).Length | Should -BeGreaterThan 0
    }

    It 'takes its input the same three ways in every analysis cmdlet: a snapshot, a path string or files from the pipeline' {
        $fromSnapshot = @($snapshot | Test-KubePodSecurity).Count
        $fromSnapshot | Should -BeGreaterThan 0
        @($demo | Test-KubePodSecurity).Count | Should -Be $fromSnapshot
        @(Get-ChildItem $demo -Filter *.yaml | Test-KubePodSecurity).Count | Should -Be $fromSnapshot
        (@(Get-ChildItem $demo -Filter *.yaml | Get-KubeSnapshot)).ObjectCount | Should -Be $snapshot.ObjectCount
        ($demo | Get-KubeSnapshot).ObjectCount | Should -Be $snapshot.ObjectCount
    }

    It 'reports a malformed document without losing the rest' {
        $file = Join-Path $TestDrive 'broken.yaml'
        Set-Content -Path $file -Value "apiVersion: v1`nkind: Namespace`nmetadata: {name: ok}`n---`nkind: [broken`n"
        $result = Get-KubeSnapshot -Path $file -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.ObjectCount | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ManifestParseError,*'
    }
}

Describe 'RBAC review of the demo cluster' {
    BeforeAll {
        $snapshot = Get-KubeSnapshot -Path $demo
    }

    It 'finds every planted RBAC problem' {
        $findings = $snapshot | Test-KubeRbac
        foreach ($expected in 'ci-deployer-cluster-admin', 'payments-operators', 'all-users-read-secrets', 'old-auditor', 'default-sa-edit', 'aws-auth') {
            $findings.Name | Should -Contain $expected
        }
    }

    It 'answers who can list secrets in payments, naming every authenticated user' {
        $who = $snapshot | Get-KubeRbacSubject -Verb list -Resource secrets -Namespace payments
        ($who | ForEach-Object { $_.Subject.ToString() }) | Should -Contain 'Group:system:authenticated'
    }

    It 'says why the default service account may exec into pods of default' {
        $result = $snapshot | Test-KubeRbacAccess -Subject ServiceAccount:default/default -Verb create -Resource pods/exec -Namespace default
        $result.Allowed | Should -BeTrue
        $result.Reason | Should -Match 'default-sa-edit'
    }
}

Describe 'Network policy review of the demo cluster' {
    BeforeAll {
        $snapshot = Get-KubeSnapshot -Path $demo
    }

    It 'finds the namespace without policies and the allow-all policy' {
        $findings = $snapshot | Test-KubeNetworkPolicy
        ($findings | Where-Object RuleId -eq 'KSEC-NET-001').Name | Should -Contain 'legacy'
        ($findings | Where-Object RuleId -eq 'KSEC-NET-005').Name | Should -Contain 'allow-all-ingress'
    }

    It 'denies the shop frontend access to the payments API and explains why' {
        $result = $snapshot | Test-KubeNetworkConnectivity -From shop/frontend -To payments/payments-api -Port 8443
        $result.Allowed | Should -BeFalse
        $result.Reason | Should -Match 'denied by'
    }
}

Describe 'Network answers say when they are not the whole story' {
    BeforeAll {
        $extra = Join-Path ([IO.Path]::GetTempPath()) "ks-net-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $extra | Out-Null
        @'
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: api-l7, namespace: payments}
spec:
  endpointSelector: {matchLabels: {app: payments-api}}
  ingress:
  - fromEndpoints: [{matchLabels: {"k8s:io.kubernetes.pod.namespace": shop}}]
    toPorts: [{ports: [{port: "8443", protocol: TCP}], rules: {http: [{method: GET, path: /status}]}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: legacy-quarantine}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: legacy}}}
  ingress:
  - {name: nobody, action: Deny, from: [{namespaces: {}}]}
'@ | Set-Content -Path (Join-Path $extra 'policies.yaml')
        $snapshot = Get-KubeSnapshot -Path $demo, $extra
    }

    AfterAll {
        Remove-Item -Recurse -Force $extra -ErrorAction SilentlyContinue
    }

    It 'evaluates the Cilium policy at L4, marks the answer Partial for its L7 rule, names it and warns once' {
        $result = $snapshot | Test-KubeNetworkConnectivity -From shop/frontend -To payments/payments-api -Port 8443 -WarningVariable warnings -WarningAction SilentlyContinue
        # The Cilium policy allows the shop namespace on 8443 (allows add up with NetworkPolicy's); its HTTP rule is not evaluated.
        $result.Allowed | Should -BeTrue
        $result.Completeness | Should -Be 'Partial'
        $result.CompletenessNotes -join ' ' | Should -Match 'CiliumNetworkPolicy/payments/api-l7.*L7'
        @($warnings | Where-Object { $_ -match 'not evaluated' }).Count | Should -Be 1
    }

    It 'applies the AdminNetworkPolicy and keeps answers it fully decides Exact' {
        $map = @($snapshot | Get-KubeConnectivityMap -WarningAction SilentlyContinue)
        # Ingress peers of an AdminNetworkPolicy are namespaces and pods: every pod is denied, outside addresses are not.
        @($map | Where-Object { $_.DestinationNamespace -eq 'legacy' -and $_.SourceKind -notin 'Any', 'External' }) | Should -BeNullOrEmpty
        @($map | Where-Object { $_.DestinationNamespace -eq 'legacy' -and $_.SourceKind -eq 'External' }).Count | Should -BeGreaterThan 0
        $row = $snapshot | Get-KubeNetworkPolicyCoverage -WarningAction SilentlyContinue | Where-Object { $_.Kind -eq 'Namespace' -and $_.Name -eq 'legacy' }
        $row.AdminPolicies | Should -Contain 'AdminNetworkPolicy/legacy-quarantine (priority 5)'
        $row.Completeness | Should -Be 'Exact'
    }

    It 'writes one baseline for every namespace of the pipeline and refuses to isolate several namespaces in it' {
        $baseline = @('shop', 'payments' | ForEach-Object { [pscustomobject]@{ Namespace = $_ } } | New-KubeNetworkPolicy -DefaultDeny -As BaselineAdminNetworkPolicy)
        $baseline.Count | Should -Be 1
        $baseline[0].Kind | Should -Be 'BaselineAdminNetworkPolicy'
        $baseline[0].Name | Should -Be 'default'
        { New-KubeNetworkPolicy -NamespaceIsolation -Namespace team-a, team-b -As BaselineAdminNetworkPolicy -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyNotExpressible*'
        (New-KubeNetworkPolicy -NamespaceIsolation -Namespace team-a -As Cilium).Kind | Should -Be 'CiliumNetworkPolicy'
    }

    It 'lists host-network workloads in the map as out of scope, as the question answers them' {
        $map = @($snapshot | Get-KubeConnectivityMap -WarningAction SilentlyContinue)
        $exporter = @($map | Where-Object { $_.Source -eq 'node-exporter' })
        $exporter.Count | Should -Be 1
        $exporter[0].Completeness | Should -Be 'OutOfScope'
        $exporter[0].Destination | Should -Be '*'
        ($snapshot | Test-KubeNetworkConnectivity -From monitoring/node-exporter -To shop/frontend -WarningAction SilentlyContinue).Completeness | Should -Be 'OutOfScope'
    }
}

Describe 'Control-plane hardening from static pod manifests' {
    BeforeAll {
        $manifests = Join-Path ([IO.Path]::GetTempPath()) "ks-cp-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $manifests | Out-Null
        @'
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp-1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.2
    command: [kube-apiserver, --authorization-mode=AlwaysAllow, --anonymous-auth=false, --profiling=false]
'@ | Set-Content -Path (Join-Path $manifests 'kube-apiserver.yaml')
    }

    AfterAll {
        Remove-Item -Recurse -Force $manifests -ErrorAction SilentlyContinue
    }

    It 'reports the failed controls with their CIS ids, and the rest of the control plane as not checkable' {
        $findings = @(Test-KubeControlPlane -Path $manifests)
        ($findings | Where-Object RuleId -eq 'KSEC-CP-007').Severity | Should -Be 'Critical'
        ($findings | Where-Object RuleId -eq 'KSEC-CP-007').References -join ' ' | Should -Match 'CIS Kubernetes Benchmark v1.9.0 1.2.6'
        $findings.RuleId | Should -Not -Contain 'KSEC-CP-016'
        $checks = @(Test-KubeControlPlane -Path $manifests -IncludePassed)
        ($checks | Where-Object Control -eq '1.2.15').Status | Should -Be 'Pass'
        @($checks | Where-Object Component -eq 'etcd' | Where-Object Status -ne 'NotCheckable') | Should -BeNullOrEmpty
    }

    It 'says a control plane it cannot see is not checkable rather than passing it' {
        $finding = @(Test-KubeControlPlane -Path (Join-Path $demo 'payments.yaml'))
        $finding.RuleId | Should -Be @('KSEC-CP-001')
        $finding[0].Message | Should -Match 'not checkable'
    }

    It 'shows the audit through the compliance frameworks, from the pipeline or by auditing itself' {
        $controls = Invoke-KubeSecurityAudit -Path $demo -AsOf 2026-12-20 | Get-KubeComplianceReport -Framework CIS
        $scores = @($controls | Where-Object { $_ -is [KubeSecurity.Model.ComplianceScore] })
        $scores.Count | Should -Be 1
        $cis = $controls | Where-Object { $_ -is [KubeSecurity.Model.ComplianceControlResult] }
        $cis.Count | Should -Be 130
        ($cis | Where-Object ControlId -eq '2.2').Status | Should -Be 'Failed'
        ($cis | Where-Object ControlId -eq '2.2').Resources | Should -Be @('Pod/kube-system/etcd-cp-1')
        ($cis | Where-Object ControlId -eq '1.2.8').Status | Should -Be 'Passed'
        ($cis | Where-Object ControlId -eq '1.1.1').Status | Should -Be 'NotCheckable'
        ($cis | Where-Object ControlId -eq '5.2.6').Status | Should -Be 'NotEvaluated'
        $scores[0].Failed | Should -Be @($cis | Where-Object Status -eq 'Failed').Count

        $restricted = Get-KubeComplianceReport -Path $demo -AsOf 2026-12-20 -Framework PSS -RestrictedPodSecurity -Summary
        $restricted.NotEvaluated | Should -Be 0
        $restricted.Controls | Should -Be 17
    }

    It 'fails exactly the planted controls of the demo control plane' {
        (Test-KubeControlPlane -Path $demo).RuleId | Sort-Object | Should -Be @('KSEC-CP-002', 'KSEC-CP-017', 'KSEC-CP-035', 'KSEC-CP-039', 'KSEC-CP-045')
        $checks = Test-KubeControlPlane -Path $demo -IncludePassed
        ($checks | Where-Object Status -eq 'NotCheckable') | Should -BeNullOrEmpty
        ($checks | Where-Object Status -eq 'Pass').Count | Should -Be ($checks.Count - 5)
    }
}

Describe 'Kubelet hardening from configuration files' {
    BeforeAll {
        $configs = Join-Path ([IO.Path]::GetTempPath()) "ks-kubelet-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $configs | Out-Null
        "apiVersion: kubelet.config.k8s.io/v1beta1`nkind: KubeletConfiguration`nauthentication: {anonymous: {enabled: true}}`nreadOnlyPort: 10255`n" | Set-Content -Path (Join-Path $configs 'config.yaml')
        'not: [valid' | Set-Content -Path (Join-Path $configs 'broken.yaml')
    }

    AfterAll {
        Remove-Item -Recurse -Force $configs -ErrorAction SilentlyContinue
    }

    It 'reports the open kubelet, names the file it could not read, and goes on' {
        $findings = @(Test-KubeKubelet -ConfigurationPath (Join-Path $configs 'config.yaml'), (Join-Path $configs 'broken.yaml') -ErrorVariable problems -ErrorAction SilentlyContinue)
        $findings.RuleId | Should -Contain 'KSEC-KUBELET-002'
        $findings.RuleId | Should -Contain 'KSEC-KUBELET-005'
        $findings.RuleId | Should -Not -Contain 'KSEC-KUBELET-003'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'KubeletConfigurationInvalid*'
        "$($problems[0])" | Should -Match 'broken.yaml'

        $missing = @(Test-KubeKubelet -ConfigurationPath (Join-Path $configs 'gone.yaml'), (Join-Path $configs 'config.yaml') -ErrorVariable gone -ErrorAction SilentlyContinue)
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
        $missing.RuleId | Should -Contain 'KSEC-KUBELET-002'
    }
}

Describe 'Secret audits of the demo cluster' {
    BeforeAll {
        $snapshot = Get-KubeSnapshot -Path $demo
    }

    It 'finds the AWS key pair in a ConfigMap without printing it' {
        $leaks = $snapshot | Find-KubeCredentialLeak
        ($leaks | Where-Object Name -eq 'app-config').Count | Should -BeGreaterOrEqual 2
        ($leaks | ForEach-Object Message) -join ' ' | Should -Not -Match 'AKIA2E5QJ7WBHXK4R6TN'
    }

    It 'keeps only confident detections with -MinimumConfidence High, and says each one''s confidence' {
        $all = @($snapshot | Find-KubeCredentialLeak)
        $high = @($snapshot | Find-KubeCredentialLeak -MinimumConfidence High)
        $high.Count | Should -BeGreaterThan 0
        $high.Count | Should -BeLessThan $all.Count
        $high | ForEach-Object { $_.Evidence.Confidence | Should -Be 'High' }
        $high.Evidence.Detector | Should -Contain 'AwsAccessKeyId'
    }

    It 'lists the legacy token in the inventory' {
        ($snapshot | Get-KubeSecretInventory | Where-Object IsLegacyToken).Name | Should -Contain 'deployer-token'
    }
}
