using System.Collections;

namespace KubeSecurity.Model;

/// <summary>
/// A finding's evidence: a few named facts in the order they were given. An audit of a large
/// cluster holds a hundred thousand findings, and a hash table per finding cost more than the
/// facts; this keeps key, value, key, value in one array and looks keys up in order.
/// Read-only once a finding holds it. Implements <see cref="IDictionary"/> as well, so PowerShell
/// reads <c>$finding.Evidence.Subject</c> as it reads a hashtable.
/// </summary>
public sealed class EvidenceDictionary : IReadOnlyDictionary<string, string>, IDictionary
{
    /// <summary>No evidence.</summary>
    public static EvidenceDictionary Empty { get; } = new(0) { frozen = true };

    private string[] entries;
    private int count;
    private bool frozen;

    /// <summary>An empty map with room for <paramref name="capacity"/> facts, filled by the engine.</summary>
    internal EvidenceDictionary(int capacity = 4)
    {
        entries = capacity == 0 ? Array.Empty<string>() : new string[capacity * 2];
    }

    /// <summary>A copy of other evidence, in its order.</summary>
    public static EvidenceDictionary From(IEnumerable<KeyValuePair<string, string>> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence is EvidenceDictionary { frozen: true } map)
        {
            return map;
        }

        var copy = new EvidenceDictionary(evidence is IReadOnlyCollection<KeyValuePair<string, string>> sized ? sized.Count : 4);
        foreach (KeyValuePair<string, string> fact in evidence)
        {
            copy[fact.Key] = fact.Value;
        }

        return copy.Freeze();
    }

    /// <summary>The value of a fact; setting one (engine only, before a finding holds the map) adds or replaces it.</summary>
    public string this[string key]
    {
        get => IndexOf(key) is int at and >= 0 ? entries[at + 1] : throw new KeyNotFoundException($"The evidence has no '{key}'.");
        internal set
        {
            ArgumentNullException.ThrowIfNull(key);
            if (frozen)
            {
                throw new InvalidOperationException("A finding's evidence cannot change.");
            }

            int at = IndexOf(key);
            if (at >= 0)
            {
                entries[at + 1] = value ?? string.Empty;
                return;
            }

            if (count * 2 == entries.Length)
            {
                Array.Resize(ref entries, Math.Max(4, entries.Length * 2));
            }

            entries[count * 2] = key;
            entries[count * 2 + 1] = value ?? string.Empty;
            count++;
        }
    }

    /// <summary>Marks the map read-only (a finding does this when it takes the map).</summary>
    internal EvidenceDictionary Freeze()
    {
        frozen = true;
        return this;
    }

    public int Count => count;

    public IEnumerable<string> Keys
    {
        get
        {
            for (int i = 0; i < count; i++)
            {
                yield return entries[i * 2];
            }
        }
    }

    public IEnumerable<string> Values
    {
        get
        {
            for (int i = 0; i < count; i++)
            {
                yield return entries[i * 2 + 1];
            }
        }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out string value)
    {
        int at = IndexOf(key);
        value = at >= 0 ? entries[at + 1] : null!;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (int i = 0; i < count; i++)
        {
            yield return new KeyValuePair<string, string>(entries[i * 2], entries[i * 2 + 1]);
        }
    }

    public override string ToString() => string.Join(", ", this.Select(fact => $"[{fact.Key}, {fact.Value}]"));

    // Keys are compared as Dictionary<string, string> compared them: ordinal, case-sensitive.
    private int IndexOf(string key)
    {
        for (int i = 0; i < count; i++)
        {
            if (string.Equals(entries[i * 2], key, StringComparison.Ordinal))
            {
                return i * 2;
            }
        }

        return -1;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The non-generic dictionary view, read-only: what PowerShell's member access and formatting use.
    bool IDictionary.IsFixedSize => true;

    bool IDictionary.IsReadOnly => true;

    ICollection IDictionary.Keys => Keys.ToArray();

    ICollection IDictionary.Values => Values.ToArray();

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => this;

    object? IDictionary.this[object key]
    {
        get => key is string text && TryGetValue(text, out string value) ? value : null;
        set => throw new NotSupportedException("A finding's evidence cannot change.");
    }

    bool IDictionary.Contains(object key) => key is string text && ContainsKey(text);

    void IDictionary.Add(object key, object? value) => throw new NotSupportedException("A finding's evidence cannot change.");

    void IDictionary.Clear() => throw new NotSupportedException("A finding's evidence cannot change.");

    void IDictionary.Remove(object key) => throw new NotSupportedException("A finding's evidence cannot change.");

    IDictionaryEnumerator IDictionary.GetEnumerator() => new EntryEnumerator(this);

    void ICollection.CopyTo(Array array, int index)
    {
        foreach (KeyValuePair<string, string> fact in this)
        {
            array.SetValue(new DictionaryEntry(fact.Key, fact.Value), index++);
        }
    }

    private sealed class EntryEnumerator(EvidenceDictionary map) : IDictionaryEnumerator
    {
        private int position = -1;

        public DictionaryEntry Entry => new(map.entries[position * 2], map.entries[position * 2 + 1]);

        public object Key => Entry.Key;

        public object? Value => Entry.Value;

        public object Current => Entry;

        public bool MoveNext() => ++position < map.count;

        public void Reset() => position = -1;
    }
}
