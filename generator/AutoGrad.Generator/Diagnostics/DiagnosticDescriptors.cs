using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Diagnostics;

/// <summary>Every diagnostic AutoGrad reports. The README's "Diagnostics" section explains each id.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AutoGrad";

    /// <summary>
    /// The README's anchors in the public repository (<c>RepositoryUrl</c> in Directory.Build.props, carried into this
    /// assembly's metadata); each id links to <c>#agNNNN</c>. Null while no repository address is set: a help link must
    /// lead somewhere real. (Declared before the descriptors, which read it.)
    /// </summary>
    internal static readonly string? HelpBase = typeof(DiagnosticDescriptors).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "AutoGrad.RepositoryUrl" && !string.IsNullOrEmpty(a.Value))?.Value is { } url
            ? url.TrimEnd('/') + "/blob/main/README.md#"
            : null;

    private static DiagnosticDescriptor Make(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase is null ? null : HelpBase + id.ToLowerInvariant());

    public static readonly DiagnosticDescriptor NotStaticOrNotPartial = Make("AG0001",
        "[Loss] method must be static in a partial type",
        "{0}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedSignature = Make("AG0002",
        "Unsupported parameter or return type in a [Loss] method",
        "{0}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Make("AG0003",
        "Unsupported construct in a [Loss] body",
        "{0}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedCall = Make("AG0004",
        "Call that AutoGrad cannot differentiate",
        "AutoGrad cannot differentiate a call to '{0}': {1}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor GradientMismatch = Make("AG0005",
        "Hand-written gradient differs from the derived one",
        "{0}",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NonSmooth = Make("AG0006",
        "Non-smooth function differentiated by its one-sided rule",
        "'{0}' is not differentiable everywhere; AutoGrad uses its one-sided rule ({1})",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor InternalFailure = Make("AG9999",
        "AutoGrad internal failure",
        "AutoGrad could not generate code for '{0}': {1}. Nothing was generated for this method; please report this.",
        DiagnosticSeverity.Warning);

    private static readonly Dictionary<string, DiagnosticDescriptor> All = new[]
    {
        NotStaticOrNotPartial, UnsupportedSignature, UnsupportedConstruct, UnsupportedCall, GradientMismatch, NonSmooth, InternalFailure,
    }.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => All[id];

    public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Values;
}
