using System.Linq;
using AutoGrad.Generator.Diagnostics;
using AutoGrad.Generator.Helpers;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Model;

/// <summary>A diagnostic to report, as a value: descriptor id, where, and the message arguments.</summary>
/// <param name="Id">The AG id, e.g. AG0003.</param>
/// <param name="Location">Where it points, if anywhere.</param>
/// <param name="Arguments">The message format arguments.</param>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Arguments.Cast<object>().ToArray());
}
