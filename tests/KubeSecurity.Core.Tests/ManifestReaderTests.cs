using System.Text;
using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

public class ManifestReaderTests
{
    private static ManifestReadResult Read(string text, InputLimits? limits = null)
    {
        var result = new ManifestReadResult();
        new ManifestReader(limits).ReadBytes(Encoding.UTF8.GetBytes(text), "test.yaml", result);
        return result;
    }

    [Fact]
    public void Plain_scalars_resolve_by_the_core_schema_and_quoted_ones_stay_strings()
    {
        ManifestReadResult result = Read("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: types
            data:
              quotedTrue: "true"
              quotedNumber: '0755'
              version: 1.10
              hex: 0x1F
              octal: 0o17
              nothing: ~
              flag: true
              count: 42
              big: 123456789012345678901234567890
              text: hello world
              multi: |
                line one
                line two
              after: end
            """);

        Assert.Empty(result.Problems);
        JsonElement data = Assert.Single(result.Objects).Json.GetProperty("data");
        Assert.Equal(JsonValueKind.String, data.GetProperty("quotedTrue").ValueKind);
        Assert.Equal("0755", data.GetProperty("quotedNumber").GetString());
        Assert.Equal("1.10", data.GetProperty("version").GetRawText());
        Assert.Equal(31, data.GetProperty("hex").GetInt32());
        Assert.Equal(15, data.GetProperty("octal").GetInt32());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("nothing").ValueKind);
        Assert.Equal(JsonValueKind.True, data.GetProperty("flag").ValueKind);
        Assert.Equal(42, data.GetProperty("count").GetInt32());
        Assert.Equal("123456789012345678901234567890", data.GetProperty("big").GetRawText());
        Assert.Equal("hello world", data.GetProperty("text").GetString());
        Assert.Equal("line one\nline two\n", data.GetProperty("multi").GetString());
    }

    [Fact]
    public void A_malformed_document_is_reported_with_its_index_and_line_and_the_others_still_load()
    {
        ManifestReadResult result = Read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: first
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: broken
            data: [unclosed
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: third
            """);

        Assert.Equal(new[] { "first", "third" }, result.Objects.Select(o => o.Name));
        LoadProblem problem = Assert.Single(result.Problems);
        Assert.Equal(2, problem.DocumentIndex);
        Assert.Equal(LoadProblemKind.Syntax, problem.Kind);
        Assert.Contains("test.yaml (document 2)", problem.ToString(), StringComparison.Ordinal);
        Assert.Matches("line 1[01]", problem.Message);
    }

    [Fact]
    public void In_a_large_file_a_bad_document_fails_alone_with_its_own_index_and_line()
    {
        var text = new StringBuilder();
        for (int i = 1; i <= 300; i++)
        {
            text.Append("---\n");
            text.Append(i == 137
                ? "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {unclosed: [1, 2}\n"
                : $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  labels: &l {{app: a{i}}}\ndata:\n  copy: *l\n");
        }

        ManifestReadResult result = Read(text.ToString());

        Assert.Equal(299, result.Objects.Count);
        Assert.Equal(Enumerable.Range(1, 300).Where(i => i != 137).Select(i => $"c{i}"), result.Objects.Select(o => o.Name));
        Assert.Equal("a300", result.Objects[^1].Json.GetProperty("data").GetProperty("copy").GetProperty("app").GetString());
        LoadProblem problem = Assert.Single(result.Problems);
        Assert.Equal(137, problem.DocumentIndex);
        int firstLineOfDocument = (136 * 8) + 1;
        Assert.Matches($"line ({firstLineOfDocument + 3}|{firstLineOfDocument + 4})", problem.Message);
    }

    [Fact]
    public void Documents_that_are_not_kubernetes_objects_are_reported_not_dropped_silently()
    {
        ManifestReadResult result = Read("""
            just: a map
            ---
            - a
            - list
            ---
            apiVersion: v1
            kind: Secret
            metadata: {}
            """);

        Assert.Empty(result.Objects);
        Assert.Equal(3, result.Problems.Count);
        Assert.All(result.Problems, p => Assert.Equal(LoadProblemKind.NotAnObject, p.Kind));
        Assert.Contains(result.Problems, p => p.Message.Contains("no 'kind'", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Message.Contains("no metadata.name", StringComparison.Ordinal));
    }

    [Fact]
    public void Comment_only_documents_and_a_leading_separator_are_skipped()
    {
        ManifestReadResult result = Read("""
            ---
            # Source: chart/templates/empty.yaml
            ---
            # Source: chart/templates/ns.yaml
            apiVersion: v1
            kind: Namespace
            metadata:
              name: rendered
            ...
            """);

        Assert.Empty(result.Problems);
        Assert.Equal("rendered", Assert.Single(result.Objects).Name);
    }

    [Fact]
    public void Kubectl_list_output_is_unwrapped_and_typed_lists_supply_the_item_kind()
    {
        ManifestReadResult yaml = Read("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {name: a, namespace: ns1}
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: b, namespace: ns1}
            """);
        Assert.Equal(new[] { "Pod", "Deployment" }, yaml.Objects.Select(o => o.Kind));

        var json = new ManifestReadResult();
        new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleList","metadata":{},
             "items":[{"metadata":{"name":"r1","namespace":"n"}},{"metadata":{"name":"r2","namespace":"n"}}]}
            """), "roles.json", json);
        Assert.Empty(json.Problems);
        Assert.All(json.Objects, o =>
        {
            Assert.Equal("Role", o.Kind);
            Assert.Equal("rbac.authorization.k8s.io/v1", o.ApiVersion);
        });
    }

    [Fact]
    public void Alias_expansion_is_bounded_so_a_billion_laughs_document_fails_fast()
    {
        var text = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n");
        text.Append("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level < 9; level++)
        {
            char current = (char)('a' + level), previous = (char)('a' + level - 1);
            text.Append($"{current}: &{current} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        ManifestReadResult result = Read(text.ToString(), InputLimits.Default with { MaxAliasExpandedNodes = 100_000 });
        watch.Stop();

        LoadProblem problem = Assert.Single(result.Problems);
        Assert.Equal(LoadProblemKind.LimitExceeded, problem.Kind);
        Assert.Contains("aliases", problem.Message, StringComparison.Ordinal);
        Assert.Empty(result.Objects);
    }

    [Fact]
    public void The_alias_budget_counts_only_alias_expansion_so_large_plain_documents_load()
    {
        var text = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (int i = 0; i < 2_000; i++)
        {
            text.Append($"- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}, namespace: n}}, data: {{a: '1', b: '2'}}}}\n");
        }

        ManifestReadResult result = Read(text.ToString(), InputLimits.Default with { MaxAliasExpandedNodes = 100 });
        Assert.Empty(result.Problems);
        Assert.Equal(2_000, result.Objects.Count);
    }

    [Fact]
    public void Deep_nesting_beyond_the_limit_is_refused()
    {
        string deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + new string('[', 300) + new string(']', 300) + "\n";
        LoadProblem problem = Assert.Single(Read(deep).Problems);
        Assert.Equal(LoadProblemKind.LimitExceeded, problem.Kind);
        Assert.Contains("deeper", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchors_and_aliases_within_limits_expand()
    {
        ManifestReadResult result = Read("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: anchors
              labels: &labels {app: web, tier: front}
            data:
              copy: *labels
            """);
        Assert.Empty(result.Problems);
        Assert.Equal("web", result.Objects[0].Json.GetProperty("data").GetProperty("copy").GetProperty("app").GetString());
        Assert.Equal("front", result.Objects[0].Labels["tier"]);
    }

    [Fact]
    public void Nested_anchors_aliases_inside_anchored_nodes_and_alias_keys_resolve_and_self_references_fail()
    {
        ManifestReadResult result = Read("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: nested}
            data:
              base: &base {inner: &inner [1, 2], again: *inner}
              keyName: &k shared
              copy: *base
              map: {*k : value}
            """);
        Assert.Empty(result.Problems);
        JsonElement data = Assert.Single(result.Objects).Json.GetProperty("data");
        Assert.Equal("[1,2]", data.GetProperty("copy").GetProperty("again").GetRawText());
        Assert.Equal("[1,2]", data.GetProperty("copy").GetProperty("inner").GetRawText());
        Assert.Equal("value", data.GetProperty("map").GetProperty("shared").GetString());

        ManifestReadResult recursive = Read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loop}\ndata: &self {me: *self}\n");
        Assert.Empty(recursive.Objects);
        Assert.Contains("refers to no anchor", Assert.Single(recursive.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_position_and_binary_files_are_refused()
    {
        var json = new ManifestReadResult();
        new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes("{\"apiVersion\": \"v1\", \"kind\": }"), "bad.json", json);
        LoadProblem problem = Assert.Single(json.Problems);
        Assert.Contains("malformed JSON at line 1", problem.Message, StringComparison.Ordinal);

        var binary = new ManifestReadResult();
        new ManifestReader().ReadBytes(new byte[] { 0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0xc3 }, "archive.zip", binary);
        Assert.Contains("not UTF-8", Assert.Single(binary.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_with_comments_and_trailing_commas_is_tolerated()
    {
        var result = new ManifestReadResult();
        new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes("{ // hand-edited\n \"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"n\",}, }"), "edited.json", result);
        Assert.Empty(result.Problems);
        Assert.Equal("n", Assert.Single(result.Objects).Name);
    }

    [Fact]
    public void Missing_paths_are_problems_and_directories_are_read_recursively_skipping_hidden_folders()
    {
        string root = TestPaths.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        Directory.CreateDirectory(Path.Combine(root, ".git"));
        File.WriteAllText(Path.Combine(root, "a.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
        File.WriteAllText(Path.Combine(root, "sub", "b.json"), "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}}");
        File.WriteAllText(Path.Combine(root, ".git", "c.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n");
        File.WriteAllText(Path.Combine(root, "notes.txt"), "not a manifest");

        ManifestReadResult result = new ManifestReader().ReadPaths(new[] { root, Path.Combine(root, "missing.yaml") });

        Assert.Equal(new[] { "a", "b" }, result.Objects.Select(o => o.Name));
        LoadProblem missing = Assert.Single(result.Problems);
        Assert.Equal(LoadProblemKind.NotFound, missing.Kind);
        Assert.EndsWith("missing.yaml", missing.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_cluster_loads_completely_and_keeps_its_custom_resource_as_an_unknown_kind()
    {
        ManifestReadResult result = new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster });
        Assert.Empty(result.Problems);
        KubeSnapshot snapshot = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects, null, null, false, result.Sources, out int duplicates);

        Assert.Equal(0, duplicates);
        Assert.Equal(new[] { "Certificate" }, snapshot.UnknownKinds);
        Assert.Equal(8, snapshot.Counts["Namespace"]);
        Assert.True(snapshot.Counts["Secret"] >= 8);
        Assert.Equal(1, snapshot.Counts["CertificateSigningRequest"]);
        Assert.Contains(snapshot.OfKind("ClusterRoleBinding"), b => b.Name == "ci-deployer-cluster-admin");
    }

    [SharedDataFact]
    public void Real_world_manifests_and_the_default_rbac_objects_load_without_problems()
    {
        string[] sources =
        {
            Path.Combine(TestPaths.SharedData, "manifests", "real-world"),
            Path.Combine(TestPaths.SharedData, "rbac", "kubernetes-bootstrap"),
            Path.Combine(TestPaths.SharedData, "netpol", "k8s-docs-examples"),
        };
        ManifestReadResult result = new ManifestReader().ReadPaths(sources);

        Assert.Empty(result.Problems);
        KubeSnapshot snapshot = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects, null, null, false, result.Sources, out _);
        Assert.True(snapshot.Counts["ClusterRole"] >= 50, $"only {snapshot.Counts["ClusterRole"]} cluster roles");
        Assert.True(snapshot.Counts["NetworkPolicy"] >= 20);
        Assert.Contains("CustomResourceDefinition", snapshot.UnknownKinds);
        Assert.Contains(snapshot.OfKind("ClusterRole"), r => r.Name == "cluster-admin");
    }
}

/// <summary>Hostile and broken YAML fails the document it is in, with a clear message, and never the batch.</summary>
public class HostileYamlTests
{
    private static ManifestReadResult ReadFolder(params (string Name, string Text)[] files)
    {
        string dir = Path.Combine(Path.GetTempPath(), "ksec-hostile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach ((string name, string text) in files)
        {
            File.WriteAllText(Path.Combine(dir, name), text);
        }

        return new ManifestReader().ReadPaths(new[] { dir });
    }

    private const string Good = "apiVersion: v1\nkind: Namespace\nmetadata: {name: good}\n";

    [Fact]
    public void An_unclosed_flow_sequence_is_a_problem_of_its_file_and_the_other_files_load()
    {
        ManifestReadResult result = ReadFolder(("broken.yaml", "a: [x\nb: 1\n"), ("good.yaml", Good));
        Assert.Equal("good", Assert.Single(result.Objects).Name);
        LoadProblem problem = Assert.Single(result.Problems);
        Assert.EndsWith("broken.yaml", problem.Source, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_fails_its_document_as_kubectl_s_strict_decoding_does()
    {
        const string Duplicate = "apiVersion: v1\nkind: Pod\nmetadata: {name: dup, namespace: default}\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      privileged: true\n      privileged: false\n";
        ManifestReadResult result = ReadFolder(("pods.yaml", Duplicate + "---\n" + Good));
        Assert.Equal("good", Assert.Single(result.Objects).Name);
        LoadProblem problem = Assert.Single(result.Problems);
        Assert.Equal(1, problem.DocumentIndex);
        Assert.Contains("the key 'privileged' appears twice", problem.Message, StringComparison.Ordinal);
        Assert.Contains("line 10", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_scalar_aliased_thousands_of_times_fails_against_a_character_budget()
    {
        string hostile = "a: &big \"" + new string('x', 1 << 20) + "\"\nb: [" + string.Join(",", Enumerable.Repeat("*big", 3000)) + "]\n";
        long before = GC.GetTotalAllocatedBytes();
        ManifestReadResult result = ReadFolder(("aliases.yaml", hostile), ("good.yaml", Good));
        long allocated = GC.GetTotalAllocatedBytes() - before;
        Assert.Equal("good", Assert.Single(result.Objects).Name);
        Assert.Contains("characters through aliases", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
        Assert.True(allocated < 2L << 30, $"reading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_suppression_file_the_parser_cannot_finish_is_reported_as_invalid_YAML()
    {
        Core.Audit.SuppressionFileException invalid = Assert.Throws<Core.Audit.SuppressionFileException>(() => Core.Audit.Suppressions.Parse("a: [x\nb: 1\n", "accepted.yaml"));
        Assert.Contains("accepted.yaml is not valid YAML", invalid.Message, StringComparison.Ordinal);
    }
}

/// <summary>One vocabulary for YAML and JSON: the same depth limit, the same UTF-8 rule, and messages that name a wrong type as wrong.</summary>
public class ReaderMessageTests
{
    private static ManifestReadResult Read(string text)
    {
        var result = new ManifestReadResult();
        new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes(text), "input", result);
        return result;
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: 5\nmetadata: {name: x}\n", "'kind' is a number, not a string")]
    [InlineData("apiVersion: [v1]\nkind: Pod\nmetadata: {name: x}\n", "'apiVersion' is a list, not a string")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: [x]\n", "the Pod's 'metadata' is a list, not a mapping")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: {a: b}}\n", "'metadata.name' is a mapping, not a string")]
    [InlineData("apiVersion: v1\nkind: List\nitems: 5\n", "the List's 'items' is a number, not a list")]
    [InlineData("{\"apiVersion\": \"v1\", \"kind\": 5, \"metadata\": {\"name\": \"x\"}}", "'kind' is a number, not a string")]
    public void A_field_of_the_wrong_type_is_named_as_such(string text, string expected) =>
        Assert.Contains(expected, Assert.Single(Read(text).Problems).Message, StringComparison.Ordinal);

    [Fact]
    public void JSON_and_YAML_share_the_depth_limit_and_its_message()
    {
        string deepJson = string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300);
        string deepYaml = string.Concat(Enumerable.Repeat("[", 300)) + "1" + new string(']', 300);
        Assert.Equal("the document nests deeper than 200 levels", Assert.Single(Read(deepJson).Problems).Message);
        Assert.Contains("nests deeper than 200 levels", Assert.Single(Read(deepYaml).Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF8_is_refused_in_JSON_as_in_YAML()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"X\"}}");
        json[^5] = 0xFF;
        var result = new ManifestReadResult();
        new ManifestReader().ReadBytes(json, "input.json", result);
        Assert.Contains("not UTF-8", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
        Assert.Empty(result.Objects);
    }
}
