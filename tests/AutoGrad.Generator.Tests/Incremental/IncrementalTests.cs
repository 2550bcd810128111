using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoGrad.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.Incremental;

/// <summary>
/// The generator in the editor: every keystroke is a new compilation. An edit that touches no loss
/// must re-run nothing (every tracked step Cached or Unchanged); editing one loss must re-derive and
/// re-emit that loss alone, even when the other losses sit below it in the same file and move.
/// </summary>
public sealed class IncrementalTests
{
    private const string Usings = "using System;\nusing AutoGrad;\nusing static AutoGrad.Fn;\n\n";

    /// <summary>Three losses in one file, the middle one is edited in the tests.</summary>
    private const string LossesA = Usings + """
        namespace App;

        public static partial class Losses
        {
            [Loss]
            public static double First(double z, [Target] double y)
                => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

            [Loss]
            public static double Middle(double w, double b, [Constant] double x, [Target] double y)
            {
                var a = Sigmoid(w * x + b);
                return Square(a - y) / 2;
            }

            [Loss]
            public static double Last(Vec z, [Target(SumsToOne = true)] Vec y) => -Sum(y * Log(Softmax(z)));

            [Loss]
            public static double Kinked(double x, [Target] double y) => Abs(x - y) < 1 ? Square(x - y) / 2 : Abs(x - y) - 0.5;

            [GradientOf(nameof(First))]
            public static double FirstByHand(double z, double y) => Sigmoid(z) - y;
        }
        """;

    /// <summary>A loss in a file of its own.</summary>
    private const string LossesB = Usings + """
        namespace App;

        public static partial class Other
        {
            [Loss]
            public static double Poisson(double z, [Target] double y) => Exp(z) - y * z;
        }
        """;

    /// <summary>Code with no loss at all.</summary>
    private const string Unrelated = Usings + """
        namespace App;

        public static class Program
        {
            public static double Main2() => Losses.FirstGradient(1.0, 0.0);
        }
        """;

    private static readonly string PathA = GeneratorHarness.SourcePath(0);
    private static readonly string PathB = GeneratorHarness.SourcePath(1);
    private static readonly string PathC = GeneratorHarness.SourcePath(2);

    private static GeneratorRun First()
    {
        var run = GeneratorHarness.Run(LossesA, LossesB, Unrelated);
        run.AssertNoErrors();
        return run;
    }

    /// <summary>Every step named in <see cref="LossGenerator.Steps"/> and <see cref="LossGenerator.GradientOfSteps"/>.</summary>
    public static IReadOnlyList<string> StepNames() =>
        typeof(LossGenerator).GetNestedTypes(BindingFlags.Public)
            .Where(t => t.Name.EndsWith("Steps", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    [Fact]
    public void Every_pipeline_step_carries_a_tracking_name_and_runs()
    {
        var run = First();
        var names = StepNames();
        Assert.True(names.Count >= 7, "tracking names: " + string.Join(", ", names));
        foreach (var name in names)
        {
            Assert.True(run.GeneratorResult.TrackedSteps.ContainsKey(name), $"step '{name}' was not tracked; tracked: {string.Join(", ", run.TrackedStepNames())}");
            Assert.All(run.GeneratorResult.TrackedSteps[name].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.New, o.Reason));
        }
    }

    public static IEnumerable<object[]> UnrelatedEdits() => new[]
    {
        new object[] { "a file without losses is edited", (Func<Compilation, Compilation>)GeneratorHarness.EditSource(PathC, t => t.Replace("Main2()", "Main3()")) },
        new object[] { "a file is added", GeneratorHarness.AddSource(Usings + "namespace App; public static class More { public static int Two => 2; }") },
        new object[] { "a comment is typed below the losses", GeneratorHarness.EditSource(PathA, t => t + "\n// a note\n") },
        new object[] { "a file without losses is removed", GeneratorHarness.RemoveSource(PathC) },
        new object[] { "nothing changed", (Func<Compilation, Compilation>)(c => c) },
    };

    public static IEnumerable<object[]> MovingEdits() => new[]
    {
        new object[] { "a comment is typed above the losses", GeneratorHarness.EditSource(PathA, t => t.Replace("namespace App;", "namespace App; // the app")) },
        new object[] { "a loss is reformatted", GeneratorHarness.EditSource(PathA, t => t.Replace("[Loss]\n    public static double Middle", "[Loss] public static double Middle")) },
        new object[] { "a loss is rewritten to the same mathematics", GeneratorHarness.EditSource(PathA, t => t.Replace("return Square(a - y) / 2;", "return Square(a - y) / 2 + 0 * b;")) },
    };

    /// <summary>Steps whose values hold no source position: an edit that only moves code must leave them alone.</summary>
    private static readonly string[] PositionFree =
    {
        LossGenerator.Steps.Spec, LossGenerator.Steps.Derive, LossGenerator.Steps.Emit, LossGenerator.Steps.Failures, LossGenerator.GradientOfSteps.Compare,
    };

    [Theory]
    [MemberData(nameof(MovingEdits))]
    public void An_edit_that_only_moves_losses_derives_and_emits_nothing(string what, Func<Compilation, Compilation> edit)
    {
        var first = First();
        var run = first.RunAgain(edit);
        run.AssertNoErrors();
        var rerun = run.TrackedStepReasons()
            .Where(s => PositionFree.Contains(s.StepName) && s.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .ToList();
        Assert.True(rerun.Count == 0, $"{what}: " + string.Join("; ", rerun.Select(s => s.StepName + "=" + s.Reason)));
        Assert.Equal(first.GeneratedSources, run.GeneratedSources);
        // Diagnostics move with the code they point at.
        Assert.Equal(first.GeneratorDiagnostics.Select(d => d.Id), run.GeneratorDiagnostics.Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void An_edit_that_touches_no_loss_reruns_nothing(string what, Func<Compilation, Compilation> edit)
    {
        var run = First().RunAgain(edit);
        run.AssertNoErrors();
        Assert.NotEmpty(run.TrackedStepReasons());
        // Roslyn's own input nodes (Compilation, the attribute index) change with every edit; AutoGrad's steps must not.
        var own = StepNames().Concat(run.GeneratorResult.TrackedOutputSteps.Keys).ToHashSet();
        Assert.Superset(StepNames().ToHashSet(), run.TrackedStepReasons().Select(s => s.StepName).ToHashSet());
        var rerun = run.TrackedStepReasons().Where(s => own.Contains(s.StepName) && s.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)).ToList();
        Assert.True(rerun.Count == 0, $"{what}: " + string.Join("; ", rerun.Select(s => s.StepName + "=" + s.Reason)));
    }

    [Theory]
    [InlineData("Middle", "return Square(a - y) / 2;", "return Square(a - y) / 3;")]
    [InlineData("First", "(1 - y) * Log(1 - Sigmoid(z))", "(1 - y) * Log(1 - Sigmoid(z)) + 0.5 * z")]
    [InlineData("Kinked", "Abs(x - y) - 0.5", "Abs(x - y) - 0.25")]
    public void Editing_one_loss_rederives_and_reemits_that_loss_only(string loss, string oldText, string newText)
    {
        var before = First();
        var run = before.RunAgain(GeneratorHarness.EditSource(PathA, t => t.Replace(oldText, newText)));
        run.AssertNoErrors();
        Assert.Equal(before.GeneratedSources.Keys, run.GeneratedSources.Keys);

        // The edited loss moves the ones below it in the file: they are parsed again, but come out equal.
        foreach (var step in new[] { LossGenerator.Steps.Derive, LossGenerator.Steps.Emit })
        {
            var outputs = Outputs(run, step);
            var modified = outputs.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).ToList();
            Assert.True(modified.Count == 1, $"{step}: expected one re-run output, got {modified.Count}: " +
                                             string.Join("; ", outputs.Select(o => o.Reason + " " + Describe(o.Value))));
            Assert.Contains(loss, Describe(modified[0].Value), StringComparison.Ordinal);
            Assert.All(outputs.Except(modified), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }
        // What reaches the derive stage is unchanged for every other loss, moved or not.
        var specs = Outputs(run, LossGenerator.Steps.Spec);
        Assert.Single(specs, o => o.Reason == IncrementalStepRunReason.Modified);
        // And only the edited loss's file changes.
        var changed = run.GeneratedSources.Where(kv => before.GeneratedSources[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        Assert.Equal(new[] { "App.Losses." + loss + ".g.cs" }, changed);
    }

    [Fact]
    public void A_real_edit_regenerates_and_the_new_code_runs()
    {
        var run = First().RunAgain(GeneratorHarness.EditSource(PathB, t => t.Replace("Exp(z) - y * z", "Exp(z) - 2 * y * z")));
        run.AssertNoErrors();
        Assert.Contains("2 * y", run.GeneratedText("Other.Poisson.g.cs"), StringComparison.Ordinal);
        Assert.Equal(Math.Exp(0.5) - 2 * 0.25, run.Load().Invoke<double>("App.Other", "PoissonGradient", 0.5, 0.25), 12);
    }

    [Fact]
    public void Removing_a_loss_removes_its_file()
    {
        var run = First().RunAgain(GeneratorHarness.RemoveSource(PathB));
        run.AssertNoErrors();
        Assert.DoesNotContain(run.GeneratedSources.Keys, k => k.Contains("Poisson", StringComparison.Ordinal));
        Assert.Contains(run.GeneratedSources.Keys, k => k.Contains("Middle", StringComparison.Ordinal));
    }

    private static List<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string step) =>
        run.GeneratorResult.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => (o.Value, o.Reason)).ToList();

    private static string Describe(object value) => value switch
    {
        DerivedLoss d => d.Model.MethodName,
        AutoGrad.Generator.Model.LossModel m => m.MethodName,
        GeneratedFile f => f.HintName,
        _ => value.ToString() ?? "",
    };
}
