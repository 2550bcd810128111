using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoGrad.Generator.Compare;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Tests.GradientOf;

/// <summary>The [GradientOf] models hold nothing from the compilation, and the seeded domain is what the README says.</summary>
public sealed class GradientOfModelTests
{
    [Fact]
    public void The_models_reach_no_symbol_syntax_or_compilation()
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(new[] { typeof(HandWrittenGradient), typeof(GradientOfCheck) });
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum) continue;
            Assert.False(typeof(ISymbol).IsAssignableFrom(type), $"{type} is a symbol");
            Assert.False(typeof(SyntaxNode).IsAssignableFrom(type), $"{type} is syntax");
            Assert.False(typeof(Compilation).IsAssignableFrom(type), $"{type} is a compilation");
            Assert.False(typeof(SemanticModel).IsAssignableFrom(type), $"{type} is a semantic model");
            Assert.False(typeof(Location).IsAssignableFrom(type), $"{type} is a Roslyn location");
            if (type.IsGenericType) foreach (var t in type.GetGenericArguments()) queue.Enqueue(t);
            if (type.IsArray) queue.Enqueue(type.GetElementType()!);
            if (type.Namespace?.StartsWith("AutoGrad", StringComparison.Ordinal) != true) continue;
            foreach (var p in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)) queue.Enqueue(p.PropertyType);
            foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)) queue.Enqueue(f.FieldType);
        }
    }

    private static readonly ParameterSpec[] Parameters =
    {
        new("z", true, ParameterRole.Differentiated, false, "z"),
        new("y", true, ParameterRole.Target, true, "y"),
        new("t", false, ParameterRole.Target, false, "t"),
        new("c", false, ParameterRole.Constant, false, "c"),
        new("a", false, ParameterRole.Differentiated, false, "a"),
    };

    [Fact]
    public void The_same_seed_gives_the_same_points()
    {
        var a = new DomainSampler();
        var b = new DomainSampler();
        for (int i = 0; i < 100; i++)
        {
            var (pa, ka) = a.Next(Parameters);
            var (pb, kb) = b.Next(Parameters);
            Assert.Equal(ka, kb);
            for (int p = 0; p < Parameters.Length; p++) Assert.Equal(pa[p], pb[p]);
        }
    }

    [Fact]
    public void Points_respect_the_roles()
    {
        var sampler = new DomainSampler();
        var classCounts = new List<int>();
        int zeros = 0, ones = 0;
        for (int i = 0; i < 400; i++)
        {
            var (values, classes) = sampler.Next(Parameters);
            classCounts.Add(classes);
            Assert.Equal(classes, values[0].Length);
            Assert.All(values[0], v => Assert.InRange(v, -6, 6));
            Assert.Equal(classes, values[1].Length);
            Assert.All(values[1], v => Assert.InRange(v, 0, 1));
            Assert.Equal(1.0, values[1].Sum(), 12);                 // SumsToOne
            Assert.InRange(values[2][0], 0, 1);                      // a target
            if (values[2][0] == 0) zeros++;
            if (values[2][0] == 1) ones++;
            Assert.InRange(values[3][0], 0.1, 3);                    // a constant
            Assert.InRange(values[4][0], -6, 6);
        }
        Assert.Equal(new[] { 2, 3, 5, 10 }, classCounts.Distinct().OrderBy(k => k));
        Assert.InRange(zeros, 20, 80);                               // about one in eight
        Assert.InRange(ones, 20, 80);
    }
}
