namespace KubeSecurity.Core.Network.Calico;

/// <summary>
/// A Calico selector expression: <c>key == 'v'</c>, <c>!=</c>, <c>in {'a','b'}</c>, <c>not in</c>,
/// <c>has(key)</c>, <c>contains</c>, <c>starts with</c>, <c>ends with</c>, <c>all()</c>, combined with
/// <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses. Anything else (<c>global()</c>, say) is
/// a <see cref="FormatException"/>, so the policy is reported as not modeled rather than guessed.
/// </summary>
public sealed class CalicoSelector
{
    private readonly Func<IReadOnlyDictionary<string, string>, bool> matches;

    private CalicoSelector(Func<IReadOnlyDictionary<string, string>, bool> matches, string text)
    {
        this.matches = matches;
        Text = text;
    }

    public string Text { get; }

    public static CalicoSelector All { get; } = new(_ => true, "all()");

    public bool Matches(IReadOnlyDictionary<string, string> labels) => matches(labels);

    public override string ToString() => Text;

    public static CalicoSelector Parse(string text)
    {
        var parser = new Parser(text);
        Func<IReadOnlyDictionary<string, string>, bool> expression = text.Trim().Length == 0 ? _ => true : parser.ParseOr();
        parser.ExpectEnd();
        return new CalicoSelector(expression, text);
    }

    private sealed class Parser(string text)
    {
        private int position;

        public void ExpectEnd()
        {
            SkipSpace();
            if (position < text.Length)
            {
                throw Error($"unexpected '{text[position..]}'");
            }
        }

        public Func<IReadOnlyDictionary<string, string>, bool> ParseOr()
        {
            var left = ParseAnd();
            while (Accept("||"))
            {
                var l = left;
                var right = ParseAnd();
                left = labels => l(labels) || right(labels);
            }

            return left;
        }

        private Func<IReadOnlyDictionary<string, string>, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (Accept("&&"))
            {
                var l = left;
                var right = ParseUnary();
                left = labels => l(labels) && right(labels);
            }

            return left;
        }

        private Func<IReadOnlyDictionary<string, string>, bool> ParseUnary()
        {
            if (Accept("!") && !Peek("="))
            {
                var inner = ParseUnary();
                return labels => !inner(labels);
            }

            if (Accept("("))
            {
                var inner = ParseOr();
                Expect(")");
                return inner;
            }

            if (AcceptWord("all"))
            {
                Expect("(");
                Expect(")");
                return _ => true;
            }

            if (AcceptWord("has"))
            {
                Expect("(");
                string key = Identifier();
                Expect(")");
                return labels => labels.ContainsKey(key);
            }

            string label = Identifier();
            if (Accept("=="))
            {
                string value = Literal();
                return labels => labels.TryGetValue(label, out string? v) && v == value;
            }

            if (Accept("!="))
            {
                string value = Literal();
                return labels => !labels.TryGetValue(label, out string? v) || v != value;
            }

            if (AcceptWord("in"))
            {
                HashSet<string> set = Set();
                return labels => labels.TryGetValue(label, out string? v) && set.Contains(v);
            }

            if (AcceptWord("not"))
            {
                if (!AcceptWord("in"))
                {
                    throw Error("expected 'in' after 'not'");
                }

                HashSet<string> set = Set();
                return labels => !labels.TryGetValue(label, out string? v) || !set.Contains(v);
            }

            if (AcceptWord("contains"))
            {
                string value = Literal();
                return labels => labels.TryGetValue(label, out string? v) && v.Contains(value, StringComparison.Ordinal);
            }

            if (AcceptWord("starts"))
            {
                ExpectWord("with");
                string value = Literal();
                return labels => labels.TryGetValue(label, out string? v) && v.StartsWith(value, StringComparison.Ordinal);
            }

            if (AcceptWord("ends"))
            {
                ExpectWord("with");
                string value = Literal();
                return labels => labels.TryGetValue(label, out string? v) && v.EndsWith(value, StringComparison.Ordinal);
            }

            throw Error($"expected an operator after '{label}'");
        }

        private HashSet<string> Set()
        {
            Expect("{");
            var values = new HashSet<string>(StringComparer.Ordinal);
            SkipSpace();
            if (!Accept("}"))
            {
                do
                {
                    values.Add(Literal());
                }
                while (Accept(","));
                Expect("}");
            }

            return values;
        }

        private string Identifier()
        {
            SkipSpace();
            int start = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '.' or '/' or '-' or '_'))
            {
                position++;
            }

            if (start == position)
            {
                throw Error("expected a label name");
            }

            string word = text[start..position];
            SkipSpace();
            if (position < text.Length && text[position] == '(')
            {
                throw Error($"the function '{word}()' is not supported");
            }

            return word;
        }

        private string Literal()
        {
            SkipSpace();
            if (position >= text.Length || text[position] is not ('\'' or '"'))
            {
                throw Error("expected a quoted value");
            }

            char quote = text[position++];
            int end = text.IndexOf(quote, position);
            if (end < 0)
            {
                throw Error("unterminated string");
            }

            string value = text[position..end];
            position = end + 1;
            return value;
        }

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private bool Peek(string token) => string.CompareOrdinal(text, position, token, 0, token.Length) == 0;

        private bool Accept(string token)
        {
            SkipSpace();
            if (Peek(token))
            {
                position += token.Length;
                return true;
            }

            return false;
        }

        private bool AcceptWord(string word)
        {
            SkipSpace();
            int end = position + word.Length;
            if (Peek(word) && (end >= text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '/' or '-' or '_')))
            {
                position = end;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw Error($"expected '{token}'");
            }
        }

        private void ExpectWord(string word)
        {
            if (!AcceptWord(word))
            {
                throw Error($"expected '{word}'");
            }
        }

        private FormatException Error(string message) => new($"selector \"{text}\": {message} at position {position}");
    }
}
