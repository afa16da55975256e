using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>Options of RBAC review.</summary>
public sealed record RbacReviewOptions
{
    /// <summary>Also review the API server's own default roles and bindings (label kubernetes.io/bootstrapping=rbac-defaults).</summary>
    public bool IncludeSystemDefaults { get; init; }
}

/// <summary>
/// Finds risky grants: each finding names the binding (its resource), the subject, the role and
/// the rules behind it, and the running pods that carry a risky service account. Grants held
/// cluster-wide keep the rule's severity; the same grant in one namespace is one level lower.
/// </summary>
public static class RbacRiskAnalyzer
{
    public static List<Finding> Analyze(RbacPolicy policy, RbacReviewOptions? options = null)
    {
        options ??= new RbacReviewOptions();
        var findings = new List<Finding>();
        var risksByRole = new Dictionary<RbacRole, List<(string RuleId, string What, bool ClusterScopedOnly, string? OnlyIn, List<string> Rules, string RulesText)>>();
        // Role, scope and subject texts repeat across bindings.
        var texts = new FindingTexts();
        foreach (RbacBinding binding in policy.Bindings)
        {
            // Assumed bindings are not the user's objects: the defaults every cluster has are not findings.
            if ((binding.IsSystemDefault && !options.IncludeSystemDefaults) || binding.IsAssumedDefault)
            {
                continue;
            }

            if (binding.Role is null)
            {
                findings.Add(RuleCatalog.CreateFinding(RbacRules.MissingRole, binding.Ref,
                    $"{binding.Ref} references {binding.RoleRef}, which does not exist; creating a role with that name would grant it to {Subjects(binding)}.",
                    Evidence(binding, null, null)));
                continue;
            }

            if (!risksByRole.TryGetValue(binding.Role, out var risks))
            {
                risksByRole[binding.Role] = risks = RisksOf(binding.Role);
            }

            // The texts every finding of this binding repeats are built once: a binding to a risky role
            // yields one finding per risk and subject, tens of thousands in a large cluster.
            string bindingText = binding.Ref.ToString();
            string roleText = texts.Share(binding.RoleRef.ToString());
            string scope = binding.IsClusterWide ? "in every namespace" : texts.Share($"in namespace {binding.Namespace}");
            string? assumedText = binding.Assumption is null ? null : $" {roleText} is not in the input: its rules are those of {DefaultRbacPolicy.Source}.";
            foreach (RbacSubject subject in binding.Subjects)
            {
                IReadOnlyList<string> pods = policy.PodsUsing(subject);
                SubjectFindings(policy, binding, subject, pods, findings);
                string subjectText = texts.Share(subject.ToString());
                string? podsEvidence = pods.Count == 0 ? null : string.Join(", ", pods);
                foreach (var risk in risks)
                {
                    if ((risk.ClusterScopedOnly || risk.OnlyIn is not null && risk.OnlyIn != binding.Namespace) && !binding.IsClusterWide)
                    {
                        continue;
                    }

                    Severity severity = RuleCatalog.Get(risk.RuleId).Severity;
                    // A permission that matters in one namespace (kube-system) is no smaller for being granted only there.
                    if (!binding.IsClusterWide && risk.OnlyIn is null)
                    {
                        severity = Lower(severity);
                    }

                    var message = new GrantMessage(risk.RuleId == RbacRules.ClusterAdminBound, binding.IsClusterWide, subjectText, bindingText, roleText, binding.Namespace,
                        risk.What, scope, risk.RulesText, pods, assumedText);

                    var evidence = new EvidenceDictionary(5 + (podsEvidence is null ? 0 : 1) + (binding.Assumption is null ? 0 : 1))
                    {
                        ["Binding"] = bindingText,
                        ["Role"] = roleText,
                        ["Scope"] = binding.Namespace ?? "*",
                        ["Subject"] = subjectText,
                        ["Rules"] = risk.RulesText,
                    };
                    if (podsEvidence is not null)
                    {
                        evidence["Pods"] = podsEvidence;
                    }

                    if (binding.Assumption is string assumption)
                    {
                        evidence["AssumedRole"] = assumption;
                    }

                    findings.Add(RuleCatalog.CreateFinding(risk.RuleId, binding.Ref, message, evidence, severity));
                }
            }
        }

        UnboundRoleRisks(policy, options, risksByRole, findings);
        UnusedRoles(policy, options, findings);
        foreach (AwsAuthMapping mapping in policy.AwsAuth.Where(m => m.Groups.Contains(RbacIdentity.Masters)))
        {
            findings.Add(RuleCatalog.CreateFinding(RbacRules.AwsAuthMasters, new ResourceRef("ConfigMap", "kube-system", "aws-auth"),
                $"aws-auth {mapping.Source} maps {mapping.CloudIdentity} (user '{mapping.UserName}') to system:masters: whoever can assume it is cluster-admin beyond RBAC.",
                new EvidenceDictionary { ["CloudIdentity"] = mapping.CloudIdentity, ["UserName"] = mapping.UserName, ["Groups"] = string.Join(",", mapping.Groups) }));
        }

        return findings;
    }

    /// <summary>
    /// The parts of a risky grant's message, all shared with the binding's other findings; the text is
    /// composed when first read (a large cluster has tens of thousands of these findings). The running
    /// pods are the policy's own list, which does not change once the policy is built.
    /// </summary>
    private sealed class GrantMessage(bool FullControl, bool ClusterWide, string Subject, string Binding, string Role, string? Namespace,
        string What, string Scope, string RulesText, IReadOnlyList<string> RunningPods, string? Assumed) : ComposedMessage
    {
        public override string Compose() => string.Concat(
            FullControl
                ? ClusterWide
                    ? $"{Subject} is cluster-admin: {Binding} grants {Role} with every verb on every resource."
                    : $"{Subject} has full control of namespace {Namespace} (secrets and RBAC included) through {Binding} -> {Role}."
                : $"{Subject} can {What} {Scope} through {Binding} -> {Role} (rule: {RulesText}).",
            RunningPods.Count == 0 ? null : $" {RunningPods.Count} running pod(s) use this service account, so compromising one yields it: {Pods(RunningPods)}.",
            Assumed); // an answer resting on a role the input does not hold says so itself
    }

    private static void SubjectFindings(RbacPolicy policy, RbacBinding binding, RbacSubject subject, IReadOnlyList<string> pods, List<Finding> findings)
    {
        string grants = $"{binding.RoleRef} {(binding.IsClusterWide ? "cluster-wide" : $"in namespace {binding.Namespace}")}";
        if (subject.Kind == RbacSubject.ServiceAccountKind)
        {
            if (subject.Name == "default")
            {
                findings.Add(RuleCatalog.CreateFinding(RbacRules.DefaultServiceAccountBound, binding.Ref,
                    $"{binding.Ref} grants {grants} to the default service account of {subject.Namespace}, which every pod there without its own service account runs as{(pods.Count > 0 ? $" ({pods.Count} running: {Pods(pods)})" : string.Empty)}.",
                    Evidence(binding, subject, null, pods)));
            }

            if (policy.ServiceAccountExists(subject.Namespace!, subject.Name) == false)
            {
                findings.Add(RuleCatalog.CreateFinding(RbacRules.MissingServiceAccount, binding.Ref,
                    $"{binding.Ref} grants {grants} to {subject}, which does not exist; whoever creates it inherits the grant.",
                    Evidence(binding, subject, null)));
            }
        }
        else if (subject.Kind == RbacSubject.GroupKind || subject.Name == RbacIdentity.Anonymous)
        {
            if (subject.Name is RbacIdentity.Anonymous or RbacIdentity.Unauthenticated)
            {
                findings.Add(RuleCatalog.CreateFinding(RbacRules.AnonymousBinding, binding.Ref,
                    $"{binding.Ref} grants {grants} to {subject}: anyone who can reach the API server has it.", Evidence(binding, subject, null)));
            }
            else if (subject.Name is RbacIdentity.Authenticated or "system:serviceaccounts")
            {
                findings.Add(RuleCatalog.CreateFinding(RbacRules.AllAuthenticatedBinding, binding.Ref,
                    $"{binding.Ref} grants {grants} to {subject}: every {(subject.Name == RbacIdentity.Authenticated ? "authenticated user, node and service account" : "service account in the cluster")} has it.",
                    Evidence(binding, subject, null), binding.IsClusterWide ? null : Severity.Medium));
            }
        }
    }

    private static List<(string RuleId, string What, bool ClusterScopedOnly, string? OnlyIn, List<string> Rules, string RulesText)> RisksOf(RbacRole role)
    {
        var risks = new List<(string, string, bool, string?, List<string>, string)>();
        // Each rule's text is built once however many risks it carries, and a risk the role does not
        // carry costs no list: thousands of roles times every risky permission.
        var texts = new string?[role.Rules.Count];
        if (Matching(role, texts, static (rule, _) => RiskyPermission.IsFullControl(rule), null) is { } full)
        {
            // Full control implies every capability below; each is still reported, so a question such
            // as "who can read secrets" (KSEC-RBAC-003) includes the cluster-admins.
            risks.Add((RbacRules.ClusterAdminBound, "do anything", false, null, full, string.Join("; ", full)));
        }

        if (Matching(role, texts, static (rule, _) => RiskyPermission.HasWildcard(rule), null) is { } wildcards)
        {
            risks.Add((RbacRules.WildcardRule, "use wildcard rules", false, null, wildcards, string.Join("; ", wildcards)));
        }

        foreach (RiskyPermission risk in RiskyPermission.All)
        {
            if (Matching(role, texts, static (rule, permission) => permission!.IsAllowedBy(rule), risk) is { } rules)
            {
                risks.Add((risk.RuleId, risk.What, risk.ClusterScopedOnly, risk.OnlyIn, rules, string.Join("; ", rules)));
            }
        }

        return risks;
    }

    /// <summary>The texts of the role's rules that satisfy a test, or null when none does.</summary>
    private static List<string>? Matching(RbacRole role, string?[] texts, Func<RbacRule, RiskyPermission?, bool> test, RiskyPermission? permission)
    {
        List<string>? matching = null;
        for (int i = 0; i < role.Rules.Count; i++)
        {
            if (test(role.Rules[i], permission))
            {
                (matching ??= new List<string>()).Add(texts[i] ??= role.Rules[i].ToString());
            }
        }

        return matching;
    }

    /// <summary>
    /// A role nobody is bound to yet is a risk waiting for a binding: its dangerous rules are reported
    /// on the role, a step lower than a binding would make them, saying what it would grant.
    /// </summary>
    private static void UnboundRoleRisks(RbacPolicy policy, RbacReviewOptions options, Dictionary<RbacRole, List<(string RuleId, string What, bool ClusterScopedOnly, string? OnlyIn, List<string> Rules, string RulesText)>> risksByRole, List<Finding> findings)
    {
        foreach (RbacRole role in policy.Roles)
        {
            if ((role.IsSystemDefault && !options.IncludeSystemDefaults) || role.IsAssumedDefault || role.AggregatedInto.Count > 0 || policy.BindingsOf(role).Count > 0)
            {
                continue;
            }

            if (!risksByRole.TryGetValue(role, out var risks))
            {
                risksByRole[role] = risks = RisksOf(role);
            }

            foreach (var risk in risks.Where(r => !(role.Kind == "Role" && (r.ClusterScopedOnly || r.OnlyIn is not null && r.OnlyIn != role.Namespace))))
            {
                Severity severity = Lower(RuleCatalog.Get(risk.RuleId).Severity);
                if (role.Kind == "Role")
                {
                    severity = Lower(severity);
                }

                string scope = role.Kind == "Role" ? $"in namespace {role.Namespace}" : "wherever it is bound (every namespace with a ClusterRoleBinding)";
                findings.Add(RuleCatalog.CreateFinding(risk.RuleId, role.Ref,
                    $"{role.Ref} is bound to nobody yet, but would let whoever it is bound to {risk.What} {scope} (rule: {risk.RulesText}).",
                    new EvidenceDictionary { ["Role"] = role.Ref.ToString(), ["Rules"] = risk.RulesText, ["Bound"] = "false" },
                    severity));
            }
        }
    }

    private static void UnusedRoles(RbacPolicy policy, RbacReviewOptions options, List<Finding> findings)
    {
        foreach (RbacRole role in policy.Roles)
        {
            if ((role.IsSystemDefault && !options.IncludeSystemDefaults) || role.IsAssumedDefault || role.AggregatedInto.Count > 0 || policy.BindingsOf(role).Count > 0)
            {
                continue;
            }

            findings.Add(RuleCatalog.CreateFinding(RbacRules.UnusedRole, role.Ref,
                $"No binding references {role.Ref} and no aggregated role includes it ({role.Rules.Count} rule(s)).",
                new EvidenceDictionary { ["Role"] = role.Ref.ToString(), ["Rules"] = string.Join("; ", role.Rules.Select(r => r.ToString())) }));
        }
    }

    /// <summary>One step down: a grant held in one namespace, or a role nobody is bound to yet.</summary>
    internal static Severity Lower(Severity severity) => severity switch
    {
        Severity.Critical => Severity.High,
        Severity.High => Severity.Medium,
        Severity.Medium => Severity.Low,
        _ => severity,
    };

    private static string Subjects(RbacBinding binding) =>
        binding.Subjects.Count == 0 ? "no subjects" : string.Join(", ", binding.Subjects);

    private static string Pods(IReadOnlyList<string> pods) =>
        string.Join(", ", pods.Take(5)) + (pods.Count > 5 ? $" and {pods.Count - 5} more" : string.Empty);

    private static EvidenceDictionary Evidence(RbacBinding binding, RbacSubject? subject, IReadOnlyList<string>? rules, IReadOnlyList<string>? pods = null)
    {
        var evidence = new EvidenceDictionary
        {
            ["Binding"] = binding.Ref.ToString(),
            ["Role"] = binding.RoleRef.ToString(),
            ["Scope"] = binding.Namespace ?? "*",
            ["Subject"] = subject?.ToString() ?? Subjects(binding),
        };
        if (rules is not null)
        {
            evidence["Rules"] = string.Join("; ", rules);
        }

        if (pods is { Count: > 0 })
        {
            evidence["Pods"] = string.Join(", ", pods);
        }

        return evidence;
    }
}
