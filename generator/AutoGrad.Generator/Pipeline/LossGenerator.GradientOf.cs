using System.Collections.Immutable;
using System.Linq;
using AutoGrad.Generator.Compare;
using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Pipeline;

/// <summary>
/// Derived against hand-written: each [GradientOf] method is parsed into a
/// <see cref="HandWrittenGradient"/>, matched by containing type and name with the derived losses,
/// and compared (<see cref="GradientComparer"/>). The result is diagnostics only (AG0005); nothing is
/// generated. Every step's value compares by value, so editing an unrelated file, or an unrelated
/// loss, re-runs no comparison.
/// </summary>
public sealed partial class LossGenerator
{
    /// <summary>Tracking names of the [GradientOf] steps, for incremental-caching tests.</summary>
    public static class GradientOfSteps
    {
        public const string Parse = "AutoGrad.GradientOf.Parse";
        public const string Match = "AutoGrad.GradientOf.Match";
        public const string Compare = "AutoGrad.GradientOf.Compare";
    }

    private static void InitializeGradientOf(IncrementalValueProvider<SourceRead> read, IncrementalValuesProvider<DerivedLoss> derived, IncrementalGeneratorInitializationContext context)
    {
        var handWritten = read
            .SelectMany(static (r, _) => r.HandWritten)
            .WithTrackingName(GradientOfSteps.Parse);

        var checks = handWritten
            .Combine(derived.Collect())
            .Select(static (pair, _) => Match(pair.Left, pair.Right))
            .WithTrackingName(GradientOfSteps.Match);

        var diagnostics = checks
            .Select(static (check, _) => GradientComparer.CompareSafely(check))
            .WithTrackingName(GradientOfSteps.Compare);

        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list) spc.ReportDiagnostic(d.ToDiagnostic());
        });
    }

    /// <summary>The hand-written gradient with only the losses it can mean, so the comparison is cached on just those.</summary>
    private static GradientOfCheck Match(HandWrittenGradient hand, ImmutableArray<DerivedLoss> losses) =>
        new(hand, losses
            .Where(l => l.Model.MethodName == hand.LossName && GradientOfKeys.Of(l.Model) == hand.LossTypeKey)
            .ToEquatableArray());
}
