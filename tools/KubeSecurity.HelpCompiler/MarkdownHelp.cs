namespace KubeSecurity.HelpCompiler;

/// <summary>One cmdlet's help page as written in docs/cmdlets/&lt;Name&gt;.md (platyPS-style headings).</summary>
internal sealed class MarkdownHelp
{
    public string Name { get; set; } = string.Empty;
    public List<string> Synopsis { get; } = new();
    public List<string> Description { get; } = new();
    public List<Example> Examples { get; } = new();
    public Dictionary<string, List<string>> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<(string Type, List<string> Text)> Inputs { get; } = new();
    public List<(string Type, List<string> Text)> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<(string Text, string Uri)> Links { get; } = new();

    internal sealed record Example(string Title, string Code, List<string> Remarks);

    public static MarkdownHelp Parse(string text)
    {
        var help = new MarkdownHelp();
        string? section = null, subsection = null;
        var buffer = new List<string>();
        string? code = null;
        var exampleCode = new List<string>();
        bool inFence = false;
        var fence = new List<string>();
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int start = 0;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            start = Array.FindIndex(lines, 1, l => l.Trim() == "---") + 1;
        }

        void Flush()
        {
            List<string> paragraphs = Paragraphs(buffer);
            buffer.Clear();
            switch (section)
            {
                case "SYNOPSIS": help.Synopsis.AddRange(paragraphs); break;
                case "DESCRIPTION": help.Description.AddRange(paragraphs); break;
                case "NOTES": help.Notes.AddRange(paragraphs); break;
                case "EXAMPLES" when subsection is not null:
                    help.Examples.Add(new Example(subsection, string.Join("\n", exampleCode), paragraphs));
                    exampleCode.Clear();
                    break;
                case "PARAMETERS" when subsection is not null: help.Parameters[subsection.TrimStart('-')] = paragraphs; break;
                case "INPUTS" when subsection is not null: help.Inputs.Add((subsection, paragraphs)); break;
                case "OUTPUTS" when subsection is not null: help.Outputs.Add((subsection, paragraphs)); break;
                case "RELATED LINKS":
                    foreach (string line in paragraphs)
                    {
                        int open = line.IndexOf("](", StringComparison.Ordinal);
                        if (line.StartsWith('[') && open > 0)
                        {
                            help.Links.Add((line[1..open], line[(open + 2)..].TrimEnd(')')));
                        }
                        else
                        {
                            help.Links.Add((line, string.Empty));
                        }
                    }

                    break;
            }
        }

        for (int i = start; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (inFence)
                {
                    inFence = false;
                    code = string.Join("\n", fence);
                    if (section == "EXAMPLES")
                    {
                        exampleCode.Add(code);
                    }
                    else
                    {
                        buffer.Add(code);
                        buffer.Add(string.Empty);
                    }

                    fence.Clear();
                }
                else
                {
                    inFence = true;
                }

                continue;
            }

            if (inFence)
            {
                fence.Add(line);
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                help.Name = line[2..].Trim();
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                section = line[3..].Trim().ToUpperInvariant();
                subsection = null;
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                subsection = line[4..].Trim();
            }
            else
            {
                buffer.Add(line);
            }
        }

        Flush();
        return help;
    }

    private static List<string> Paragraphs(List<string> lines)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (string raw in lines)
        {
            string line = raw.TrimEnd();
            if (line.Length == 0)
            {
                if (current.Count > 0)
                {
                    paragraphs.Add(string.Join(" ", current));
                    current.Clear();
                }

                continue;
            }

            if (line.StartsWith("- ", StringComparison.Ordinal) && current.Count > 0)
            {
                paragraphs.Add(string.Join(" ", current));
                current.Clear();
            }

            current.Add(line.Contains('\n', StringComparison.Ordinal) ? line : line.Trim());
        }

        if (current.Count > 0)
        {
            paragraphs.Add(string.Join(" ", current));
        }

        return paragraphs.Select(p => p.StartsWith("- ", StringComparison.Ordinal) ? p[2..] : p).ToList();
    }
}
