using KubeSecurity.Core.Rbac;

namespace KubeSecurity.Core.Tests.Rbac;

/// <summary>Rule matching as the Kubernetes RBAC authorizer does it (cases from the RBAC documentation).</summary>
public class RbacRuleMatchingTests
{
    private static RbacRule Rule(string[] verbs, string[]? groups = null, string[]? resources = null, string[]? names = null, string[]? urls = null) =>
        new(verbs, groups ?? new[] { "" }, resources ?? Array.Empty<string>(), names ?? Array.Empty<string>(), urls ?? Array.Empty<string>());

    [Fact]
    public void A_subresource_must_be_named_and_the_parent_resource_does_not_cover_it()
    {
        RbacRule pods = Rule(new[] { "get", "list" }, resources: new[] { "pods" });
        RbacRule podsAndLog = Rule(new[] { "get" }, resources: new[] { "pods", "pods/log" });

        Assert.True(pods.Allows(RbacRequest.ForResource("get", "pods")));
        Assert.False(pods.Allows(RbacRequest.ForResource("get", "pods/log")));
        Assert.True(podsAndLog.Allows(RbacRequest.ForResource("get", "pods/log")));
        Assert.False(podsAndLog.Allows(RbacRequest.ForResource("get", "pods/exec")));
    }

    [Fact]
    public void Star_slash_subresource_covers_that_subresource_of_every_resource_and_star_covers_all()
    {
        RbacRule scale = Rule(new[] { "update" }, new[] { "*" }, new[] { "*/scale" });
        Assert.True(scale.Allows(RbacRequest.ForResource("update", "deployments/scale", "apps")));
        Assert.True(scale.Allows(RbacRequest.ForResource("update", "replicationcontrollers/scale")));
        Assert.False(scale.Allows(RbacRequest.ForResource("update", "deployments", "apps")));
        Assert.False(scale.Allows(RbacRequest.ForResource("update", "deployments/status", "apps")));

        RbacRule all = Rule(new[] { "*" }, new[] { "*" }, new[] { "*" });
        Assert.True(all.Allows(RbacRequest.ForResource("create", "pods/exec")));
        Assert.True(all.Allows(RbacRequest.ForResource("escalate", "clusterroles", "rbac.authorization.k8s.io")));
    }

    [Fact]
    public void ResourceNames_restrict_to_named_objects_and_never_match_a_request_without_a_name()
    {
        RbacRule rule = Rule(new[] { "update", "get" }, resources: new[] { "configmaps" }, names: new[] { "my-configmap" });

        Assert.True(rule.Allows(RbacRequest.ForResource("get", "configmaps", name: "my-configmap")));
        Assert.False(rule.Allows(RbacRequest.ForResource("get", "configmaps", name: "other")));
        Assert.False(rule.Allows(RbacRequest.ForResource("get", "configmaps"))); // list-like: no name
    }

    [Fact]
    public void Api_groups_are_exact_and_empty_is_only_the_core_group()
    {
        RbacRule core = Rule(new[] { "get" }, new[] { "" }, new[] { "deployments" });
        Assert.False(core.Allows(RbacRequest.ForResource("get", "deployments", "apps")));
        RbacRule apps = Rule(new[] { "get" }, new[] { "apps", "extensions" }, new[] { "deployments" });
        Assert.True(apps.Allows(RbacRequest.ForResource("get", "deployments", "extensions")));
        Assert.False(apps.Allows(RbacRequest.ForResource("get", "deployments")));
    }

    [Fact]
    public void Non_resource_urls_match_exactly_or_by_a_trailing_star_prefix()
    {
        RbacRule rule = Rule(new[] { "get", "post" }, groups: Array.Empty<string>(), urls: new[] { "/healthz", "/healthz/*" });

        Assert.True(rule.Allows(RbacRequest.ForUrl("get", "/healthz")));
        Assert.True(rule.Allows(RbacRequest.ForUrl("post", "/healthz/etcd")));
        Assert.False(rule.Allows(RbacRequest.ForUrl("get", "/healthzx")));
        Assert.False(rule.Allows(RbacRequest.ForUrl("delete", "/healthz")));
        Assert.False(rule.Allows(RbacRequest.ForResource("get", "healthz")));
    }
}
