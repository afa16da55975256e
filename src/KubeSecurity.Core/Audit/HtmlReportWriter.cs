using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>What an HTML report shows besides the findings: the baseline it is compared with.</summary>
public sealed record HtmlReportOptions
{
    /// <summary>The findings of an earlier report: findings not in it are marked new, and its findings no longer found are listed as fixed.</summary>
    public IReadOnlyList<Finding>? Baseline { get; init; }

    /// <summary>Where the baseline came from (a file name), for the header.</summary>
    public string? BaselineSource { get; init; }
}

/// <summary>
/// One self-contained HTML file (no external scripts, fonts or styles) a team triages from: what
/// was audited, from where and as of when; the changes that remove the most findings; the
/// compliance view per framework; what changed since a baseline; and the findings, filterable by
/// text, severity, category, namespace and cluster, flat or grouped by rule or by resource. The
/// findings travel as JSON inside the page and only one page of rows or groups is built at a time,
/// so 50,000 findings open as fast as 50. The first page of findings and every summary section are
/// written as HTML, so a report read with scripts off (mail, a locked-down viewer) still shows them.
/// Nothing from findings reaches the page as markup: text is HTML-encoded or set with textContent,
/// and the JSON escapes every character that could close its script element.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>Rows (or groups) shown per page.</summary>
    public const int PageSize = 250;

    /// <summary>How many changes the "top fixes" list shows.</summary>
    public const int TopFixCount = 10;

    private static readonly Dictionary<Severity, string> Colors = new()
    {
        [Severity.Critical] = "#8b0000", [Severity.High] = "#d9480f", [Severity.Medium] = "#e8a400", [Severity.Low] = "#2f7ed8", [Severity.Info] = "#7a7a7a",
    };

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Write(IReadOnlyList<Finding> findings, AuditSummary? summary, HtmlReportOptions? options = null)
    {
        options ??= new HtmlReportOptions();
        HashSet<string>? baselineKeys = options.Baseline?.Select(ReportJson.Key).ToHashSet(StringComparer.Ordinal);
        bool[] isNew = baselineKeys is null ? Array.Empty<bool>() : findings.Select(f => !baselineKeys.Contains(ReportJson.Key(f))).ToArray();
        List<Finding> fixedSince = options.Baseline is null ? new List<Finding>() : FixedSince(options.Baseline, findings);
        bool fleet = ReportWriters.SpansContexts(findings);

        var html = new StringBuilder(16384 + (findings.Count * 300));
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
        html.Append("<title>KubeSecurity report</title><style>").Append(Style).Append("</style></head><body>");
        Header(html, findings, summary, options, isNew, fixedSince, fleet);
        Chart(html, findings);
        TopFixList(html, findings);
        AttackPathList(html, findings);
        Compliance(html, findings, summary);
        if (options.Baseline is not null)
        {
            FixedList(html, fixedSince, options.BaselineSource);
        }

        FindingsSection(html, findings, summary, isNew, fleet);
        html.Append("</body></html>");
        return html.ToString();
    }

    private const string Style =
        "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d1d1f}h1{margin:0 0 .5rem}h2{margin-top:2rem}table{border-collapse:collapse;width:100%;margin-top:1rem}" +
        "th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}#findings th{cursor:pointer;background:#f4f4f6;position:sticky;top:0}" +
        ".sev{color:#fff;border-radius:3px;padding:0 .4rem;font-weight:600}td.s{white-space:nowrap}.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}" +
        ".meta{color:#555}details summary{cursor:pointer}#controls,#pages{display:flex;flex-wrap:wrap;gap:1rem;margin-top:1rem;align-items:center}.new{background:#1a7f37;color:#fff;border-radius:3px;padding:0 .3rem;font-size:.75rem;margin-left:.3rem}" +
        ".group{border:1px solid #ddd;border-radius:4px;margin:.4rem 0;padding:.3rem .6rem}.group>summary{font-weight:600}.count{color:#555;font-weight:400}.Passed{color:#1a7f37}.Failed{color:#b00020;font-weight:600}.NotCheckable,.NotEvaluated,.NotApplicable{color:#666}" +
        "table.compact td,table.compact th{font-size:.85rem;padding:.2rem .4rem}" +
        ".chain{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem;margin:.3rem 0 .8rem}.hop{border:1px solid #999;border-radius:4px;padding:.1rem .4rem;font-size:.85rem;background:#fafafa}.arrow{color:#b00020;font-weight:700}";

    private static void Header(StringBuilder html, IReadOnlyList<Finding> findings, AuditSummary? summary, HtmlReportOptions options, bool[] isNew, List<Finding> fixedSince, bool fleet)
    {
        string origin = fleet && summary?.Context is null
            ? $"{findings.Select(f => f.Context).Distinct(StringComparer.Ordinal).Count()} clusters"
            : summary is null ? "snapshot" : AuditSummaries.Origin(summary);
        html.Append(CultureInfo.InvariantCulture, $"<h1>KubeSecurity report</h1><p class=\"meta\" id=\"meta\">{E(origin)} · {findings.Count} finding(s)");
        if (summary is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $" · {summary.Suppressed} suppressed · audited {summary.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
            if (summary.AsOf is DateTimeOffset asOf)
            {
                html.Append(CultureInfo.InvariantCulture, $" · <span id=\"asof\">judged as of {asOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC</span>");
            }
        }

        html.Append("</p>");
        if (summary is { Sources.Count: > 0 })
        {
            html.Append("<p class=\"meta\" id=\"sources\">Source: ").Append(E(string.Join(", ", summary.Sources))).Append("</p>");
        }

        if (options.Baseline is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"baseline\"><strong>Since the baseline</strong>{(options.BaselineSource is null ? string.Empty : " (" + E(options.BaselineSource) + ")")}: ")
                .Append(CultureInfo.InvariantCulture, $"<span data-new=\"{isNew.Count(n => n)}\">{isNew.Count(n => n)} new</span>, <span data-fixed=\"{fixedSince.Count}\">{fixedSince.Count} fixed</span>.</p>");
        }

        if (summary is { SkippedAreas.Count: > 0 })
        {
            html.Append("<p><strong>Not fully checked:</strong> ").Append(E(string.Join("; ", summary.SkippedAreas))).Append("</p>");
        }
    }

    private static List<Finding> FixedSince(IReadOnlyList<Finding> baseline, IReadOnlyList<Finding> findings)
    {
        var current = findings.Select(ReportJson.Key).ToHashSet(StringComparer.Ordinal);
        return baseline.Where(f => !current.Contains(ReportJson.Key(f))).ToList();
    }

    private static void TopFixList(StringBuilder html, IReadOnlyList<Finding> findings)
    {
        List<FixSuggestion> fixes = TopFixes.Rank(findings, TopFixCount);
        if (fixes.Count == 0)
        {
            return;
        }

        int failing = findings.Count(f => f.Severity >= Severity.Low);
        int covered = fixes.Sum(f => f.FindingCount);
        html.Append(CultureInfo.InvariantCulture, $"<h2>Top fixes</h2><p class=\"meta\">These {fixes.Count} changes remove {covered} of the {failing} findings at Low or above ({100.0 * covered / Math.Max(1, failing):0}%).</p><ol id=\"topfixes\">");
        foreach (FixSuggestion fix in fixes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li data-count=\"{fix.FindingCount}\"><strong>{E(fix.Change)}</strong> <span class=\"count\">— removes {fix.FindingCount} finding(s), up to {fix.HighestSeverity} ({E(string.Join(", ", fix.RuleIds))})</span></li>");
        }

        html.Append("</ol>");
    }

    /// <summary>How many attack paths the report draws.</summary>
    public const int TopPathCount = 10;

    // The attack paths the audit found (KSEC-PATH-*), most severe and shortest first, each drawn as its chain of hops.
    private static void AttackPathList(StringBuilder html, IReadOnlyList<Finding> findings)
    {
        List<Finding> paths = findings.Where(f => f.Category == AttackPathRules.Category && f.Evidence.ContainsKey("Path"))
            .OrderByDescending(f => f.Severity).ThenBy(f => f.Evidence.TryGetValue("Steps", out string? steps) && int.TryParse(steps, out int n) ? n : int.MaxValue).ThenBy(f => f.Evidence["Path"], StringComparer.Ordinal)
            .Take(TopPathCount).ToList();
        if (paths.Count == 0)
        {
            return;
        }

        int total = findings.Count(f => f.Category == AttackPathRules.Category);
        html.Append(CultureInfo.InvariantCulture, $"<h2>Attack paths</h2><p class=\"meta\">The {paths.Count} most severe of {total}; Get-KubeAttackPath -ChokePoints ranks the changes that cut them.</p><ol id=\"attackpaths\">");
        foreach (Finding path in paths)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li data-rule=\"{E(path.RuleId)}\"><span class=\"sev\" style=\"background:{Colors[path.Severity]}\">{path.Severity}</span> <strong>{E(path.Title)}</strong><div class=\"chain\">");
            string[] hops = path.Evidence["Path"].Split(" -> ");
            for (int i = 0; i < hops.Length; i++)
            {
                html.Append(i == 0 ? string.Empty : "<span class=\"arrow\">→</span>").Append("<span class=\"hop\">").Append(E(hops[i])).Append("</span>");
            }

            html.Append("</div></li>");
        }

        html.Append("</ol>");
    }

    private static void Compliance(StringBuilder html, IReadOnlyList<Finding> findings, AuditSummary? summary)
    {
        var frameworks = ComplianceEvaluator.EvaluateAll(findings, summary);
        if (frameworks.Count == 0)
        {
            return;
        }

        html.Append("<h2>Compliance</h2><table class=\"compact\" id=\"compliance\"><thead><tr><th>Framework</th><th>Score</th><th>Passed</th><th>Failed</th><th>Not checkable</th><th>Not evaluated</th><th>Not applicable</th><th>Coverage</th></tr></thead><tbody>");
        foreach ((ComplianceFramework framework, _, ComplianceScore score) in frameworks)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-framework=\"{framework.Name}\"><td>{E(framework.Title)} {E(framework.Version)}</td><td>{(score.Score is double s ? $"{s:0.#}%" : "–")}</td><td>{score.Passed}</td><td>{score.Failed}</td><td>{score.NotCheckable}</td><td>{score.NotEvaluated}</td><td>{score.NotApplicable}</td><td>{score.Coverage:0.#}% of {score.Controls}</td></tr>");
        }

        html.Append("</tbody></table>");
        foreach ((ComplianceFramework framework, List<ComplianceControlResult> controls, ComplianceScore score) in frameworks)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"group\" data-framework=\"{framework.Name}\"><summary>{E(framework.Title)} {E(framework.Version)} <span class=\"count\">{score.Failed} failed of {score.Controls}</span></summary><p class=\"meta\">{E(framework.Meaning)}</p>");
            html.Append("<table class=\"compact\"><thead><tr><th>Control</th><th>Status</th><th>Title</th><th>Findings</th><th>Why</th></tr></thead><tbody>");
            foreach (ComplianceControlResult control in controls.OrderBy(c => c.Status == ComplianceStatus.Failed ? 0 : 1))
            {
                string why = control.Status == ComplianceStatus.Failed && control.Resources.Count > 0
                    ? $"{control.Reason}: {string.Join(", ", control.Resources.Take(5))}{(control.Resources.Count > 5 ? $" and {control.Resources.Count - 5} more" : string.Empty)}"
                    : control.Reason;
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(control.ControlId)}</td><td class=\"{control.Status}\">{control.Status}</td><td>{E(control.Title)}{(control.Note is null ? string.Empty : $"<br><small>Note: {E(control.Note)}</small>")}</td><td>{control.FindingCount}</td><td>{E(why)}</td></tr>");
            }

            html.Append("</tbody></table></details>");
        }
    }

    private static void FixedList(StringBuilder html, List<Finding> fixedSince, string? source)
    {
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"group\" id=\"fixed\"><summary>Fixed since the baseline <span class=\"count\">{fixedSince.Count}</span></summary>");
        if (fixedSince.Count > 0)
        {
            html.Append("<table class=\"compact\"><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Finding</th></tr></thead><tbody>");
            foreach (Finding f in fixedSince.OrderByDescending(f => f.Severity).Take(1000))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{f.Severity}</td><td>{E(f.RuleId)}</td><td>{E((f.Context is null ? string.Empty : f.Context + ": ") + f.Resource)}</td><td>{E(f.Message)}</td></tr>");
            }

            html.Append("</tbody></table>");
            if (fixedSince.Count > 1000)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>and {fixedSince.Count - 1000} more.</p>");
            }
        }

        html.Append("</details>");
    }

    private static void FindingsSection(StringBuilder html, IReadOnlyList<Finding> findings, AuditSummary? summary, bool[] isNew, bool fleet)
    {
        html.Append("<h2>Findings</h2><div id=\"controls\"><label>Filter <input id=\"filter\" type=\"search\" placeholder=\"rule, resource, text\"></label>");
        Select(html, "severity", "Severity", Enum.GetValues<Severity>().OrderByDescending(s => s).Select(s => s.ToString()));
        Select(html, "category", "Category", findings.Select(f => f.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        Select(html, "namespace", "Namespace", findings.Select(f => NamespaceOf(f)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        if (fleet)
        {
            Select(html, "cluster", "Cluster", findings.Select(f => f.Context ?? f.Cluster ?? string.Empty).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        }

        html.Append("<label>Group by <select id=\"group\"><option value=\"\">nothing</option><option value=\"rule\">rule</option><option value=\"resource\">resource</option></select></label>");
        if (isNew.Length > 0)
        {
            html.Append("<label><input id=\"newonly\" type=\"checkbox\"> new only</label>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<span id=\"shown\" data-shown=\"{findings.Count}\">{findings.Count} of {findings.Count} shown</span></div>");
        html.Append(CultureInfo.InvariantCulture, $"<table id=\"findings\"><thead><tr><th>Severity</th><th>Rule</th><th>Category</th>{(fleet ? "<th>Cluster</th>" : string.Empty)}<th>Namespace</th><th>Resource</th><th>Finding</th></tr></thead><tbody>");
        // The first page as HTML: the script replaces it with the same rows, and without a script it is what the reader sees.
        for (int i = 0; i < Math.Min(PageSize, findings.Count); i++)
        {
            StaticRow(html, findings[i], i < isNew.Length && isNew[i], fleet);
        }

        html.Append("</tbody></table><div id=\"groups\"></div>");
        if (findings.Count > PageSize)
        {
            html.Append(CultureInfo.InvariantCulture, $"<noscript><p>The first {PageSize} of {findings.Count} findings are shown, most severe first; paging, filters and grouping need JavaScript. The JSON report (Export-KubeSecurityReport -Format Json) holds every finding.</p></noscript>");
        }

        html.Append("<div id=\"pages\"><button id=\"prev\" type=\"button\">Previous</button><span id=\"page\"></span><button id=\"next\" type=\"button\">Next</button></div>");
        html.Append("<script id=\"data\" type=\"application/json\">");
        AppendData(html, findings, isNew, fleet);
        html.Append("</script><script>");
        html.Append(Script.Replace("@PAGE@", PageSize.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        html.Append("</script>");
    }

    private static string NamespaceOf(Finding f) => f.Kind == "Namespace" ? f.Name : f.Namespace ?? "(cluster)";

    private static void Select(StringBuilder html, string id, string label, IEnumerable<string> values)
    {
        html.Append(CultureInfo.InvariantCulture, $"<label>{label} <select id=\"{id}\"><option value=\"\">all</option>");
        foreach (string value in values)
        {
            html.Append("<option>").Append(E(value)).Append("</option>");
        }

        html.Append("</select></label>");
    }

    private static void StaticRow(StringBuilder html, Finding f, bool isNew, bool fleet)
    {
        html.Append(CultureInfo.InvariantCulture, $"<tr data-severity=\"{f.Severity}\"><td class=\"s\"><span class=\"sev\" style=\"background:{Colors[f.Severity]}\">{f.Severity}</span>{(isNew ? "<span class=\"new\">new</span>" : string.Empty)}</td>");
        html.Append("<td>").Append(E(f.RuleId)).Append("</td><td>").Append(E(f.Category)).Append("</td>");
        if (fleet)
        {
            html.Append("<td>").Append(E(f.Context ?? f.Cluster)).Append("</td>");
        }

        html.Append("<td>").Append(E(NamespaceOf(f))).Append("</td><td>").Append(E(f.Resource.ToString())).Append("</td>");
        html.Append("<td><details><summary>").Append(E(f.Message)).Append("</summary><p><strong>").Append(E(f.Title)).Append("</strong></p><p><strong>How to fix: </strong>").Append(E(f.Remediation)).Append("</p>");
        if (f.References.Count > 0)
        {
            html.Append("<ul>");
            foreach (string reference in f.References)
            {
                html.Append("<li>");
                if (reference.StartsWith("https://", StringComparison.Ordinal))
                {
                    html.Append("<a rel=\"noreferrer\" href=\"").Append(E(reference)).Append("\">").Append(E(reference)).Append("</a>");
                }
                else
                {
                    html.Append(E(reference));
                }

                html.Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</details></td></tr>");
    }

    // The findings as {"fleet":bool,"texts":[...],"rows":[[severity, rule, category, cluster, resource, message, title, remediation, [references], namespace, new], ...]}
    // with each distinct string stored once and rows holding indexes: titles, remediations and
    // references repeat for every finding of a rule, and resources and messages repeat across rules.
    private static void AppendData(StringBuilder html, IReadOnlyList<Finding> findings, bool[] isNew, bool fleet)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new List<string>();
        int Text(string? value)
        {
            value ??= string.Empty;
            if (!index.TryGetValue(value, out int i))
            {
                i = texts.Count;
                texts.Add(value);
                index[value] = i;
            }

            return i;
        }

        using var buffer = new MemoryStream(findings.Count * 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("fleet", fleet);
            writer.WriteBoolean("baseline", isNew.Length > 0);
            writer.WriteStartArray("rows");
            for (int n = 0; n < findings.Count; n++)
            {
                Finding f = findings[n];
                writer.WriteStartArray();
                writer.WriteNumberValue((int)f.Severity);
                writer.WriteNumberValue(Text(f.RuleId));
                writer.WriteNumberValue(Text(f.Category));
                writer.WriteNumberValue(Text(f.Context ?? f.Cluster));
                writer.WriteNumberValue(Text(f.Resource.ToString()));
                writer.WriteNumberValue(Text(f.Message));
                writer.WriteNumberValue(Text(f.Title));
                writer.WriteNumberValue(Text(f.Remediation));
                writer.WriteStartArray();
                foreach (string reference in f.References)
                {
                    writer.WriteNumberValue(Text(reference));
                }

                writer.WriteEndArray();
                writer.WriteNumberValue(Text(NamespaceOf(f)));
                writer.WriteNumberValue(n < isNew.Length && isNew[n] ? 1 : 0);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("texts");
            foreach (string text in texts)
            {
                // The default encoder escapes <, > and & too, so no text can end the script element.
                writer.WriteStringValue(text);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("severities");
            foreach (Severity severity in Enum.GetValues<Severity>())
            {
                writer.WriteStringValue(severity.ToString());
            }

            writer.WriteEndArray();
            writer.WriteStartObject("colors");
            foreach ((Severity severity, string color) in Colors)
            {
                writer.WriteString(((int)severity).ToString(CultureInfo.InvariantCulture), color);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        html.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void Chart(StringBuilder html, IReadOnlyList<Finding> findings)
    {
        var severities = Enum.GetValues<Severity>().OrderByDescending(s => s).ToList();
        var counts = findings.GroupBy(f => (f.Category, f.Severity)).ToDictionary(g => g.Key, g => g.Count());
        var categories = findings.Select(f => f.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        int Total(string category) => severities.Sum(s => counts.GetValueOrDefault((category, s)));
        int max = Math.Max(1, categories.Select(Total).DefaultIfEmpty(0).Max());
        int height = 28 * Math.Max(1, categories.Count) + 30;
        html.Append(CultureInfo.InvariantCulture, $"<svg id=\"chart\" role=\"img\" aria-label=\"Findings by category and severity\" width=\"720\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        int y = 10;
        foreach (string category in categories)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\" font-size=\"13\">{E(category)}</text>");
            double x = 120;
            foreach (Severity severity in severities)
            {
                int count = counts.GetValueOrDefault((category, severity));
                if (count == 0)
                {
                    continue;
                }

                double width = 540.0 * count / max;
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{x:0.#}\" y=\"{y}\" width=\"{width:0.#}\" height=\"20\" fill=\"{Colors[severity]}\"><title>{E(category)}: {count} {severity}</title></rect>");
                x += width;
            }

            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 6:0.#}\" y=\"{y + 15}\" font-size=\"12\">{Total(category)}</text>");
            y += 28;
        }

        html.Append("</svg><div class=\"legend\">");
        foreach (Severity severity in severities)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{Colors[severity]}\"></i>{severity} ({findings.Count(f => f.Severity == severity)})</span>");
        }

        html.Append("</div>");
    }

    // Filtering (text, severity, category, namespace, cluster, new only), sorting by a header's
    // column and grouping by rule or resource work on the data; only the current page becomes rows
    // or groups, and a group's rows are built when it is opened. #filter=..&severity=..&category=..
    // &namespace=..&cluster=..&group=rule|resource&new=1&open=1 in the address sets the controls, so
    // a link can point at a view. data-shown on #shown counts the matching findings, data-groups on
    // #groups the groups.
    private const string Script = """
        (function(){
          var d=JSON.parse(document.getElementById('data').textContent),t=d.texts,all=d.rows,size=@PAGE@,page=0,view=all,search=null,groups=null,openFirst=false;
          var body=document.querySelector('#findings tbody'),table=document.getElementById('findings'),box=document.getElementById('groups'),shown=document.getElementById('shown'),pageLabel=document.getElementById('page'),prev=document.getElementById('prev'),next=document.getElementById('next');
          var filter=document.getElementById('filter'),sev=document.getElementById('severity'),cat=document.getElementById('category'),nsSel=document.getElementById('namespace'),cl=document.getElementById('cluster'),grp=document.getElementById('group'),newonly=document.getElementById('newonly');
          var columns=d.fleet?[0,1,2,3,9,4,5]:[0,1,2,9,4,5];
          function text(r){return (d.severities[r[0]]+' '+t[r[1]]+' '+t[r[2]]+' '+t[r[3]]+' '+t[r[4]]+' '+t[r[5]]+' '+t[r[6]]+' '+t[r[7]]+' '+r[8].map(function(i){return t[i];}).join(' ')).toLowerCase();}
          function cell(tr,value){var td=document.createElement('td');td.textContent=value;tr.appendChild(td);return td;}
          function row(r){
            var tr=document.createElement('tr');tr.setAttribute('data-severity',d.severities[r[0]]);
            var first=cell(tr,'');first.className='s';var badge=document.createElement('span');badge.className='sev';badge.style.background=d.colors[r[0]];badge.textContent=d.severities[r[0]];first.appendChild(badge);
            if(r[10]){var n=document.createElement('span');n.className='new';n.textContent='new';first.appendChild(n);}
            cell(tr,t[r[1]]);cell(tr,t[r[2]]);if(d.fleet)cell(tr,t[r[3]]);cell(tr,t[r[9]]);cell(tr,t[r[4]]);
            var details=document.createElement('details'),summary=document.createElement('summary');summary.textContent=t[r[5]];details.appendChild(summary);
            var title=document.createElement('p'),strong=document.createElement('strong');strong.textContent=t[r[6]];title.appendChild(strong);details.appendChild(title);
            var fix=document.createElement('p'),label=document.createElement('strong');label.textContent='How to fix: ';fix.appendChild(label);fix.appendChild(document.createTextNode(t[r[7]]));details.appendChild(fix);
            if(r[8].length){var ul=document.createElement('ul');r[8].forEach(function(i){var li=document.createElement('li'),ref=t[i];if(ref.indexOf('https://')===0){var a=document.createElement('a');a.href=ref;a.rel='noreferrer';a.textContent=ref;li.appendChild(a);}else{li.textContent=ref;}ul.appendChild(li);});details.appendChild(ul);}
            cell(tr,'').appendChild(details);return tr;
          }
          function rowsTable(rows){
            var tb=document.createElement('table'),head=document.createElement('tr');
            (d.fleet?['Severity','Rule','Category','Cluster','Namespace','Resource','Finding']:['Severity','Rule','Category','Namespace','Resource','Finding']).forEach(function(h){var th=document.createElement('th');th.textContent=h;head.appendChild(th);});
            var thead=document.createElement('thead');thead.appendChild(head);tb.appendChild(thead);var tbody=document.createElement('tbody');rows.forEach(function(r){tbody.appendChild(row(r));});tb.appendChild(tbody);return tb;
          }
          function render(){
            var items=groups||view,pages=Math.max(1,Math.ceil(items.length/size));if(page>=pages)page=pages-1;
            body.textContent='';box.textContent='';
            if(groups){
              table.style.display='none';box.setAttribute('data-groups',groups.length);
              groups.slice(page*size,(page+1)*size).forEach(function(g,i){
                var det=document.createElement('details');det.className='group';det.setAttribute('data-key',g.key);
                var sum=document.createElement('summary'),badge=document.createElement('span');badge.className='sev';badge.style.background=d.colors[g.worst];badge.textContent=d.severities[g.worst];
                sum.appendChild(badge);sum.appendChild(document.createTextNode(' '+g.label+' '));var c=document.createElement('span');c.className='count';c.textContent='('+g.rows.length+')';sum.appendChild(c);det.appendChild(sum);
                det.addEventListener('toggle',function(){if(det.open&&!det.built){det.appendChild(rowsTable(g.rows.slice(0,2000)));if(g.rows.length>2000){var p=document.createElement('p');p.textContent='and '+(g.rows.length-2000)+' more: filter to narrow the group.';det.appendChild(p);}det.built=true;}});
                box.appendChild(det);if(openFirst&&i===0&&page===0)det.open=true;
              });
            }else{
              table.style.display='';box.removeAttribute('data-groups');
              view.slice(page*size,(page+1)*size).forEach(function(r){body.appendChild(row(r));});
            }
            pageLabel.textContent='Page '+(page+1)+' of '+pages;prev.disabled=page===0;next.disabled=page>=pages-1;
          }
          function regroup(){
            var by=grp.value;groups=null;if(!by)return;
            var map={},order=[];
            view.forEach(function(r){var k=by==='rule'?t[r[1]]:(d.fleet?t[r[3]]+': ':'')+t[r[4]];var g=map[k];if(!g){g=map[k]={key:k,label:by==='rule'?t[r[1]]+' '+t[r[6]]:k,rows:[],worst:r[0]};order.push(g);}g.rows.push(r);if(r[0]>g.worst)g.worst=r[0];});
            order.sort(function(a,b){return b.worst-a.worst||b.rows.length-a.rows.length||(a.key<b.key?-1:1);});groups=order;
          }
          function apply(){
            var q=filter.value.toLowerCase(),s=sev.value,c=cat.value,n=nsSel.value,k=cl?cl.value:'',only=newonly&&newonly.checked;
            if(q&&!search)search=all.map(text);
            view=all.filter(function(r,i){return (!q||search[i].indexOf(q)>=0)&&(!s||d.severities[r[0]]===s)&&(!c||t[r[2]]===c)&&(!n||t[r[9]]===n)&&(!k||t[r[3]]===k)&&(!only||r[10]);});
            shown.textContent=view.length+' of '+all.length+' shown';shown.setAttribute('data-shown',view.length);page=0;regroup();render();
          }
          var dir={};
          Array.prototype.forEach.call(document.querySelectorAll('#findings th'),function(th,i){th.addEventListener('click',function(){
            var c=columns[i];dir[i]=!dir[i];
            view=view.slice().sort(function(a,b){var x=c===0?a[0]:t[a[c]],y=c===0?b[0]:t[b[c]];var o=x<y?-1:x>y?1:0;return dir[i]?o:-o;});page=0;groups=null;render();});});
          [filter].forEach(function(e){e.addEventListener('input',apply);});
          [sev,cat,nsSel,cl,grp,newonly].forEach(function(e){if(e)e.addEventListener('change',apply);});
          prev.addEventListener('click',function(){page--;render();});next.addEventListener('click',function(){page++;render();});
          var p=new URLSearchParams(location.hash.slice(1));
          [['filter',filter],['severity',sev],['category',cat],['namespace',nsSel],['cluster',cl],['group',grp]].forEach(function(x){if(x[1]&&p.get(x[0]))x[1].value=p.get(x[0]);});
          if(newonly&&p.get('new')==='1')newonly.checked=true;openFirst=p.get('open')==='1';
          apply();document.body.setAttribute('data-ready','true');
        })();
        """;
}
