using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Xml.Linq;
using KubeSecurity.HelpCompiler;

// Usage: KubeSecurity.HelpCompiler <staged module dir> <docs dir>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: KubeSecurity.HelpCompiler <staged-module-dir> <docs-dir>");
    return 2;
}

string moduleDir = Path.GetFullPath(args[0]);
string docsDir = Path.GetFullPath(args[1]);
string manifest = Path.Combine(moduleDir, "KubeSecurity.psd1");
var problems = new List<string>();

using PowerShell ps = PowerShell.Create(InitialSessionState.CreateDefault2());
ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("PassThru");
PSModuleInfo module = (PSModuleInfo)ps.Invoke()[0].BaseObject;
if (ps.HadErrors)
{
    Console.Error.WriteLine($"Import-Module {manifest} failed: {ps.Streams.Error[0]}");
    return 1;
}

XNamespace msh = "http://msh";
XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";
var root = new XElement(msh + "helpItems", new XAttribute("schema", "maml"),
    new XAttribute(XNamespace.Xmlns + "maml", maml), new XAttribute(XNamespace.Xmlns + "command", command), new XAttribute(XNamespace.Xmlns + "dev", dev));

XElement Paras(IEnumerable<string> paragraphs) => new(maml + "description", paragraphs.Select(p => new XElement(maml + "para", p)));

// Parameters many cmdlets share (the input parameters) are documented once; a cmdlet's own page may say more.
string commonPage = Path.Combine(docsDir, "cmdlets", "common-parameters.md");
MarkdownHelp common = File.Exists(commonPage) ? MarkdownHelp.Parse(File.ReadAllText(commonPage)) : new MarkdownHelp();

foreach (CmdletInfo cmdlet in module.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
{
    string page = Path.Combine(docsDir, "cmdlets", cmdlet.Name + ".md");
    if (!File.Exists(page))
    {
        problems.Add($"{cmdlet.Name}: no help page at {page}");
        continue;
    }

    MarkdownHelp help = MarkdownHelp.Parse(File.ReadAllText(page));
    if (help.Synopsis.Count == 0)
    {
        problems.Add($"{cmdlet.Name}: the help page has no SYNOPSIS");
    }

    if (help.Examples.Count < 2)
    {
        problems.Add($"{cmdlet.Name}: the help page has {help.Examples.Count} example(s); at least two are required");
    }

    Dictionary<string, ParameterMetadata> parameters = cmdlet.Parameters
        .Where(p => !Cmdlet.CommonParameters.Contains(p.Key) && !Cmdlet.OptionalCommonParameters.Contains(p.Key))
        .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
    foreach (string name in parameters.Keys.Where(n => !help.Parameters.ContainsKey(n) && common.Parameters.ContainsKey(n)).ToList())
    {
        help.Parameters[name] = common.Parameters[name];
    }
    foreach (string name in parameters.Keys.Where(n => !help.Parameters.ContainsKey(n)))
    {
        problems.Add($"{cmdlet.Name}: parameter -{name} is not documented");
    }

    foreach (string name in help.Parameters.Keys.Where(n => !parameters.ContainsKey(n) && !n.Equals("Confirm", StringComparison.OrdinalIgnoreCase) && !n.Equals("WhatIf", StringComparison.OrdinalIgnoreCase)))
    {
        problems.Add($"{cmdlet.Name}: the help page documents -{name}, which the cmdlet does not have");
    }

    XElement ParameterElement(ParameterMetadata parameter, ParameterSetMetadata? set)
    {
        bool isSwitch = parameter.SwitchParameter;
        IEnumerable<ParameterSetMetadata> sets = set is null ? parameter.ParameterSets.Values : new[] { set };
        bool required = sets.Any(s => s.IsMandatory);
        int position = sets.Select(s => s.Position).FirstOrDefault(p => p >= 0, int.MinValue);
        bool byValue = sets.Any(s => s.ValueFromPipeline), byName = sets.Any(s => s.ValueFromPipelineByPropertyName);
        string pipeline = byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
        bool globbing = parameter.Attributes.OfType<SupportsWildcardsAttribute>().Any();
        string typeName = parameter.ParameterType.FullName ?? parameter.ParameterType.Name;
        string aliases = parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none";
        var element = new XElement(command + "parameter",
            new XAttribute("required", required ? "true" : "false"),
            new XAttribute("variableLength", parameter.ParameterType.IsArray ? "true" : "false"),
            new XAttribute("globbing", globbing ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position == int.MinValue || position < 0 ? "named" : position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new XAttribute("aliases", aliases),
            new XElement(maml + "name", parameter.Name),
            Paras(help.Parameters.TryGetValue(parameter.Name, out List<string>? text) ? text : new List<string>()));
        if (!isSwitch)
        {
            element.Add(new XElement(command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", parameter.ParameterType.IsArray ? "true" : "false"), parameter.ParameterType.Name));
        }

        element.Add(new XElement(dev + "type", new XElement(maml + "name", typeName)), new XElement(dev + "defaultValue", "None"));
        return element;
    }

    var syntax = new XElement(command + "syntax");
    foreach (CommandParameterSetInfo set in cmdlet.ParameterSets)
    {
        var item = new XElement(command + "syntaxItem", new XElement(maml + "name", cmdlet.Name));
        foreach (CommandParameterInfo info in set.Parameters.Where(p => parameters.ContainsKey(p.Name)))
        {
            ParameterMetadata metadata = parameters[info.Name];
            ParameterSetMetadata? setMetadata = metadata.ParameterSets.TryGetValue(set.Name, out ParameterSetMetadata? specific) ? specific
                : metadata.ParameterSets.TryGetValue(ParameterAttribute.AllParameterSets, out ParameterSetMetadata? all) ? all : null;
            item.Add(ParameterElement(metadata, setMetadata));
        }

        if (cmdlet.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).OfType<CmdletAttribute>().Any(a => a.SupportsShouldProcess))
        {
            foreach (string risk in new[] { "WhatIf", "Confirm" })
            {
                item.Add(new XElement(command + "parameter", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), new XAttribute("globbing", "false"),
                    new XAttribute("pipelineInput", "False"), new XAttribute("position", "named"), new XAttribute("aliases", risk == "WhatIf" ? "wi" : "cf"),
                    new XElement(maml + "name", risk),
                    Paras(new[] { risk == "WhatIf" ? "Shows what would happen if the cmdlet runs. The cmdlet is not run." : "Prompts you for confirmation before running the cmdlet." }),
                    new XElement(dev + "type", new XElement(maml + "name", "System.Management.Automation.SwitchParameter")), new XElement(dev + "defaultValue", "False")));
            }
        }

        syntax.Add(item);
    }

    string[] verbNoun = cmdlet.Name.Split('-', 2);
    var element = new XElement(command + "command",
        new XElement(command + "details",
            new XElement(command + "name", cmdlet.Name),
            new XElement(command + "verb", verbNoun[0]),
            new XElement(command + "noun", verbNoun[1]),
            Paras(help.Synopsis)),
        Paras(help.Description),
        syntax,
        new XElement(command + "parameters", parameters.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => ParameterElement(p, null))),
        new XElement(command + "inputTypes", help.Inputs.Select(i => new XElement(command + "inputType", new XElement(dev + "type", new XElement(maml + "name", i.Type)), Paras(i.Text)))),
        new XElement(command + "returnValues", help.Outputs.Select(o => new XElement(command + "returnValue", new XElement(dev + "type", new XElement(maml + "name", o.Type)), Paras(o.Text)))),
        new XElement(maml + "alertSet", new XElement(maml + "alert", help.Notes.Select(n => new XElement(maml + "para", n)))),
        new XElement(command + "examples", help.Examples.Select(e => new XElement(command + "example",
            new XElement(maml + "title", $"--------- {e.Title} ---------"),
            new XElement(dev + "code", e.Code),
            new XElement(dev + "remarks", e.Remarks.Select(r => new XElement(maml + "para", r)))))),
        new XElement(command + "relatedLinks", help.Links.Select(l => new XElement(maml + "navigationLink", new XElement(maml + "linkText", l.Text), new XElement(maml + "uri", l.Uri.StartsWith("http", StringComparison.Ordinal) ? l.Uri : string.Empty)))));
    root.Add(element);
}

if (problems.Count > 0)
{
    foreach (string problem in problems)
    {
        Console.Error.WriteLine($"error KSHELP: {problem}");
    }

    return 1;
}

string helpDir = Path.Combine(moduleDir, "en-US");
Directory.CreateDirectory(helpDir);
new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(Path.Combine(helpDir, "KubeSecurity.dll-Help.xml"));

// about_ topics are plain text: keep the markdown's words, drop its markup.
foreach (string about in Directory.EnumerateFiles(docsDir, "about_*.md"))
{
    var text = new StringBuilder();
    foreach (string line in File.ReadAllLines(about))
    {
        text.AppendLine(line.StartsWith('#') ? line.TrimStart('#', ' ').ToUpperInvariant() : line.Replace("`", string.Empty, StringComparison.Ordinal).Replace("**", string.Empty, StringComparison.Ordinal));
    }

    File.WriteAllText(Path.Combine(helpDir, Path.GetFileNameWithoutExtension(about) + ".help.txt"), text.ToString());
}

Console.WriteLine($"Compiled help for {module.ExportedCmdlets.Count} cmdlet(s) into {helpDir}");
return 0;
