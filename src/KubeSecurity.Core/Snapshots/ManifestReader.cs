using System.Text;
using System.Text.Json;
using KubeSecurity.Model;
using YamlDotNet.Core;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Reads Kubernetes objects from YAML and JSON: files, directories (recursive), multi-document
/// YAML, <c>kind: List</c> and typed <c>*List</c> wrappers (the output of <c>kubectl get -o yaml</c>
/// and <c>helm template</c>), and saved snapshots. A malformed document becomes a
/// <see cref="LoadProblem"/> naming file and document; the rest still load.
/// </summary>
public sealed class ManifestReader
{
    private static readonly string[] ManifestExtensions = { ".yaml", ".yml", ".json", SnapshotFile.Extension };
    // Nesting beyond the YAML reader's limit is the same limit, with the same message, for JSON.
    private bool IsTooDeep(ReadOnlySpan<byte> json)
    {
        int depth = 0;
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            byte b = json[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)'{' or (byte)'[')
            {
                if (++depth > limits.MaxDepth)
                {
                    return true;
                }
            }
            else if (b is (byte)'}' or (byte)']')
            {
                depth--;
            }
        }

        return false;
    }

    private static readonly JsonDocumentOptions StrictJson = new() { MaxDepth = 256 };

    // Hand-edited JSON sometimes has comments or trailing commas; tolerating them slows the
    // parser, so they are only allowed on a second attempt.
    private static readonly JsonDocumentOptions LenientJson = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    private readonly InputLimits limits;

    public ManifestReader(InputLimits? limits = null) => this.limits = limits ?? InputLimits.Default;

    /// <summary>Reads every path: a file, or a directory searched recursively for manifest files.</summary>
    public ManifestReadResult ReadPaths(IEnumerable<string> paths, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = new ManifestReadResult();
        foreach (string path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(path))
            {
                foreach (string file in EnumerateManifestFiles(path))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(file);
                    ReadFile(file, result);
                }
            }
            else if (File.Exists(path))
            {
                progress?.Report(path);
                ReadFile(path, result);
            }
            else
            {
                result.Problems.Add(new LoadProblem(path, null, "no such file or directory", LoadProblemKind.NotFound));
            }
        }

        return result;
    }

    /// <summary>Manifest files under a directory, in a stable order, skipping hidden folders such as .git.</summary>
    public static IEnumerable<string> EnumerateManifestFiles(string directory) => EnumerateFiles(directory).Where(IsManifestFile);

    public static bool IsManifestFile(string path) => ManifestExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every file under a directory, in a stable order, skipping hidden files and folders such as .git.</summary>
    public static IEnumerable<string> EnumerateFiles(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, IgnoreInaccessible = true };
        string root = Path.GetFullPath(directory);
        return Directory.EnumerateFiles(root, "*", options)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal);
    }

    public void ReadFile(string path, ManifestReadResult result)
    {
        result.Sources.Add(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > limits.MaxFileBytes)
            {
                result.Problems.Add(new LoadProblem(path, null, $"the file is {info.Length:N0} bytes, over the {limits.MaxFileBytes:N0}-byte limit", LoadProblemKind.LimitExceeded));
                return;
            }

            // A large JSON dump is read item by item, its payload left in the file (see StreamingListReader).
            int listedBefore = result.Problems.Count;
            if (info.Length >= limits.DetachBodiesFromFilesOver && StreamingListReader.TryRead(path, limits, result))
            {
                LimitProblems(result, listedBefore, path);
                return;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            result.Problems.Add(new LoadProblem(path, null, ex.Message, LoadProblemKind.NotFound));
            return;
        }

        if (SnapshotFile.IsSnapshot(bytes))
        {
            try
            {
                KubeSnapshot saved = SnapshotFile.Read(bytes, path, limits);
                result.SavedSnapshot = saved;
                result.Objects.AddRange(saved.Objects);
            }
            catch (SnapshotFormatException ex)
            {
                result.Problems.Add(new LoadProblem(path, null, ex.Message, ex.Unsupported ? LoadProblemKind.UnsupportedFormat : LoadProblemKind.Syntax));
            }

            return;
        }

        int problemsBefore = result.Problems.Count;
        try
        {
            ReadBytes(bytes, path, result);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // One unreadable file never costs the others: whatever a parser throws becomes this file's problem.
            result.Problems.Add(new LoadProblem(path, null, $"could not be read: {FirstSentence(ex.Message)}", LoadProblemKind.Syntax));
        }

        LimitProblems(result, problemsBefore, path);
    }

    /// <summary>Problems listed one by one per file; the rest are counted in one (a file of a million junk documents is one error screen, not a million).</summary>
    public const int MaxProblemsPerFile = 100;

    private static void LimitProblems(ManifestReadResult result, int before, string path)
    {
        int added = result.Problems.Count - before;
        if (added <= MaxProblemsPerFile)
        {
            return;
        }

        result.Problems.RemoveRange(before + MaxProblemsPerFile, added - MaxProblemsPerFile);
        result.Problems.Add(new LoadProblem(path, null, $"{added - MaxProblemsPerFile:N0} more document(s) could not be read (only the first {MaxProblemsPerFile} are listed)", LoadProblemKind.Syntax));
    }

    /// <summary>Reads manifest text that did not come from a file (a string, the pipeline, a test).</summary>
    public void ReadBytes(ReadOnlyMemory<byte> bytes, string source, ManifestReadResult result)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        if (span.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
            span = bytes.Span;
        }

        int firstNonSpace = span.IndexOfAnyExcept(" \t\r\n"u8);
        if (firstNonSpace >= 0 && span[firstNonSpace] is (byte)'{' or (byte)'[')
        {
            ReadJson(bytes, source, result);
            return;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            result.Problems.Add(new LoadProblem(source, null, "the file is not UTF-8 text (binary or another encoding)", LoadProblemKind.Syntax));
            return;
        }

        ReadYaml(text, source, result);
    }

    private void ReadJson(ReadOnlyMemory<byte> bytes, string source, ManifestReadResult result)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            // The same rule as for YAML: text that is not UTF-8 is refused, not silently repaired.
            result.Problems.Add(new LoadProblem(source, null, "the file is not UTF-8 text (binary or another encoding)", LoadProblemKind.Syntax));
            return;
        }

        JsonDocument document;
        try
        {
            try
            {
                document = JsonDocument.Parse(bytes, StrictJson with { MaxDepth = limits.MaxDepth });
            }
            catch (JsonException) when (!IsTooDeep(bytes.Span))
            {
                document = JsonDocument.Parse(bytes, LenientJson with { MaxDepth = limits.MaxDepth });
            }
        }
        catch (JsonException) when (IsTooDeep(bytes.Span))
        {
            result.Problems.Add(new LoadProblem(source, null, $"the document nests deeper than {limits.MaxDepth} levels", LoadProblemKind.LimitExceeded));
            return;
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is long line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            result.Problems.Add(new LoadProblem(source, null, $"malformed JSON{where}: {FirstSentence(ex.Message)}", LoadProblemKind.Syntax));
            return;
        }

        // The document backs every object read from it; it is never disposed, by design.
        JsonElement root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in root.EnumerateArray())
            {
                AddObject(item, source, ++index, result, null, limits);
            }
        }
        else
        {
            AddObject(root, source, null, result, bytes.Length, limits);
        }
    }

    /// <summary>When a file fails as a whole, documents are retried in batches of this size, then one by one.</summary>
    private const int DocumentsPerBatch = 64;

    private void ReadYaml(string text, string source, ManifestReadResult result)
    {
        List<YamlDocumentSplitter.Chunk> chunks = YamlDocumentSplitter.Split(text);
        var converter = new YamlJsonConverter(limits);

        // A well-formed file converts in one pass (as cheap as parsing it); only a file that fails
        // pays for locating the bad document.
        if (TryConvertWhole(converter, text, chunks.Count) is JsonDocument whole)
        {
            int position = 0;
            foreach (JsonElement document in whole.RootElement.EnumerateArray())
            {
                AddObject(document, source, chunks.Count > 1 ? chunks[position].Index : null, result, chunks[position].End - chunks[position].Start, limits);
                position++;
            }

            return;
        }

        ReadYamlDocumentByDocument(converter, chunks, source, result, limits);
    }

    private static JsonDocument? TryConvertWhole(YamlJsonConverter converter, string text, int expectedDocuments)
    {
        if (expectedDocuments == 0)
        {
            return null;
        }

        try
        {
            JsonDocument converted = converter.ConvertStream(text, out int documents);
            return documents == expectedDocuments ? converted : null;
        }
        catch (Exception ex) when (ex is YamlException or InputLimitException or JsonException)
        {
            return null;
        }
    }

    private static void ReadYamlDocumentByDocument(YamlJsonConverter converter, List<YamlDocumentSplitter.Chunk> chunks, string source, ManifestReadResult result, InputLimits limits)
    {
        int batchCount = (chunks.Count + DocumentsPerBatch - 1) / DocumentsPerBatch;
        var converted = new List<(JsonElement? Element, LoadProblem? Problem)>[batchCount];
        void ConvertBatch(int batch)
        {
            List<YamlDocumentSplitter.Chunk> members = chunks.GetRange(batch * DocumentsPerBatch, Math.Min(DocumentsPerBatch, chunks.Count - (batch * DocumentsPerBatch)));
            converted[batch] = ConvertChunks(converter, members, source);
        }

        // Batches are independent: convert them in parallel when there are several.
        if (batchCount > 1)
        {
            Parallel.For(0, batchCount, ConvertBatch);
        }
        else if (batchCount == 1)
        {
            ConvertBatch(0);
        }

        int position = 0;
        foreach (List<(JsonElement? Element, LoadProblem? Problem)> batch in converted)
        {
            foreach ((JsonElement? element, LoadProblem? problem) in batch)
            {
                YamlDocumentSplitter.Chunk chunk = chunks[position++];
                if (problem is not null)
                {
                    result.Problems.Add(problem);
                }
                else if (element is JsonElement document)
                {
                    AddObject(document, source, chunks.Count > 1 ? chunk.Index : null, result, chunk.End - chunk.Start, limits);
                }
            }
        }
    }

    /// <summary>
    /// Converts consecutive documents with one parser. Each chunk holds exactly one document (the
    /// splitter cut at every marker), so the joined stream must yield one element per chunk; if it
    /// does not, or anything fails, each chunk is converted alone so one bad document fails alone.
    /// </summary>
    private static List<(JsonElement?, LoadProblem?)> ConvertChunks(YamlJsonConverter converter, List<YamlDocumentSplitter.Chunk> chunks, string source)
    {
        var results = new List<(JsonElement?, LoadProblem?)>(chunks.Count);
        if (chunks.Count > 1)
        {
            try
            {
                JsonDocument joined = converter.ConvertStream(string.Join("\n---\n", chunks.Select(c => c.Text)), out int documents);
                if (documents == chunks.Count)
                {
                    foreach (JsonElement element in joined.RootElement.EnumerateArray())
                    {
                        results.Add((element, null));
                    }

                    return results;
                }
            }
            catch (Exception ex) when (ex is YamlException or InputLimitException or JsonException)
            {
                // Fall through: find which document is at fault.
            }
        }

        foreach (YamlDocumentSplitter.Chunk chunk in chunks)
        {
            results.Add(ConvertChunk(converter, chunk, source));
        }

        return results;
    }

    private static (JsonElement?, LoadProblem?) ConvertChunk(YamlJsonConverter converter, YamlDocumentSplitter.Chunk chunk, string source)
    {
        try
        {
            JsonDocument converted = converter.ConvertStream(chunk.Text, out int documents);
            return (documents == 0 ? null : converted.RootElement[0], null);
        }
        catch (YamlException ex)
        {
            long line = ex.Start.Line + chunk.FirstLine - 1;
            string message = $"malformed YAML at line {line}, column {ex.Start.Column}: {FirstSentence(ex.InnerException is null or InvalidOperationException ? ex.Message : ex.InnerException.Message)}";
            return (null, new LoadProblem(source, chunk.Index, message, LoadProblemKind.Syntax));
        }
        catch (InputLimitException ex)
        {
            return (null, new LoadProblem(source, chunk.Index, ex.Message, LoadProblemKind.LimitExceeded));
        }
        catch (JsonException ex)
        {
            return (null, new LoadProblem(source, chunk.Index, $"cannot be represented as JSON: {FirstSentence(ex.Message)}", LoadProblemKind.Syntax));
        }
    }

    /// <param name="documentSize">The document's size in characters or bytes, when known: a single object larger than <see cref="InputLimits.MaxObjectSize"/> cannot have come from a cluster.</param>
    private static void AddObject(JsonElement element, string source, int? documentIndex, ManifestReadResult result, long? documentSize, InputLimits limits)
    {
        string origin = documentIndex is int index ? $"{source}#{index}" : source;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (IsList(element, out string? listApiVersion, out string? itemKind, out JsonElement items))
        {
            AddListItems(items, listApiVersion, itemKind, source, documentIndex, origin, result);
            return;
        }

        if (element.ValueKind == JsonValueKind.Object && element.TryGet("kind", out JsonElement listKind) && listKind.ValueKind == JsonValueKind.String
            && listKind.AsString()!.EndsWith("List", StringComparison.Ordinal) && element.TryGet("items", out JsonElement wrongItems))
        {
            result.Problems.Add(new LoadProblem(source, documentIndex, $"not a Kubernetes object: the {listKind.AsString()}'s 'items' is {wrongItems.ValueKind switch { JsonValueKind.Object => "a mapping", JsonValueKind.Number => "a number", JsonValueKind.String => "a string", JsonValueKind.True or JsonValueKind.False => "a boolean", _ => wrongItems.ValueKind.ToString().ToLowerInvariant() }}, not a list", LoadProblemKind.NotAnObject));
            return;
        }

        if (documentSize > limits.MaxObjectSize && element.ValueKind == JsonValueKind.Object)
        {
            result.Problems.Add(new LoadProblem(source, documentIndex,
                $"one object of {documentSize / 1048576.0:N1} MiB, over the {limits.MaxObjectSize / 1048576} MiB limit: the API server stores at most about 1.5 MiB per object, so this cannot be a cluster's object", LoadProblemKind.LimitExceeded));
            return;
        }

        if (KubeObject.TryCreate(element, origin, out KubeObject? kubeObject, out string? problem))
        {
            result.Objects.Add(kubeObject!);
        }
        else
        {
            result.Problems.Add(new LoadProblem(source, documentIndex, $"not a Kubernetes object: {problem}", LoadProblemKind.NotAnObject));
        }
    }

    private const int ParallelListThreshold = 4096;

    /// <summary>Wraps list items in order; a large list (a cluster dump) is wrapped on all cores.</summary>
    private static void AddListItems(JsonElement items, string? listApiVersion, string? itemKind, string source, int? documentIndex, string origin, ManifestReadResult result)
    {
        JsonElement[] elements = items.EnumerateArray().ToArray();
        var wrapped = new KubeObject?[elements.Length];
        var problems = new string?[elements.Length];
        void Wrap(int i)
        {
            if (!KubeObject.TryCreate(elements[i], origin, listApiVersion, itemKind, out wrapped[i], out problems[i]))
            {
                wrapped[i] = null;
            }
        }

        if (elements.Length >= ParallelListThreshold)
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, elements.Length, 2048), range =>
            {
                for (int i = range.Item1; i < range.Item2; i++)
                {
                    Wrap(i);
                }
            });
        }
        else
        {
            for (int i = 0; i < elements.Length; i++)
            {
                Wrap(i);
            }
        }

        result.Objects.EnsureCapacity(result.Objects.Count + elements.Length);
        for (int i = 0; i < elements.Length; i++)
        {
            if (wrapped[i] is KubeObject item)
            {
                result.Objects.Add(item);
            }
            else
            {
                result.Problems.Add(ListItemProblem(source, documentIndex, i, problems[i]));
            }
        }
    }

    /// <summary>Why item <paramref name="index"/> (from 0) of a list is not an object; the item reader gives the same.</summary>
    internal static LoadProblem ListItemProblem(string source, int? documentIndex, int index, string? problem) =>
        new(source, documentIndex, $"list item {index + 1}: {problem}", LoadProblemKind.NotAnObject);

    /// <summary>
    /// <c>kind: List</c> (kubectl) or a typed list such as <c>PodList</c> (the raw API), whose items may
    /// lack apiVersion/kind: a typed list supplies both.
    /// </summary>
    private static bool IsList(JsonElement element, out string? apiVersion, out string? itemKind, out JsonElement items)
    {
        apiVersion = itemKind = null;
        items = default;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGet("kind", out JsonElement kind) || kind.ValueKind != JsonValueKind.String
            || !element.TryGet("items", out items) || items.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            return false;
        }

        string kindName = kind.AsString()!;
        if (!kindName.EndsWith("List", StringComparison.Ordinal))
        {
            return false;
        }

        if (items.ValueKind == JsonValueKind.Null)
        {
            items = JsonDocument.Parse("[]").RootElement;
        }

        if (kindName != "List")
        {
            itemKind = kindName[..^4];
            apiVersion = element.TryGet("apiVersion", out JsonElement version) && version.ValueKind == JsonValueKind.String ? version.AsString() : null;
        }

        return true;
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }
}
