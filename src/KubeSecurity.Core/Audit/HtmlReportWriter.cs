using System.Globalization;
using System.Net;
using System.Text;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>
/// One self-contained HTML file (no external scripts, fonts or styles): a summary, a severity and
/// category chart drawn as inline SVG, and a sortable, filterable table in which each finding
/// opens to its remediation and references. Everything from findings is HTML-encoded.
/// </summary>
public static class HtmlReportWriter
{
    private static readonly Dictionary<Severity, string> Colors = new()
    {
        [Severity.Critical] = "#8b0000", [Severity.High] = "#d9480f", [Severity.Medium] = "#e8a400", [Severity.Low] = "#2f7ed8", [Severity.Info] = "#7a7a7a",
    };

    public static string Write(IReadOnlyList<Finding> findings, AuditSummary? summary)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        var html = new StringBuilder(4096 + (findings.Count * 700));
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
        html.Append("<title>KubeSecurity report</title><style>");
        html.Append("body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d1d1f}h1{margin:0 0 .5rem}table{border-collapse:collapse;width:100%;margin-top:1rem}");
        html.Append("th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}th{cursor:pointer;background:#f4f4f6;position:sticky;top:0}");
        html.Append(".sev{color:#fff;border-radius:3px;padding:0 .4rem;font-weight:600}td:nth-child(2){white-space:nowrap}.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}.meta{color:#555}details summary{cursor:pointer}#controls{display:flex;gap:1rem;margin-top:1rem}");
        html.Append("</style></head><body>");
        bool fleet = ReportWriters.SpansContexts(findings);
        string origin = fleet && summary?.Context is null
            ? $"{findings.Select(f => f.Context).Distinct(StringComparer.Ordinal).Count()} clusters"
            : summary is null ? "snapshot" : AuditSummaries.Origin(summary);
        html.Append(CultureInfo.InvariantCulture, $"<h1>KubeSecurity report</h1><p class=\"meta\">{E(origin)} · {findings.Count} finding(s)");
        if (summary is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $" · {summary.Suppressed} suppressed · audited {summary.StartedAt:yyyy-MM-dd HH:mm} UTC");
        }

        html.Append("</p>");
        if (summary is { SkippedAreas.Count: > 0 })
        {
            html.Append("<p><strong>Not fully checked:</strong> ").Append(E(string.Join("; ", summary.SkippedAreas))).Append("</p>");
        }

        Chart(html, findings);
        html.Append("<div id=\"controls\"><label>Filter <input id=\"filter\" type=\"search\" placeholder=\"rule, resource, text\"></label>");
        html.Append("<label>Severity <select id=\"severity\"><option value=\"\">all</option>");
        foreach (Severity s in Enum.GetValues<Severity>().OrderByDescending(s => s))
        {
            html.Append(CultureInfo.InvariantCulture, $"<option>{s}</option>");
        }

        html.Append("</select></label><span id=\"shown\"></span></div>");
        html.Append($"<table id=\"findings\"><thead><tr><th data-key=\"sev\">Severity</th><th>Rule</th><th>Category</th>{(fleet ? "<th>Cluster</th>" : string.Empty)}<th>Resource</th><th>Finding</th></tr></thead><tbody>");
        foreach (Finding f in findings)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-sev=\"{(int)f.Severity}\" data-severity=\"{f.Severity}\"><td><span class=\"sev\" style=\"background:{Colors[f.Severity]}\">{f.Severity}</span></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(f.RuleId)}</td><td>{E(f.Category)}</td>{(fleet ? $"<td>{E(f.Context)}</td>" : string.Empty)}<td>{E(f.Resource.ToString())}</td><td><details><summary>{E(f.Message)}</summary>");
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{E(f.Title)}</strong></p><p><strong>How to fix:</strong> {E(f.Remediation)}</p>");
            if (f.References.Count > 0)
            {
                html.Append("<ul>");
                foreach (string reference in f.References)
                {
                    html.Append(reference.StartsWith("https://", StringComparison.Ordinal)
                        ? $"<li><a href=\"{E(reference)}\" rel=\"noreferrer\">{E(reference)}</a></li>"
                        : $"<li>{E(reference)}</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</details></td></tr>");
        }

        html.Append("</tbody></table><script>");
        html.Append(Script);
        html.Append("</script></body></html>");
        return html.ToString();
    }

    private static void Chart(StringBuilder html, IReadOnlyList<Finding> findings)
    {
        var severities = Enum.GetValues<Severity>().OrderByDescending(s => s).ToList();
        var categories = findings.Select(f => f.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        int max = Math.Max(1, categories.Select(c => findings.Count(f => f.Category == c)).DefaultIfEmpty(0).Max());
        int height = 28 * Math.Max(1, categories.Count) + 30;
        html.Append(CultureInfo.InvariantCulture, $"<svg id=\"chart\" role=\"img\" aria-label=\"Findings by category and severity\" width=\"720\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        int y = 10;
        foreach (string category in categories)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\" font-size=\"13\">{WebUtility.HtmlEncode(category)}</text>");
            double x = 120;
            foreach (Severity severity in severities)
            {
                int count = findings.Count(f => f.Category == category && f.Severity == severity);
                if (count == 0)
                {
                    continue;
                }

                double width = 540.0 * count / max;
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{x:0.#}\" y=\"{y}\" width=\"{width:0.#}\" height=\"20\" fill=\"{Colors[severity]}\"><title>{WebUtility.HtmlEncode(category)}: {count} {severity}</title></rect>");
                x += width;
            }

            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 6:0.#}\" y=\"{y + 15}\" font-size=\"12\">{findings.Count(f => f.Category == category)}</text>");
            y += 28;
        }

        html.Append("</svg><div class=\"legend\">");
        foreach (Severity severity in severities)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{Colors[severity]}\"></i>{severity} ({findings.Count(f => f.Severity == severity)})</span>");
        }

        html.Append("</div>");
    }

    // Sorting by clicking a header, filtering by text and severity; #filter=...&severity=... in the
    // address pre-fills the controls, so a link can point at a view.
    private const string Script = """
        (function(){
          var body=document.querySelector('#findings tbody'),rows=Array.prototype.slice.call(body.rows),filter=document.getElementById('filter'),sev=document.getElementById('severity'),shown=document.getElementById('shown');
          function apply(){var q=filter.value.toLowerCase(),s=sev.value,n=0;rows.forEach(function(r){var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!s||r.getAttribute('data-severity')===s);r.style.display=ok?'':'none';if(ok)n++;});shown.textContent=n+' of '+rows.length+' shown';shown.setAttribute('data-shown',n);}
          var dir={};
          Array.prototype.forEach.call(document.querySelectorAll('#findings th'),function(th,i){th.addEventListener('click',function(){dir[i]=!dir[i];rows.sort(function(a,b){var x=i===0?+a.getAttribute('data-sev'):a.cells[i].textContent,y=i===0?+b.getAttribute('data-sev'):b.cells[i].textContent;var c=x<y?-1:x>y?1:0;return dir[i]?c:-c;});rows.forEach(function(r){body.appendChild(r);});});});
          filter.addEventListener('input',apply);sev.addEventListener('change',apply);
          var p=new URLSearchParams(location.hash.slice(1));if(p.get('filter'))filter.value=p.get('filter');if(p.get('severity'))sev.value=p.get('severity');
          apply();document.body.setAttribute('data-ready','true');
        })();
        """;
}
