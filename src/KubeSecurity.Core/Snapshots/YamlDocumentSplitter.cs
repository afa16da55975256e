namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Splits a YAML stream at document markers (<c>---</c> and <c>...</c> at column 0). The YAML
/// spec forbids those markers inside any scalar, so splitting on lines is exact, and lets one
/// malformed document fail alone while its neighbours load.
/// </summary>
internal static class YamlDocumentSplitter
{
    /// <summary>One document's place in the stream. Its text is cut only when asked for: a well-formed file never needs it, and a copy of every document would double the file in memory.</summary>
    public readonly record struct Chunk(int Index, int FirstLine, string Source, int Start, int End)
    {
        public string Text => Source[Start..End];
    }

    public static List<Chunk> Split(string text)
    {
        var chunks = new List<Chunk>();
        int start = 0, line = 1, startLine = 1, documentIndex = 0;
        int position = 0;
        while (position <= text.Length)
        {
            int end = text.IndexOf('\n', position);
            int lineEnd = end < 0 ? text.Length : end;
            bool marker = IsMarker(text, position, lineEnd, out bool endMarker);
            if (marker)
            {
                Add(text, start, position, startLine, chunks, ref documentIndex);

                // "--- value" keeps the content after the marker in the new document.
                start = endMarker ? lineEnd : position + 3;
                startLine = line;
            }

            if (end < 0)
            {
                break;
            }

            position = end + 1;
            line++;
        }

        Add(text, start, text.Length, startLine, chunks, ref documentIndex);
        return chunks;
    }

    private static bool IsMarker(string text, int lineStart, int lineEnd, out bool endMarker)
    {
        endMarker = false;
        if (lineEnd - lineStart < 3)
        {
            return false;
        }

        bool dashes = text[lineStart] == '-' && text[lineStart + 1] == '-' && text[lineStart + 2] == '-';
        bool dots = text[lineStart] == '.' && text[lineStart + 1] == '.' && text[lineStart + 2] == '.';
        if (!dashes && !dots)
        {
            return false;
        }

        if (lineEnd - lineStart > 3 && !char.IsWhiteSpace(text[lineStart + 3]))
        {
            return false;
        }

        endMarker = dots;
        return true;
    }

    private static void Add(string text, int start, int end, int firstLine, List<Chunk> chunks, ref int documentIndex)
    {
        if (end <= start || !HasContent(text, start, end))
        {
            return;
        }

        chunks.Add(new Chunk(++documentIndex, firstLine, text, start, end));
    }

    /// <summary>True when the range holds something besides whitespace, comments and directives.</summary>
    private static bool HasContent(string text, int start, int end)
    {
        bool lineStart = true;
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                lineStart = true;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (c == '#' || (lineStart && c == '%'))
            {
                int next = text.IndexOf('\n', i);
                if (next < 0 || next >= end)
                {
                    return false;
                }

                i = next - 1;
                continue;
            }

            return true;
        }

        return false;
    }
}
