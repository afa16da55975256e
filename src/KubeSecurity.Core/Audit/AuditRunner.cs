using KubeSecurity.Core.Diagnostics;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>What an audit is asked to do.</summary>
public sealed record AuditOptions
{
    public DateTimeOffset AsOf { get; init; } = DateTimeOffset.UtcNow;
    public IReadOnlyCollection<string>? Categories { get; init; }
    public IReadOnlyCollection<string>? IncludeRules { get; init; }
    public IReadOnlyCollection<string>? ExcludeRules { get; init; }
    public Severity MinimumSeverity { get; init; } = Severity.Info;
    public bool RestrictedPodSecurity { get; init; }
    public IReadOnlyList<Suppression> Suppressions { get; init; } = Array.Empty<Suppression>();
    public string SuppressionSource { get; init; } = "suppressions";
    public IReadOnlySet<string>? BaselineKeys { get; init; }

    /// <summary>Whether the default RBAC roles and bindings are assumed where the input lacks them.</summary>
    public Rbac.DefaultRbacChoice DefaultRbac { get; init; } = Rbac.DefaultRbacChoice.Auto;

    /// <summary>The gate: findings at or above this severity (only new ones with a baseline) fail the audit.</summary>
    public Severity? FailOn { get; init; }
}

/// <summary>Everything an audit produced.</summary>
public sealed class AuditResult
{
    public List<Finding> Findings { get; } = new();
    public List<string> Problems { get; } = new();
    public HashSet<Finding> New { get; } = new();
    public AuditSummary? Summary { get; set; }

    /// <summary>The findings that fail the gate (<see cref="AuditOptions.FailOn"/>); empty without one.</summary>
    public List<Finding> Failing { get; } = new();
}

/// <summary>
/// Runs every area (coverage, certificates, RBAC, network, secrets, workloads) on one snapshot,
/// then applies filters and suppressions uniformly and summarises. An area whose kinds are missing
/// from a partial snapshot still runs on what there is, and the summary says what was not checked.
/// </summary>
public static class AuditRunner
{
    public static AuditResult Run(KubeSnapshot snapshot, AuditOptions options, IOperationReporter? reporter = null, CancellationToken cancellationToken = default) =>
        Run(snapshot, options, AuditAreas.All, reporter, cancellationToken);

    /// <summary>The audit over the given areas (tests replace one to prove a failing area costs only itself).</summary>
    internal static AuditResult Run(KubeSnapshot snapshot, AuditOptions options, IReadOnlyList<AuditArea> areas, IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        reporter ??= NullReporter.Instance;
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var result = new AuditResult();
        var raw = new List<Finding>(CoverageRules.Evaluate(snapshot));
        var evaluated = new HashSet<string>(CoverageRules.All.Select(r => r.Id), StringComparer.Ordinal);
        var notCheckable = new Dictionary<string, string>(StringComparer.Ordinal);
        var context = new AuditContext(snapshot, options, cancellationToken);
        // What the summary lists, by the area's declared position: the run order differs.
        var notes = new List<(int Area, string Note)>();
        var ranAt = new List<(int Area, string Name)>();
        List<(AuditArea Area, int Declared)> order = RunOrder(areas);
        int step = 0;
        for (int position = 0; position < order.Count; position++)
        {
            (AuditArea area, int declared) = order[position];
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsSelected(area, options))
            {
                notes.Add((declared, $"{area.Name}: not selected (-Category)"));
                continue;
            }

            reporter.Progress(new OperationProgress("Security audit", $"{area.Name} ({++step} of {areas.Count})", step * 100 / (areas.Count + 1)));
            List<MissingKind> missing = snapshot.MissingKinds.Where(m => area.Kinds.Contains(m.Kind, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                notes.Add((declared, $"{area.Name}: partial, {string.Join(", ", missing.Select(m => m.Kind))} not collected"));
            }
            else if (!area.Kinds.Any(snapshot.HasKind))
            {
                notes.Add((declared, $"{area.Name}: nothing to check (no {string.Join("/", area.Kinds)} in the input)"));
            }

            AreaOutcome outcome;
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            try
            {
                outcome = area.Run(context);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                // A defect or an input no area foresaw costs that area, not the audit: the others still
                // run, and the area's rules count as not evaluated, so no compliance control passes on it.
                result.Problems.Add($"{area.Name}: the analysis failed ({ex.GetType().Name}: {ex.Message}); its findings are missing from this audit");
                notes.Add((declared, $"{area.Name}: failed ({ex.GetType().Name})"));
                context.Drop(NotNeededAfter(order, position, options));
                continue;
            }

            ranAt.Add((declared, area.Name));
            raw.AddRange(outcome.Findings);
            result.Problems.AddRange(outcome.Problems);
            evaluated.UnionWith(AuditAreas.RulesOf(area, options));
            foreach ((string rule, string reason) in outcome.NotCheckable)
            {
                notCheckable.TryAdd(rule, reason);
            }

            if (area.Name == AuditAreas.Rbac.Name)
            {
                reporter.Verbose(context.Policy.AssumptionNote());
            }

            SharedModels held = context.Held;
            context.Drop(NotNeededAfter(order, position, options));
            ReclaimAfterArea(snapshot, context.Held != held, GC.GetTotalAllocatedBytes() - allocatedBefore);
        }

        List<string> ran = ranAt.OrderBy(r => r.Area).Select(r => r.Name).ToList();
        List<string> skipped = notes.OrderBy(n => n.Area).Select(n => n.Note).ToList();

        IEnumerable<Finding> filtered = raw.Where(f => f.Severity >= options.MinimumSeverity).Select(f => FindingOrigin.Stamp(f, snapshot));
        if (options.Categories is { Count: > 0 })
        {
            filtered = filtered.Where(f => options.Categories.Contains(f.Category, StringComparer.OrdinalIgnoreCase) || f.Category == "Coverage");
        }

        evaluated.RemoveWhere(id => RuleCatalog.TryGet(id, out SecurityRule rule) && (rule.MaximumSeverity < options.MinimumSeverity
            || (options.Categories is { Count: > 0 } && rule.Category != AuditAreas.CoverageCategory && !options.Categories.Contains(rule.Category, StringComparer.OrdinalIgnoreCase))));
        if (options.IncludeRules is { Count: > 0 })
        {
            List<Suppression> include = options.IncludeRules.Select(p => new Suppression(p, "*", "-", null)).ToList();
            filtered = filtered.Where(f => include.Any(p => p.Matches(f)));
            evaluated.RemoveWhere(id => !include.Any(p => p.MatchesRule(id)));
        }

        if (options.ExcludeRules is { Count: > 0 })
        {
            List<Suppression> exclude = options.ExcludeRules.Select(p => new Suppression(p, "*", "-", null)).ToList();
            filtered = filtered.Where(f => !exclude.Any(p => p.Matches(f)));
            evaluated.RemoveWhere(id => exclude.Any(p => p.MatchesRule(id)));
        }

        (List<Finding> kept, int suppressed) = Suppressions.Apply(filtered, options.Suppressions, options.AsOf, options.SuppressionSource);
        // Findings were stamped before suppressions could match contexts; this marks the findings of expired suppressions.
        for (int i = 0; i < kept.Count; i++)
        {
            kept[i] = FindingOrigin.Stamp(kept[i], snapshot);
        }

        result.Findings.AddRange(kept.OrderByDescending(f => f.Severity).ThenBy(f => f.Category, StringComparer.Ordinal).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource, ResourceTextOrder.Instance));
        if (options.BaselineKeys is not null)
        {
            result.New.UnionWith(result.Findings.Where(f => !options.BaselineKeys.Contains(ReportJson.Key(f))));
        }

        if (options.FailOn is Severity threshold)
        {
            result.Failing.AddRange(result.Findings.Where(f => f.Severity >= threshold && (options.BaselineKeys is null || result.New.Contains(f))));
        }

        reporter.Progress(new OperationProgress("Security audit", "Done", 100, Completed: true));
        result.Summary = new AuditSummary(snapshot.Cluster, snapshot.Context, started, DateTimeOffset.UtcNow - started, result.Findings.Count,
            Enum.GetValues<Severity>().OrderByDescending(s => s).ToDictionary(s => s.ToString(), s => result.Findings.Count(f => f.Severity == s)),
            result.Findings.GroupBy(f => f.Category).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            suppressed, options.BaselineKeys is null ? result.Findings.Count : result.New.Count, ran, skipped)
        {
            FailOn = options.FailOn,
            FailingCount = result.Failing.Count,
            AsOf = options.AsOf,
            Sources = SourcesOf(snapshot),
            EvaluatedRules = evaluated.Order(StringComparer.Ordinal).ToList(),
            NotCheckableRules = notCheckable.Where(p => evaluated.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        };
        return result;
    }

    /// <summary>
    /// After an area of a large audit that dropped a shared model or allocated much, starts a
    /// background collection of the whole heap. What the area left behind has mostly been promoted
    /// to the oldest generation, which the GC would otherwise only collect once the heap had grown
    /// past it: the next areas' findings then take new memory instead of the space it held, and
    /// the audit's peak grows by that much. The collection runs beside the audit on the other core.
    /// </summary>
    private static void ReclaimAfterArea(KubeSnapshot snapshot, bool droppedModel, long allocated)
    {
        if (snapshot.ObjectCount >= LargeAuditObjects && (droppedModel || allocated >= ReclaimAfterAllocating))
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: false);
        }
    }

    // Below this, an audit's whole heap is a few tens of megabytes: not worth a collection.
    private const int LargeAuditObjects = 20_000;
    private const long ReclaimAfterAllocating = 64L << 20;

    // The RBAC area also runs for -Category Secrets: secret exposure is decided by RBAC.
    private static bool IsSelected(AuditArea area, AuditOptions options) =>
        options.Categories is not { Count: > 0 } || options.Categories.Contains(area.Category, StringComparer.OrdinalIgnoreCase)
        || (area.Name == AuditAreas.Rbac.Name && options.Categories.Contains(AuditAreas.Secrets.Category, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// An area that allocates much and keeps little runs first (certificates). Then areas that share
    /// the RBAC policy or the network model, those using most of them first, so that each model is
    /// dropped after its last area and the findings of the areas after it do not pile up beside it;
    /// otherwise the declared order.
    /// </summary>
    private static List<(AuditArea Area, int Declared)> RunOrder(IReadOnlyList<AuditArea> areas) =>
        areas.Select((area, index) => (area, index))
            .OrderByDescending(a => a.area.RunsFirst)
            .ThenByDescending(a => System.Numerics.BitOperations.PopCount((uint)a.area.Uses))
            .ThenBy(a => a.index)
            .ToList();

    /// <summary>The shared models no selected area after this position reads.</summary>
    private static SharedModels NotNeededAfter(List<(AuditArea Area, int Declared)> order, int position, AuditOptions options)
    {
        SharedModels needed = SharedModels.None;
        for (int later = position + 1; later < order.Count; later++)
        {
            if (IsSelected(order[later].Area, options))
            {
                needed |= order[later].Area.Uses;
            }
        }

        return (SharedModels.RbacPolicy | SharedModels.NetworkModel) & ~needed;
    }

    /// <summary>Where the snapshot's objects came from, as a report names them: the cluster's address, or the files read.</summary>
    private static List<string> SourcesOf(KubeSnapshot snapshot) =>
        snapshot.Source == SnapshotSource.Live
            ? new List<string> { snapshot.Server ?? snapshot.Context ?? "live cluster" }
            : snapshot.Origins.Take(20).Append(snapshot.Origins.Count > 20 ? $"and {snapshot.Origins.Count - 20} more" : null).OfType<string>().ToList();
}
