using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Diagnostics;
using AutoGrad.Generator.Differentiate;
using AutoGrad.Generator.Emit;
using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Simplify;
using AutoGrad.Generator.Stabilize;

namespace AutoGrad.Generator.Pipeline;

/// <summary>
/// The derive stage's result: the loss and its simplified, stabilized gradients in one DAG (so
/// emission shares their common subexpressions), the formulas as printed, and diagnostics.
/// </summary>
/// <param name="Model">The parsed loss.</param>
/// <param name="Code">Roots: the stabilized loss, then one gradient per differentiated parameter in declaration order.</param>
/// <param name="LossFormula">The loss as the generated code computes it.</param>
/// <param name="GradientFormulas">The printed gradients, parallel to <see cref="Differentiated"/>.</param>
/// <param name="Differentiated">Indices of the differentiated parameters.</param>
/// <param name="Diagnostics">AG0006 notes and AG9999 failures.</param>
internal sealed record DerivedLoss(
    LossModel Model,
    ExprDag? Code,
    string LossFormula,
    EquatableArray<string> GradientFormulas,
    EquatableArray<int> Differentiated,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool Succeeded => Code is not null;
}

/// <summary>Diagnostics of the derive or emit stage for one loss, made without source positions.</summary>
/// <param name="HintName">The loss's generated file name, which identifies it.</param>
/// <param name="Diagnostics">What went wrong (AG9999).</param>
internal sealed record LossFailure(string HintName, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Differentiate, simplify, stabilize: from a parsed loss to its closed-form gradients.</summary>
internal static class Deriver
{
    /// <summary>Tests set this to make the derive stage fail, to prove failures become AG9999.</summary>
    internal static Action<LossModel>? FailureInjection { get; set; }

    public static DerivedLoss Derive(LossModel model)
    {
        var differentiated = model.Parameters
            .Select((p, i) => (p, i))
            .Where(t => t.p.Role == ParameterRole.Differentiated)
            .Select(t => t.i)
            .ToEquatableArray();
        var notes = model.NonSmooth
            .Select(s => DiagnosticInfo.Create(DiagnosticDescriptors.NonSmooth, s.Location, s.Construct, OneSidedRule(s.Construct)))
            .ToList();

        if (model.Loss is null)
        {
            return new DerivedLoss(model, null, "", EquatableArray<string>.Empty, differentiated, EquatableArray<DiagnosticInfo>.Empty);
        }

        try
        {
            FailureInjection?.Invoke(model);
            var b = new ExprBuilder();
            var map = b.Import(model.Loss);
            int root = map[model.Loss.Root];
            var parameters = differentiated.Select(i => b.Param(i, model.Parameters[i].IsVector ? Shape.Vector : Shape.Scalar)).ToList();

            var gradients = ReverseMode.Gradients(b, root, parameters);
            var facts = new Facts(model.Parameters.Select((p, i) => (p, i)).Where(t => t.p.SumsToOne).Select(t => t.i).ToList());
            var simplifier = new Simplifier(b, facts);
            var simplified = gradients.Select(simplifier.Simplify).ToList();
            var stable = StabilityRules.Apply(b, new[] { root }.Concat(simplified).ToList());

            var dag = b.Extract(stable);
            var names = model.Parameters.Select(p => p.Name).ToList();
            var printer = new ExpressionPrinter(dag, names, PrintMode.Display);
            string loss = printer.Print(dag.Roots[0]);
            var formulas = dag.Roots.Skip(1).Select(printer.Print).ToEquatableArray();
            return new DerivedLoss(model, dag, loss, formulas, differentiated, notes.ToEquatableArray());
        }
        catch (Exception ex)
        {
            notes.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalFailure, model.Location, model.MethodName, ex.GetType().Name + ": " + ex.Message));
            return new DerivedLoss(model, null, "", EquatableArray<string>.Empty, differentiated, notes.ToEquatableArray());
        }
    }

    /// <summary>
    /// Every diagnostic of one loss, in place: the parse stage's, the AG0006 notes, and the derive and emit
    /// failures of that loss (which were made from a model without positions) put at the method's name.
    /// </summary>
    public static EquatableArray<DiagnosticInfo> Diagnostics(LossModel located, IEnumerable<LossFailure> failures)
    {
        var all = new List<DiagnosticInfo>(located.Diagnostics);
        all.AddRange(located.NonSmooth.Select(s => DiagnosticInfo.Create(DiagnosticDescriptors.NonSmooth, s.Location, s.Construct, OneSidedRule(s.Construct))));
        foreach (var failure in failures)
        {
            if (failure.HintName != located.HintName) continue;
            all.AddRange(failure.Diagnostics.Select(d => d.Location is null ? d with { Location = located.Location } : d));
        }
        return all.ToEquatableArray();
    }

    private static string OneSidedRule(string construct) => construct switch
    {
        "Abs" => "its derivative is Sign(x), which is 0 at x = 0",
        "Max" => "the gradient goes to the larger argument, to the first on a tie",
        "Min" => "the gradient goes to the smaller argument, to the first on a tie",
        "Clamp" => "the gradient is 1 inside [lo, hi] and 0 outside",
        "Sign" => "its derivative is taken as 0",
        _ => "the gradient follows the branch the condition selects; the condition itself is not differentiated",
    };
}
