using System.Collections;
using System.Text.Json;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Audit;

/// <summary>A finding's evidence reads as the dictionary it replaced: same order, same lookups, and it cannot change once a finding holds it.</summary>
public class EvidenceDictionaryTests
{
    private static Finding FindingWith(IReadOnlyDictionary<string, string>? evidence) =>
        RuleCatalog.CreateFinding(RbacRules.UnusedRole, new ResourceRef("ClusterRole", null, "x"), "message", evidence);

    [Fact]
    public void Facts_keep_their_order_and_a_repeated_key_replaces_its_value_in_place()
    {
        var evidence = new EvidenceDictionary(2) { ["Binding"] = "b", ["Role"] = "r", ["Scope"] = "*" };
        evidence["Role"] = "r2";
        evidence["Pods"] = "a/p";
        Finding finding = FindingWith(evidence);

        Assert.Equal(new[] { "Binding", "Role", "Scope", "Pods" }, finding.Evidence.Keys);
        Assert.Equal(new[] { "b", "r2", "*", "a/p" }, finding.Evidence.Values);
        Assert.Equal("r2", finding.Evidence["Role"]);
        Assert.True(finding.Evidence.TryGetValue("Pods", out string? pods) && pods == "a/p");
        Assert.False(finding.Evidence.ContainsKey("role")); // ordinal and case-sensitive, as before
        Assert.Throws<KeyNotFoundException>(() => finding.Evidence["Missing"]);
        Assert.Equal(4, finding.Evidence.Count);
    }

    [Fact]
    public void Evidence_cannot_change_once_a_finding_holds_it()
    {
        var evidence = new EvidenceDictionary { ["Subject"] = "User/alice" };
        Finding finding = FindingWith(evidence);

        Assert.Throws<InvalidOperationException>(() => evidence["Subject"] = "User/mallory");
        var asDictionary = (IDictionary)finding.Evidence;
        Assert.True(asDictionary.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => asDictionary["Subject"] = "User/mallory");
        Assert.Throws<NotSupportedException>(() => asDictionary.Add("Other", "x"));
        Assert.Throws<NotSupportedException>(() => asDictionary.Remove("Subject"));
        Assert.Throws<NotSupportedException>(asDictionary.Clear);
        Assert.Equal("User/alice", finding.Evidence["Subject"]);
    }

    [Fact]
    public void Other_dictionaries_are_copied_in_their_order_and_no_evidence_is_empty()
    {
        var given = new Dictionary<string, string> { ["Location"] = "data.x", ["Detector"] = "AwsAccessKeyId" };
        Finding finding = FindingWith(given);
        given["Location"] = "changed later";

        Assert.IsType<EvidenceDictionary>(finding.Evidence);
        Assert.Equal(new[] { "Location", "Detector" }, finding.Evidence.Keys);
        Assert.Equal("data.x", finding.Evidence["Location"]);
        Assert.Empty(FindingWith(null).Evidence);
    }

    [Fact]
    public void The_non_generic_view_answers_as_a_hashtable_does_for_powershell()
    {
        Finding finding = FindingWith(new EvidenceDictionary { ["Subject"] = "ServiceAccount/a/b", ["Verbs"] = "get" });
        var view = (IDictionary)finding.Evidence;

        Assert.Equal("ServiceAccount/a/b", view["Subject"]);
        Assert.Null(view["Missing"]);
        Assert.True(view.Contains("Verbs"));
        Assert.Equal(new object[] { "Subject", "Verbs" }, view.Keys.Cast<object>());
        var entries = new List<DictionaryEntry>();
        IDictionaryEnumerator e = view.GetEnumerator();
        while (e.MoveNext())
        {
            entries.Add(e.Entry);
        }

        Assert.Equal(new[] { "Subject", "Verbs" }, entries.Select(x => (string)x.Key));
        // Enumerated without the dictionary view, facts are key-value pairs, as a Dictionary's are.
        Assert.All(((IEnumerable)finding.Evidence).Cast<object>(), item => Assert.IsType<KeyValuePair<string, string>>(item));
        var copied = new DictionaryEntry[2];
        view.CopyTo(copied, 0);
        Assert.Equal("get", copied[1].Value);
    }

    [Fact]
    public void Json_reports_write_evidence_as_an_object_in_order()
    {
        Finding finding = FindingWith(new EvidenceDictionary { ["B"] = "2", ["A"] = "1" });
        Assert.Equal("""{"B":"2","A":"1"}""", JsonSerializer.Serialize(finding.Evidence));
    }

    [Fact]
    public void Every_finding_of_the_demo_audit_holds_its_evidence_compactly()
    {
        AuditResult result = AuditRunner.Run(RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster), new AuditOptions());
        Assert.All(result.Findings, f => Assert.IsType<EvidenceDictionary>(f.Evidence));
        Assert.Contains(result.Findings, f => f.Evidence.Count > 3);
    }
}
