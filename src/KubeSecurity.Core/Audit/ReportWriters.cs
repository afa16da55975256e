using System.Globalization;
using System.Text;
using System.Xml;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>Report formats for CI systems and people: CSV, JUnit XML (one test case per rule and resource) and a Markdown summary.</summary>
public static class ReportWriters
{
    public static string Csv(IEnumerable<Finding> findings)
    {
        // Cluster and context come last so that columns read by position before fleets existed keep their place.
        var text = new StringBuilder("RuleId,Severity,Category,Kind,Namespace,Name,Title,Message,Remediation,Cluster,Context\n");
        foreach (Finding f in findings)
        {
            text.AppendJoin(',', new[] { f.RuleId, f.Severity.ToString(), f.Category, f.Kind, f.Namespace ?? string.Empty, f.Name, f.Title, f.Message, f.Remediation, f.Cluster ?? string.Empty, f.Context ?? string.Empty }.Select(Quote)).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 || value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('-') || value.StartsWith('@')
            ? $"\"{(value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('@') ? "'" : string.Empty)}{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;

    /// <summary>JUnit XML: a test suite per category, a failing test case per rule and resource.</summary>
    public static string JUnit(IReadOnlyList<Finding> findings, AuditSummary? summary)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        bool fleet = SpansContexts(findings);
        using var stream = new MemoryStream();
        using (XmlWriter xml = XmlWriter.Create(stream, settings))
        {
            var compliance = ComplianceEvaluator.EvaluateAll(findings, summary);
            int controls = compliance.Sum(c => c.Controls.Count), failedControls = compliance.Sum(c => c.Score.Failed);
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "KubeSecurity");
            xml.WriteAttributeString("tests", (findings.Count + controls).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("failures", (findings.Count(f => f.Severity >= Severity.Low) + failedControls).ToString(CultureInfo.InvariantCulture));
            if (summary is not null)
            {
                xml.WriteAttributeString("time", summary.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
            }

            foreach (IGrouping<string, Finding> category in findings.GroupBy(f => f.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", category.Key);
                xml.WriteAttributeString("tests", category.Count().ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("failures", category.Count(f => f.Severity >= Severity.Low).ToString(CultureInfo.InvariantCulture));
                foreach (Finding f in category)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", f.RuleId);
                    xml.WriteAttributeString("name", fleet ? $"{f.Context}: {f.RuleId} {f.Resource}" : $"{f.RuleId} {f.Resource}");
                    if (f.Severity >= Severity.Low)
                    {
                        xml.WriteStartElement("failure");
                        xml.WriteAttributeString("type", f.Severity.ToString());
                        xml.WriteAttributeString("message", f.Title);
                        xml.WriteString($"{f.Message}\nRemediation: {f.Remediation}");
                        xml.WriteEndElement();
                    }
                    else
                    {
                        xml.WriteElementString("system-out", f.Message);
                    }

                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            // A suite per framework, a test case per control: failed controls fail, the undecided are skipped with the reason.
            foreach ((Rules.ComplianceFramework framework, List<ComplianceControlResult> results, ComplianceScore score) in compliance)
            {
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", $"{framework.Title} {framework.Version}");
                xml.WriteAttributeString("tests", results.Count.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("failures", score.Failed.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("skipped", (score.NotApplicable + score.NotCheckable + score.NotEvaluated).ToString(CultureInfo.InvariantCulture));
                foreach (ComplianceControlResult control in results)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", framework.Name);
                    xml.WriteAttributeString("name", $"{control.ControlId} {control.Title}");
                    switch (control.Status)
                    {
                        case ComplianceStatus.Failed:
                            xml.WriteStartElement("failure");
                            xml.WriteAttributeString("type", "Failed");
                            xml.WriteAttributeString("message", control.Reason);
                            xml.WriteString(string.Join("\n", control.Resources));
                            xml.WriteEndElement();
                            break;
                        case ComplianceStatus.Passed:
                            break;
                        default:
                            xml.WriteStartElement("skipped");
                            xml.WriteAttributeString("message", $"{control.Status}: {control.Reason}");
                            xml.WriteEndElement();
                            break;
                    }

                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A Markdown summary for pull-request comments: counts and the most severe findings.</summary>
    public static string Markdown(IReadOnlyList<Finding> findings, AuditSummary? summary, int top = 25)
    {
        var text = new StringBuilder("## KubeSecurity audit\n\n");
        bool fleet = SpansContexts(findings);
        List<string?> contexts = fleet ? findings.Select(f => f.Context).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : new List<string?>();
        text.Append("| Severity | Findings |").AppendJoin(string.Empty, contexts.Select(c => $" {Escape(c ?? "files")} |")).Append("\n|---|---|");
        text.Append(string.Concat(Enumerable.Repeat("---|", contexts.Count))).Append('\n');
        foreach (Severity severity in Enum.GetValues<Severity>().OrderByDescending(s => s))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {severity} | {findings.Count(f => f.Severity == severity)} |");
            text.AppendJoin(string.Empty, contexts.Select(c => $" {findings.Count(f => f.Severity == severity && f.Context == c)} |")).Append('\n');
        }

        if (summary is { SkippedAreas.Count: > 0 })
        {
            text.Append("\n**Not fully checked:** ").AppendJoin("; ", summary.SkippedAreas.Select(Escape)).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"\n### Top {Math.Min(top, findings.Count)} findings\n\n| Severity | Rule | Resource | Finding |\n|---|---|---|---|\n");
        foreach (Finding f in findings.OrderByDescending(f => f.Severity).Take(top))
        {
            string where = fleet ? $"{f.Context}: {f.Resource}" : f.Resource.ToString();
            text.Append(CultureInfo.InvariantCulture, $"| {f.Severity} | {f.RuleId} | `{Escape(where)}` | {Escape(f.Message)} |\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Prometheus text exposition format for the node_exporter textfile collector: findings by
    /// severity and category, and each certificate's expiry time, labelled with the cluster each
    /// came from (or <paramref name="cluster"/> for all of them).
    /// </summary>
    public static string Prometheus(IReadOnlyList<Finding> findings, IReadOnlyList<(CertificateInfo Certificate, string? Cluster)> certificates, IReadOnlyList<AuditSummary> summaries, string? cluster)
    {
        string fallback = cluster ?? summaries.Select(s => s.Cluster ?? s.Context).FirstOrDefault(c => c is not null) ?? "unknown";
        string LabelOf(string? origin) => Label(cluster ?? origin ?? fallback);

        var text = new StringBuilder();
        text.Append("# HELP kubesecurity_findings Findings of the last KubeSecurity audit by severity and category.\n# TYPE kubesecurity_findings gauge\n");
        string[] categories = findings.Select(f => f.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (IGrouping<string, Finding> group in findings.GroupBy(f => LabelOf(f.Cluster ?? f.Context)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (Severity severity in Enum.GetValues<Severity>())
            {
                foreach (string category in categories)
                {
                    text.Append(CultureInfo.InvariantCulture, $"kubesecurity_findings{{cluster=\"{group.Key}\",severity=\"{severity}\",category=\"{Label(category)}\"}} {group.Count(f => f.Severity == severity && f.Category == category)}\n");
                }
            }
        }

        if (summaries.Count > 0)
        {
            text.Append("# HELP kubesecurity_audit_timestamp_seconds When the audit started (Unix time).\n# TYPE kubesecurity_audit_timestamp_seconds gauge\n");
            foreach (IGrouping<string, AuditSummary> group in summaries.GroupBy(s => LabelOf(s.Cluster ?? s.Context)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"kubesecurity_audit_timestamp_seconds{{cluster=\"{group.Key}\"}} {group.Max(s => s.StartedAt).ToUnixTimeSeconds()}\n");
            }
        }

        if (certificates.Count > 0)
        {
            text.Append("# HELP kubesecurity_certificate_expiry_timestamp_seconds When the certificate expires (Unix time).\n# TYPE kubesecurity_certificate_expiry_timestamp_seconds gauge\n");
            // One series per label set: the same certificate seen twice (two contexts, two sources of one file) is written once.
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach ((CertificateInfo certificate, string? origin) in certificates)
            {
                string series = $"kubesecurity_certificate_expiry_timestamp_seconds{{cluster=\"{LabelOf(origin)}\",subject=\"{Label(certificate.Subject)}\",source=\"{Label(certificate.Source)}\",thumbprint=\"{certificate.Thumbprint}\"}}";
                if (written.Add(series))
                {
                    text.Append(CultureInfo.InvariantCulture, $"{series} {certificate.NotAfter.ToUnixTimeSeconds()}\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Whether the findings came through more than one context (a fleet), so each must be named by its cluster.</summary>
    internal static bool SpansContexts(IEnumerable<Finding> findings) =>
        findings.Select(f => f.Context).Distinct(StringComparer.Ordinal).Skip(1).Any();

    private static string Label(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
