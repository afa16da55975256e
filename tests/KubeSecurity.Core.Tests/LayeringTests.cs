using System.Reflection;
using System.Reflection.Emit;
using KubeSecurity.Core.Rules;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// The folders of the engine (one namespace each under KubeSecurity.Core) depend on each other in
/// one direction only. Dependencies are read from the compiled assembly: signatures, base types,
/// fields, attributes and every type and member a method body touches (IL tokens), so a reference
/// hidden in a lambda or an async method counts as well.
/// </summary>
public class LayeringTests
{
    // Folders that the analyses build on; none of them may reach into an analysis area.
    private static readonly string[] Foundations = { "Diagnostics", "Rules", "Credentials", "Snapshots", "Selectors" };

    private static readonly string[] AnalysisAreas = { "Certificates", "Rbac", "Network", "Secrets", "Workloads", "ControlPlane", "AttackPaths", "AuditLog", "Audit", "Repair" };

    private static readonly Lazy<Dictionary<string, HashSet<string>>> Graph = new(BuildGraph);

    [Fact]
    public void The_folders_form_no_cycle()
    {
        Dictionary<string, HashSet<string>> graph = Graph.Value;
        Assert.True(graph.Count >= 15, $"only {graph.Count} folders were found: {string.Join(", ", graph.Keys)}");
        List<string>? cycle = FindCycle(graph);
        Assert.True(cycle is null, $"dependency cycle: {string.Join(" -> ", cycle ?? new List<string>())}");
    }

    [Fact]
    public void Foundations_reach_into_no_analysis_area()
    {
        foreach (string foundation in Foundations)
        {
            IEnumerable<string> wrong = Graph.Value.GetValueOrDefault(foundation, new HashSet<string>()).Intersect(AnalysisAreas.Append("Redaction").Append("Manifests"));
            Assert.True(!wrong.Any(), $"{foundation} uses {string.Join(", ", wrong)}");
        }

        Assert.Empty(Graph.Value["Credentials"]);
        Assert.Empty(Graph.Value["Rules"]);
    }

    [Fact]
    public void Reading_audit_logs_is_apart_from_the_security_audit()
    {
        Assert.DoesNotContain("Audit", Graph.Value["AuditLog"]);
        Assert.DoesNotContain("Audit", Graph.Value["Rbac"]);
        Assert.Contains("AuditLog", Graph.Value["Rbac"]);
    }

    [Fact]
    public void The_graph_sees_references_inside_method_bodies()
    {
        // Workloads uses Snapshots only inside method bodies (JsonRead calls); Audit uses every area.
        Assert.Contains("Snapshots", Graph.Value["Workloads"]);
        Assert.Superset(new HashSet<string> { "Certificates", "Rbac", "Network", "Secrets", "Workloads" }, Graph.Value["Audit"]);
    }

    /// <summary>The folder graph, for the closing notes of changes that move code between folders.</summary>
    public static string Describe() =>
        string.Join(Environment.NewLine, Graph.Value.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} -> {string.Join(", ", p.Value.Order(StringComparer.Ordinal))}"));

    private static Dictionary<string, HashSet<string>> BuildGraph()
    {
        Assembly core = typeof(RuleCatalog).Assembly;
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Type type in core.GetTypes())
        {
            if (Folder(type) is not string from)
            {
                continue;
            }

            HashSet<string> uses = graph.TryGetValue(from, out HashSet<string>? set) ? set : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (Type used in ReferencedTypes(type))
            {
                if (Folder(used) is string to && to != from)
                {
                    uses.Add(to);
                }
            }
        }

        return graph;
    }

    private static string? Folder(Type type)
    {
        string? ns = (type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type).Namespace;
        const string Prefix = "KubeSecurity.Core.";
        if (ns is null || !ns.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        string rest = ns[Prefix.Length..];
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        void Add(Type? t)
        {
            if (t is null)
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }

            found.Add(t);
            if (t.IsGenericType)
            {
                foreach (Type argument in t.GetGenericArguments())
                {
                    if (!argument.IsGenericParameter)
                    {
                        Add(argument);
                    }
                }
            }
        }

        Add(type.BaseType);
        foreach (Type i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (CustomAttributeData attribute in type.GetCustomAttributesData())
        {
            Add(attribute.AttributeType);
        }

        foreach (FieldInfo field in type.GetFields(All))
        {
            Add(field.FieldType);
        }

        foreach (PropertyInfo property in type.GetProperties(All))
        {
            Add(property.PropertyType);
        }

        foreach (MethodBase method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (ParameterInfo parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (Type used in BodyReferences(method))
            {
                Add(used);
            }
        }

        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    // Walks the IL and resolves every token operand (calls, field access, newobj, casts, ldtoken...).
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        Module module = method.Module;
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out OpCode opCode))
            {
                yield break;
            }

            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, at);
                    MemberInfo? member = null;
                    try
                    {
                        member = module.ResolveMember(token, typeArguments, methodArguments);
                    }
                    catch (ArgumentException)
                    {
                        // A token into a generic context the resolver cannot close; its declaring type is still in the signature pass.
                    }

                    if (member is Type t)
                    {
                        yield return t;
                    }
                    else if (member is not null)
                    {
                        yield return member.DeclaringType!;
                        if (member is MethodInfo m)
                        {
                            yield return m.ReturnType;
                        }
                        else if (member is FieldInfo f)
                        {
                            yield return f.FieldType;
                        }
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (string next in graph.GetValueOrDefault(node, new HashSet<string>()).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return path.Skip(path.IndexOf(next)).Append(next).ToList();
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (string node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
