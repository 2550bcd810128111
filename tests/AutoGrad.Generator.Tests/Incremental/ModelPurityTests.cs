using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using AutoGrad.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.Incremental;

/// <summary>
/// A pipeline value that holds a symbol, a compilation or a syntax node keeps the whole compilation
/// alive and never compares equal across edits, which silently defeats the incremental cache. These
/// tests walk, by reflection, every value every AutoGrad step produced (and every field type those
/// values could hold) and fail if any such Roslyn object is reachable.
/// </summary>
public sealed class ModelPurityTests
{
    /// <summary>Roslyn types that tie a value to one compilation.</summary>
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SyntaxToken),
        typeof(SyntaxTrivia), typeof(SyntaxReference), typeof(Location), typeof(IOperation), typeof(AttributeData), typeof(SyntaxNodeOrToken),
    };

    private const string Source = """
        using System;
        using AutoGrad;
        using static AutoGrad.Fn;

        namespace App;

        public static partial class Losses
        {
            [Loss]
            public static double Bce(double z, [Target] double y) => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

            [Loss]
            public static double Ce(Vec z, [Target(SumsToOne = true)] Vec y) => -Sum(y * Log(Softmax(z)));

            [Loss]
            public static double Huber(double x, [Target] double y, [Constant] double delta)
            {
                var r = Abs(x - y);
                return r <= delta ? Square(x - y) / 2 : delta * (r - delta / 2);
            }

            [Loss]
            public static double Bad(double z) => Math.Sin(z);

            [Loss]
            public double NotStatic(double z) => z;

            [GradientOf(nameof(Bce))]
            public static double BceByHand(double z, double y) => Sigmoid(z) - y + 1;
        }
        """;

    [Fact]
    public void No_step_value_holds_a_symbol_a_compilation_or_syntax()
    {
        var run = GeneratorHarness.Run(Source);
        var ours = IncrementalTests.StepNames();
        var values = run.GeneratorResult.TrackedSteps
            .Where(kv => ours.Contains(kv.Key))
            .SelectMany(kv => kv.Value.SelectMany(step => step.Outputs.Select(o => (Step: kv.Key, o.Value))))
            .ToList();
        Assert.True(values.Count >= 20, "too few step values to mean anything: " + values.Count);
        // The run covers failures as well as successes, so failure-only fields are walked too.
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "AG0004");
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "AG0005");

        var problems = new List<string>();
        foreach (var (step, value) in values)
        {
            Walk(value, step + ": " + value.GetType().Name, new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct().Take(20)));
    }

    [Fact]
    public void No_model_type_declares_a_field_that_could_hold_one()
    {
        var assembly = typeof(LossGenerator).Assembly;
        var modelTypes = assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns.EndsWith(".Model", StringComparison.Ordinal) || ns.EndsWith(".Pipeline", StringComparison.Ordinal) || ns.EndsWith(".IR", StringComparison.Ordinal) || ns.EndsWith(".Compare", StringComparison.Ordinal)))
            .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute)) && !t.Name.StartsWith("<", StringComparison.Ordinal))
            .Where(t => IsRecord(t) || t.IsValueType)
            .ToList();
        Assert.Contains(modelTypes, t => t.Name == "LossModel");
        Assert.Contains(modelTypes, t => t.Name == "DerivedLoss");

        var problems = new List<string>();
        foreach (var type in modelTypes)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var t in TypesIn(field.FieldType))
                {
                    if (Forbidden.Any(f => f.IsAssignableFrom(t) || t.IsAssignableFrom(f) && t != typeof(object) && !t.IsInterface))
                        problems.Add($"{type.FullName}.{field.Name} has type {field.FieldType}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The walker itself: it must find a symbol when one is there.</summary>
    [Fact]
    public void The_walker_finds_a_symbol_hidden_in_a_record()
    {
        var run = GeneratorHarness.Run(Source);
        var symbol = run.InputCompilation.GetTypeByMetadataName("App.Losses")!;
        var problems = new List<string>();
        Walk(new Holder(new[] { new object[] { 1, symbol } }), "holder", new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
        Assert.NotEmpty(problems);
    }

    private sealed record Holder(object[][] Items);

    private static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null || t.GetProperty("EqualityContract", BindingFlags.Instance | BindingFlags.NonPublic) is not null;

    private static IEnumerable<Type> TypesIn(Type t)
    {
        yield return t;
        if (t.IsArray) foreach (var e in TypesIn(t.GetElementType()!)) yield return e;
        if (t.IsGenericType) foreach (var a in t.GetGenericArguments().SelectMany(TypesIn)) yield return a;
    }

    private static void Walk(object? value, string path, HashSet<object> seen, List<string> problems)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value is Enum || value is decimal) return;
        var type = value.GetType();
        if (Forbidden.Any(f => f.IsInstanceOfType(value)))
        {
            problems.Add($"{path} holds a {type.FullName}");
            return;
        }
        if (!type.IsValueType && !seen.Add(value)) return;
        if (path.Length > 2000) return;

        if (value is IEnumerable sequence and not string && type.IsArray)
        {
            int i = 0;
            foreach (var item in sequence) Walk(item, $"{path}[{i++}]", seen, problems);
            return;
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                Walk(field.GetValue(value), path + "." + field.Name, seen, problems);
            }
        }
    }
}
