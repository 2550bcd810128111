using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Diagnostics;
using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Pipeline;
using AutoGrad.Generator.Simplify;

namespace AutoGrad.Generator.Compare;

/// <summary>
/// Compares a hand-written gradient with the derived one. First the signatures (the loss's
/// parameters; a tuple for several differentiated parameters, named after them; or one named
/// parameter). Then the forms: both sides are put into one <see cref="ExprBuilder"/> and simplified,
/// and equal canonical forms (the same node id) pass. Otherwise both are evaluated at seeded points
/// of the loss's domain (<see cref="DomainSampler"/>), skipping points where the loss or either
/// gradient is not finite, and any point where they differ by more than
/// <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> · max(|a|, |b|) is reported as
/// AG0005 at the hand-written method, with one point (the first, in seeded order, where they differ by
/// more than a thousand tolerances, else the worst) and both values there.
/// Every problem with a [GradientOf] method is reported as AG0005 (a warning), so one id covers the
/// feature and can be raised to an error in .editorconfig or with WarningsAsErrors.
/// </summary>
internal static class GradientComparer
{
    /// <summary>Points drawn per comparison.</summary>
    public const int Points = 256;

    public const double RelativeTolerance = 1e-6;

    public const double AbsoluteTolerance = 1e-9;

    /// <summary>A difference this many times the tolerance is clear enough to show as the example point.</summary>
    private const double ClearlyDifferent = 1000;

    /// <summary>The comparison, or AG9999 if it failed; never throws.</summary>
    public static EquatableArray<DiagnosticInfo> CompareSafely(GradientOfCheck check)
    {
        try
        {
            return Compare(check).ToEquatableArray();
        }
        catch (Exception ex)
        {
            return new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalFailure, check.Hand.Location, check.Hand.MethodName, ex.GetType().Name + ": " + ex.Message),
            }.ToEquatableArray();
        }
    }

    public static IEnumerable<DiagnosticInfo> Compare(GradientOfCheck check)
    {
        var h = check.Hand;
        if (h.Diagnostics.Count > 0) return h.Diagnostics;

        DiagnosticInfo[] Report(string message) => new[] { DiagnosticInfo.Create(DiagnosticDescriptors.GradientMismatch, h.Location, message) };

        if (check.Candidates.Count == 0)
        {
            return Report($"'{h.MethodName}' is marked [GradientOf(\"{h.LossName}\")], but there is no [Loss] method named '{h.LossName}' in {GradientOfKeys.Display(h.LossTypeKey)}; "
                + "mark the loss [Loss], or name a loss declared in another type with nameof(Type.Method)");
        }

        var derived = check.Candidates.FirstOrDefault(c => SameParameters(c.Model, h));
        if (derived is null)
        {
            string losses = check.Candidates.Count == 1
                ? $"the loss '{h.LossName}' takes ({Signature(check.Candidates[0].Model)})"
                : $"none of the {check.Candidates.Count} [Loss] overloads named '{h.LossName}' does: " + string.Join("; ", check.Candidates.Select(c => "(" + Signature(c.Model) + ")"));
            return Report($"'{h.MethodName}' does not take the parameters of '{h.LossName}': it takes ({Signature(h)}), {losses}. "
                + "A [GradientOf] method takes the loss's parameters, in the same order and with the same types");
        }

        var model = derived.Model;
        var differentiated = derived.Differentiated.ToList();
        var compared = new List<int>();
        if (h.Parameter is { } named)
        {
            int index = model.Parameters.ToList().FindIndex(p => p.Name == named);
            if (index < 0)
            {
                return Report($"[GradientOf] on '{h.MethodName}' names the parameter '{named}', but '{h.LossName}' has no parameter of that name; its differentiated parameters are {Names(model, differentiated)}");
            }
            if (model.Parameters[index].Role != ParameterRole.Differentiated)
            {
                string role = model.Parameters[index].Role == ParameterRole.Target ? "[Target]" : "[Constant]";
                return Report($"[GradientOf] on '{h.MethodName}' names the parameter '{named}', but it is a {role} parameter of '{h.LossName}' and is not differentiated; name one of {Names(model, differentiated)}");
            }
            compared.Add(index);
        }
        else
        {
            compared.AddRange(differentiated);
        }

        // A loss with nothing to differentiate has no gradient to compare; its own AG0002 says so.
        if (compared.Count == 0) return Array.Empty<DiagnosticInfo>();
        if (ReturnProblem(h, model, compared) is { } returnProblem) return Report(returnProblem);

        // The loss's own diagnostics say why it has no body to compare with.
        if (model.Loss is null) return Array.Empty<DiagnosticInfo>();
        if (!derived.Succeeded || derived.Code is null)
        {
            return Report($"'{h.MethodName}' cannot be compared: AutoGrad could not derive the gradient of '{h.LossName}' (see AG9999)");
        }
        if (h.BodyProblem is not null) return new[] { h.BodyProblem };
        if (h.Body is null) return Array.Empty<DiagnosticInfo>();

        return CompareValues(h, derived, compared);
    }

    private static IEnumerable<DiagnosticInfo> CompareValues(HandWrittenGradient h, DerivedLoss derived, List<int> compared)
    {
        var model = derived.Model;
        var code = derived.Code!;
        var b = new ExprBuilder();
        var derivedMap = b.Import(code);
        var handMap = b.Import(h.Body!);
        var facts = new Facts(model.Parameters.Select((p, i) => (p, i)).Where(t => t.p.SumsToOne).Select(t => t.i).ToList());
        var simplifier = new Simplifier(b, facts);

        int lossRoot = derivedMap[code.Roots[0]];
        var derivedRoots = new List<int>();
        var handRoots = new List<int>();
        var formulas = new List<string>();
        var names = new List<string>();
        var differentiated = derived.Differentiated.ToList();
        for (int k = 0; k < compared.Count; k++)
        {
            int position = differentiated.IndexOf(compared[k]);
            int d = derivedMap[code.Roots[1 + position]];
            int hw = handMap[h.Body!.Roots[k]];
            // Equal canonical forms: the same node in the same builder.
            if (d == hw || simplifier.Simplify(d) == simplifier.Simplify(hw)) continue;
            derivedRoots.Add(d);
            handRoots.Add(hw);
            formulas.Add(derived.GradientFormulas[position]);
            names.Add(model.Parameters[compared[k]].Name);
        }
        if (derivedRoots.Count == 0) return Array.Empty<DiagnosticInfo>();

        var dag = b.Extract(new[] { lossRoot }.Concat(derivedRoots).Concat(handRoots).ToList());
        int n = derivedRoots.Count;
        var sampler = new DomainSampler();
        var parameters = model.Parameters.ToList();
        int checkedPoints = 0;
        var differsAt = new int[n];
        Mismatch? worst = null;
        for (int draw = 0; draw < Points; draw++)
        {
            var (values, classes) = sampler.Next(parameters);
            var results = Evaluator.Evaluate(dag, values, classes);
            if (!results.All(AllFinite)) continue;
            checkedPoints++;
            for (int c = 0; c < n; c++)
            {
                var derivedValue = results[1 + c];
                var handValue = results[1 + n + c];
                double score = Score(derivedValue, handValue);
                if (!(score > 1)) continue;
                differsAt[c]++;
                // Report the first point, in seeded order, where they clearly differ (a typical point,
                // not the most extreme one); failing that, the point where they differ most.
                bool worstIsClear = worst is not null && worst.Score >= ClearlyDifferent;
                if (worst is null || (!worstIsClear && score > worst.Score)) worst = new Mismatch(score, c, values, derivedValue, handValue);
            }
        }

        if (checkedPoints == 0)
        {
            return new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.GradientMismatch, h.Location,
                    $"'{h.MethodName}' could not be compared with the derived gradient of '{h.LossName}': the loss or one of the gradients was not finite at any of {Points} sampled points; check it at run time with AutoGrad.GradCheck"),
            };
        }
        if (worst is null) return Array.Empty<DiagnosticInfo>();

        string point = string.Join(", ", parameters.Select((p, i) => p.Name + " = " + Format(worst.Point[i], p.IsVector)));
        var (handText, derivedText) = FormatPair(worst.Hand, worst.Derived);
        var others = Enumerable.Range(0, n).Where(c => c != worst.Component && differsAt[c] > 0).Select(c => "∂L/∂" + names[c]).ToList();
        string message = $"'{h.MethodName}' differs from the derived gradient of '{h.LossName}': at {point} the hand-written ∂L/∂{names[worst.Component]} is {handText}, "
            + $"the derived {formulas[worst.Component]} is {derivedText} (they differ at {differsAt[worst.Component]} of {checkedPoints} points checked"
            + (others.Count > 0 ? "; " + string.Join(" and ", others) + (others.Count == 1 ? " differs" : " differ") + " too" : "")
            + ")";
        return new[] { DiagnosticInfo.Create(DiagnosticDescriptors.GradientMismatch, h.Location, message) };
    }

    /// <summary>The worst disagreement seen: how far beyond tolerance, which component, where, and both values.</summary>
    private sealed record Mismatch(double Score, int Component, double[][] Point, double[] Derived, double[] Hand);

    private static bool AllFinite(double[] values)
    {
        foreach (double v in values)
        {
            if (double.IsNaN(v) || double.IsInfinity(v)) return false;
        }
        return true;
    }

    /// <summary>The largest |a − b| / (atol + rtol · max(|a|, |b|)) over the components (a scalar broadcasts); above 1 they differ.</summary>
    private static double Score(double[] a, double[] b)
    {
        int length = Math.Max(a.Length, b.Length);
        double worst = 0;
        for (int i = 0; i < length; i++)
        {
            double x = a.Length == 1 ? a[0] : a[i];
            double y = b.Length == 1 ? b[0] : b[i];
            double tolerance = AbsoluteTolerance + RelativeTolerance * Math.Max(Math.Abs(x), Math.Abs(y));
            worst = Math.Max(worst, Math.Abs(x - y) / tolerance);
        }
        return worst;
    }

    // ---- signatures ---------------------------------------------------------------------------

    private static bool SameParameters(LossModel model, HandWrittenGradient h) =>
        model.Parameters.Count == h.Parameters.Count
        && h.Parameters.All(p => p.IsSupported)
        && model.Parameters.Zip(h.Parameters, (l, p) => l.IsVector == p.IsVector).All(same => same);

    private static string? ReturnProblem(HandWrittenGradient h, LossModel model, List<int> compared)
    {
        string Type(int index) => model.Parameters[index].IsVector ? "Vec" : "double";
        string tuple = "(" + string.Join(", ", compared.Select(i => Type(i) + " " + model.Parameters[i].Name)) + ")";
        string returned = h.ReturnsTuple
            ? "(" + string.Join(", ", h.Returns.Select(r => r.TypeName + (r.Name is null ? "" : " " + r.Name))) + ")"
            : h.Returns[0].TypeName;

        if (compared.Count == 1)
        {
            var p = model.Parameters[compared[0]];
            if (!h.ReturnsTuple && h.Returns[0].IsSupported && h.Returns[0].IsVector == p.IsVector) return null;
            return $"'{h.MethodName}' returns {returned}, but the gradient of '{h.LossName}' with respect to {p.Name} is a {Type(compared[0])}; return {Type(compared[0])}";
        }
        if (!h.ReturnsTuple)
        {
            return $"'{h.MethodName}' returns {returned}, but '{h.LossName}' has {compared.Count} differentiated parameters ({Names(model, compared)}); "
                + $"return the tuple {tuple}, or compare one of them with [GradientOf(nameof({h.LossName}), \"{model.Parameters[compared[0]].Name}\")]";
        }
        if (h.Returns.Count != compared.Count)
        {
            return $"'{h.MethodName}' returns {h.Returns.Count} values, but '{h.LossName}' has {compared.Count} differentiated parameters ({Names(model, compared)}); return the tuple {tuple}";
        }
        for (int k = 0; k < compared.Count; k++)
        {
            var p = model.Parameters[compared[k]];
            var r = h.Returns[k];
            if (!r.IsSupported || r.IsVector != p.IsVector)
            {
                return $"element {k + 1} of the tuple '{h.MethodName}' returns is {r.TypeName}, but the gradient of '{h.LossName}' with respect to {p.Name} is a {Type(compared[k])}; return the tuple {tuple}";
            }
            if (r.Name is not null && r.Name != p.Name)
            {
                return $"element {k + 1} of the tuple '{h.MethodName}' returns is named '{r.Name}', but in that place the gradient of '{h.LossName}' is the one with respect to {p.Name}; "
                    + $"the elements follow the differentiated parameters in declaration order: return the tuple {tuple}";
            }
        }
        return null;
    }

    private static string Names(LossModel model, IEnumerable<int> indices) => string.Join(", ", indices.Select(i => model.Parameters[i].Name));

    private static string Signature(LossModel model) => string.Join(", ", model.Parameters.Select(p =>
        (p.Role == ParameterRole.Target ? (p.SumsToOne ? "[Target(SumsToOne = true)] " : "[Target] ") : p.Role == ParameterRole.Constant ? "[Constant] " : "")
        + (p.IsVector ? "Vec " : "double ") + p.Name));

    private static string Signature(HandWrittenGradient h) => string.Join(", ", h.Parameters.Select(p => p.TypeName + " " + p.Name));

    // ---- numbers in messages -------------------------------------------------------------------

    private static string Format(double[] value, bool vector) =>
        vector ? "[" + string.Join(", ", value.Select(v => Format(v, "G6"))) + "]" : Format(value[0], "G6");

    /// <summary>Both values, with six significant digits unless that prints them alike, then with seventeen.</summary>
    private static (string Hand, string Derived) FormatPair(double[] hand, double[] derived)
    {
        bool vector = hand.Length > 1 || derived.Length > 1;
        foreach (string format in new[] { "G6", "G17" })
        {
            string a = vector ? "[" + string.Join(", ", hand.Select(v => Format(v, format))) + "]" : Format(hand[0], format);
            string d = vector ? "[" + string.Join(", ", derived.Select(v => Format(v, format))) + "]" : Format(derived[0], format);
            if (a != d || format == "G17") return (a, d);
        }
        throw new InvalidOperationException("unreachable");
    }

    private static string Format(double value, string format) => (value + 0.0).ToString(format, CultureInfo.InvariantCulture);
}
