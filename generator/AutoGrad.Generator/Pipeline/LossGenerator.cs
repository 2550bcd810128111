using System;
using AutoGrad.Generator.Diagnostics;
using AutoGrad.Generator.Emit;
using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Parse;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Pipeline;

/// <summary>The generated file of one loss, as a value, or why it could not be written.</summary>
/// <param name="HintName">The file name.</param>
/// <param name="Text">The C# source (empty on failure).</param>
/// <param name="Failure">AG9999 when emission failed.</param>
internal sealed record GeneratedFile(string HintName, string Text, DiagnosticInfo? Failure);

/// <summary>
/// The AutoGrad incremental generator. Read finds the [Loss] and [GradientOf] methods of a
/// compilation (binding only the files that can read differently, <see cref="SourceReader"/>); then,
/// for each [Loss] method: Parse (syntax and symbols → <see cref="LossModel"/>), Derive (differentiate, simplify,
/// stabilize → <see cref="DerivedLoss"/>), Emit (→ <see cref="GeneratedFile"/>). Every step hands
/// over an immutable value with value equality, so an edit elsewhere re-runs nothing past Parse.
/// Diagnostics are a separate output, so a diagnostic change never re-emits source.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class LossGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incremental-caching tests.</summary>
    public static class Steps
    {
        public const string Read = "AutoGrad.Read";
        public const string Parse = "AutoGrad.Parse";
        public const string Spec = "AutoGrad.Spec";
        public const string Derive = "AutoGrad.Derive";
        public const string Failures = "AutoGrad.Failures";
        public const string Emit = "AutoGrad.Emit";
        public const string Diagnostics = "AutoGrad.Diagnostics";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Every compilation change reaches Read; it binds only the files whose reading can have changed.
        var read = context.CompilationProvider
            .Select(static (compilation, ct) => SourceReader.Read(compilation, ct))
            .WithTrackingName(Steps.Read);

        var parsed = read
            .SelectMany(static (r, _) => r.Losses)
            .WithTrackingName(Steps.Parse);

        // Derivation sees the loss without source positions: a loss moved by an edit above it is not derived again.
        var specs = parsed
            .Select(static (model, _) => model.WithoutLocations())
            .WithTrackingName(Steps.Spec);

        var derived = specs
            .Select(static (model, _) => Deriver.Derive(model))
            .WithTrackingName(Steps.Derive);

        InitializeGradientOf(read, derived, context);

        var files = derived
            .Where(static d => d.Succeeded)
            .Select(static (d, _) => EmitSafely(d))
            .WithTrackingName(Steps.Emit);

        // Derive and emit failures (rare; usually none) are put back at their method by the diagnostics step.
        var failures = derived
            .Where(static d => d.Diagnostics.Count > 0)
            .Select(static (d, _) => new LossFailure(d.Model.HintName, d.Diagnostics))
            .Collect()
            .Combine(files
                .Where(static f => f.Failure is not null)
                .Select(static (f, _) => new LossFailure(f.HintName, new EquatableArray<DiagnosticInfo>(new[] { f.Failure! })))
                .Collect())
            .Select(static (pair, _) => pair.Left.AddRange(pair.Right).ToEquatableArray())
            .WithTrackingName(Steps.Failures);

        var diagnostics = parsed
            .Combine(failures)
            .Select(static (pair, _) => Deriver.Diagnostics(pair.Left, pair.Right))
            .WithTrackingName(Steps.Diagnostics);

        context.RegisterSourceOutput(files, static (spc, file) =>
        {
            if (file.Failure is null) spc.AddSource(file.HintName, file.Text);
        });

        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list) spc.ReportDiagnostic(d.ToDiagnostic());
        });
    }

    private static GeneratedFile EmitSafely(DerivedLoss d)
    {
        try
        {
            return new GeneratedFile(d.Model.HintName, LossEmitter.Emit(d), null);
        }
        catch (Exception ex)
        {
            // Nothing is generated for this loss; the others are unaffected.
            return new GeneratedFile(d.Model.HintName, "",
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalFailure, d.Model.Location, d.Model.MethodName, ex.GetType().Name + ": " + ex.Message));
        }
    }
}
