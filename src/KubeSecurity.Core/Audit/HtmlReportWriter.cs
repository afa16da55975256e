using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>
/// One self-contained HTML file (no external scripts, fonts or styles): a summary, a severity and
/// category chart drawn as inline SVG, and a sortable, filterable table in which each finding
/// opens to its remediation and references. The findings travel as JSON inside the page and the
/// table shows one page of them at a time, so a report of 50,000 findings opens as fast as one of
/// 50: a browser lays out hundreds of rows quickly, but tens of thousands take it minutes.
/// Nothing from findings reaches the page as markup: the chart is HTML-encoded, the table is built
/// with textContent, and the JSON escapes every character that could close its script element.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>Rows shown per page of the table.</summary>
    public const int PageSize = 250;

    private static readonly Dictionary<Severity, string> Colors = new()
    {
        [Severity.Critical] = "#8b0000", [Severity.High] = "#d9480f", [Severity.Medium] = "#e8a400", [Severity.Low] = "#2f7ed8", [Severity.Info] = "#7a7a7a",
    };

    public static string Write(IReadOnlyList<Finding> findings, AuditSummary? summary)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        var html = new StringBuilder(8192 + (findings.Count * 300));
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
        html.Append("<title>KubeSecurity report</title><style>");
        html.Append("body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d1d1f}h1{margin:0 0 .5rem}table{border-collapse:collapse;width:100%;margin-top:1rem}");
        html.Append("th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}th{cursor:pointer;background:#f4f4f6;position:sticky;top:0}");
        html.Append(".sev{color:#fff;border-radius:3px;padding:0 .4rem;font-weight:600}td:nth-child(2){white-space:nowrap}.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}.meta{color:#555}details summary{cursor:pointer}#controls,#pages{display:flex;gap:1rem;margin-top:1rem;align-items:center}");
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
        html.Append(CultureInfo.InvariantCulture, $"<table id=\"findings\"><thead><tr><th>Severity</th><th>Rule</th><th>Category</th>{(fleet ? "<th>Cluster</th>" : string.Empty)}<th>Resource</th><th>Finding</th></tr></thead><tbody></tbody></table>");
        html.Append("<noscript><p>The table of findings needs JavaScript; the JSON report (Export-KubeSecurityReport -Format Json) has the same findings.</p></noscript>");
        html.Append("<div id=\"pages\"><button id=\"prev\" type=\"button\">Previous</button><span id=\"page\"></span><button id=\"next\" type=\"button\">Next</button></div>");
        html.Append("<script id=\"data\" type=\"application/json\">");
        AppendData(html, findings, fleet);
        html.Append("</script><script>");
        html.Append(Script.Replace("@PAGE@", PageSize.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        html.Append("</script></body></html>");
        return html.ToString();
    }

    // The findings as {"fleet":bool,"texts":[...],"rows":[[severity, rule, category, cluster, resource, message, title, remediation, [references]], ...]}
    // with each distinct string stored once and rows holding indexes: titles, remediations and
    // references repeat for every finding of a rule, and resources and messages repeat across rules.
    private static void AppendData(StringBuilder html, IReadOnlyList<Finding> findings, bool fleet)
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
            writer.WriteStartArray("rows");
            foreach (Finding f in findings)
            {
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

    // Filtering by text and severity and sorting by a header's column work on the data; only the
    // current page becomes rows. #filter=...&severity=... in the address pre-fills the controls, so a
    // link can point at a view. data-shown on #shown is the number of findings that match.
    private const string Script = """
        (function(){
          var d=JSON.parse(document.getElementById('data').textContent),t=d.texts,all=d.rows,size=@PAGE@,page=0,view=all,search=null;
          var body=document.querySelector('#findings tbody'),filter=document.getElementById('filter'),sev=document.getElementById('severity'),shown=document.getElementById('shown'),pageLabel=document.getElementById('page'),prev=document.getElementById('prev'),next=document.getElementById('next');
          var columns=d.fleet?[0,1,2,3,4,5]:[0,1,2,4,5];
          function text(r){return (d.severities[r[0]]+' '+t[r[1]]+' '+t[r[2]]+' '+t[r[3]]+' '+t[r[4]]+' '+t[r[5]]+' '+t[r[6]]+' '+t[r[7]]+' '+r[8].map(function(i){return t[i];}).join(' ')).toLowerCase();}
          function cell(tr,value){var td=document.createElement('td');td.textContent=value;tr.appendChild(td);return td;}
          function render(){
            body.textContent='';var pages=Math.max(1,Math.ceil(view.length/size));if(page>=pages)page=pages-1;
            view.slice(page*size,(page+1)*size).forEach(function(r){
              var tr=document.createElement('tr');tr.setAttribute('data-severity',d.severities[r[0]]);
              var badge=document.createElement('span');badge.className='sev';badge.style.background=d.colors[r[0]];badge.textContent=d.severities[r[0]];
              cell(tr,'').appendChild(badge);cell(tr,t[r[1]]);cell(tr,t[r[2]]);if(d.fleet)cell(tr,t[r[3]]);cell(tr,t[r[4]]);
              var details=document.createElement('details'),summary=document.createElement('summary');summary.textContent=t[r[5]];details.appendChild(summary);
              var title=document.createElement('p'),strong=document.createElement('strong');strong.textContent=t[r[6]];title.appendChild(strong);details.appendChild(title);
              var fix=document.createElement('p'),label=document.createElement('strong');label.textContent='How to fix: ';fix.appendChild(label);fix.appendChild(document.createTextNode(t[r[7]]));details.appendChild(fix);
              if(r[8].length){var ul=document.createElement('ul');r[8].forEach(function(i){var li=document.createElement('li'),ref=t[i];if(ref.indexOf('https://')===0){var a=document.createElement('a');a.href=ref;a.rel='noreferrer';a.textContent=ref;li.appendChild(a);}else{li.textContent=ref;}ul.appendChild(li);});details.appendChild(ul);}
              cell(tr,'').appendChild(details);body.appendChild(tr);
            });
            pageLabel.textContent='Page '+(page+1)+' of '+pages;prev.disabled=page===0;next.disabled=page>=pages-1;
          }
          function apply(){
            var q=filter.value.toLowerCase(),s=sev.value;
            if(q&&!search)search=all.map(text);
            view=all.filter(function(r,i){return (!q||search[i].indexOf(q)>=0)&&(!s||d.severities[r[0]]===s);});
            shown.textContent=view.length+' of '+all.length+' shown';shown.setAttribute('data-shown',view.length);page=0;render();
          }
          var dir={};
          Array.prototype.forEach.call(document.querySelectorAll('#findings th'),function(th,i){th.addEventListener('click',function(){
            var c=columns[i];dir[i]=!dir[i];
            view=view.slice().sort(function(a,b){var x=c===0?a[0]:t[a[c]],y=c===0?b[0]:t[b[c]];var o=x<y?-1:x>y?1:0;return dir[i]?o:-o;});page=0;render();});});
          filter.addEventListener('input',apply);sev.addEventListener('change',apply);
          prev.addEventListener('click',function(){page--;render();});next.addEventListener('click',function(){page++;render();});
          var p=new URLSearchParams(location.hash.slice(1));if(p.get('filter'))filter.value=p.get('filter');if(p.get('severity'))sev.value=p.get('severity');
          apply();document.body.setAttribute('data-ready','true');
        })();
        """;
}
