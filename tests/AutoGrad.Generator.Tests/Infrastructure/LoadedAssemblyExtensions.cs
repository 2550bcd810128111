using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Reflection helpers for assemblies returned by <see cref="GeneratorRun.Load"/>: find a type by a readable name,
/// call its static methods, read its static properties, and bind typed delegates for fast repeated calls.
/// Every member of any accessibility is found (generated members copy the accessibility of the <c>[Loss]</c> method).
/// </summary>
/// <remarks>
/// Type names may be a full name (<c>MyNs.Losses</c>), a nested name with <c>+</c> or <c>.</c>
/// (<c>Outer+Losses</c>, <c>Outer.Losses</c>), or a simple name when it is unique (<c>Losses</c>).
/// Methods taking spans cannot be called through <see cref="Invoke"/>; bind them with
/// <see cref="CreateDelegate{TDelegate}"/> and a delegate type of your own
/// (<c>delegate double Forward(ReadOnlySpan&lt;double&gt; z, ReadOnlySpan&lt;double&gt; y, Reduction reduction);</c>).
/// </remarks>
public static class LoadedAssemblyExtensions
{
    private const BindingFlags StaticMembers =
        BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Finds a type by full, nested (<c>+</c> or <c>.</c>) or unique simple name; fails listing the assembly's types.</summary>
    public static Type FindType(this Assembly assembly, string typeName)
    {
        var exact = assembly.GetType(typeName, throwOnError: false);
        if (exact is not null) return exact;

        var types = assembly.GetTypes();
        string Dotted(Type t) => (t.FullName ?? t.Name).Replace('+', '.');
        var dotted = typeName.Replace('+', '.');

        var matches = types.Where(t => Dotted(t) == dotted).ToList();
        if (matches.Count == 0)
            matches = types.Where(t => Dotted(t).EndsWith("." + dotted, StringComparison.Ordinal) || t.Name == typeName).ToList();
        if (matches.Count == 1) return matches[0];

        var listed = string.Join(", ", types.Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
                                            .Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Fail(matches.Count == 0
            ? $"No type '{typeName}' in {assembly.GetName().Name}. Types: {listed}."
            : $"Type name '{typeName}' is ambiguous: {string.Join(", ", matches.Select(t => t.FullName))}.");
        return null!; // unreachable
    }

    /// <summary>
    /// Calls the static method <paramref name="method"/> of <paramref name="typeName"/> with <paramref name="args"/>
    /// and returns its result (a tuple comes back boxed, e.g. as <c>ValueTuple&lt;double, double&gt;</c>).
    /// The overload is picked by argument count and types; numeric arguments convert (<c>1</c> to <c>1.0</c>),
    /// implicit conversions declared by the parameter type apply (<c>double[]</c> to <c>Vec</c>), and omitted
    /// trailing optional parameters take their defaults. Exceptions thrown by the method propagate unwrapped.
    /// </summary>
    public static object? Invoke(this Assembly assembly, string typeName, string method, params object?[] args)
    {
        args ??= new object?[] { null };
        var type = assembly.FindType(typeName);
        var candidates = type.GetMethods(StaticMembers).Where(m => m.Name == method && !m.IsGenericMethodDefinition).ToList();
        if (candidates.Count == 0)
            Assert.Fail($"{type.FullName} has no static method '{method}'. Static methods: {DescribeMethods(type)}.");

        var bound = candidates
            .Select(m => (Method: m, Bound: TryBind(m, args, out var converted, out var score) ? converted : null, Score: score))
            .Where(c => c.Bound is not null)
            .OrderByDescending(c => c.Score)
            .ToList();
        if (bound.Count == 0)
        {
            Assert.Fail($"No overload of {type.FullName}.{method} accepts ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "null"))}). " +
                        $"Overloads: {string.Join("; ", candidates.Select(Signature))}." +
                        (candidates.Any(HasByRefLikeParameter) ? " Methods taking spans need CreateDelegate<TDelegate> with a delegate type of your own." : ""));
        }
        if (bound.Count > 1 && bound[0].Score == bound[1].Score)
            Assert.Fail($"The call {type.FullName}.{method}(...) is ambiguous between {Signature(bound[0].Method)} and {Signature(bound[1].Method)}; bind a delegate instead.");

        return bound[0].Method.Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, bound[0].Bound, CultureInfo.InvariantCulture);
    }

    /// <summary><see cref="Invoke"/>, with the result cast to <typeparamref name="T"/> (fails with the actual type if it is not one).</summary>
    public static T Invoke<T>(this Assembly assembly, string typeName, string method, params object?[] args) =>
        Cast<T>(assembly.Invoke(typeName, method, args), $"{typeName}.{method}(...)");

    /// <summary>Reads a static property or field (e.g. <c>BinaryCrossEntropyDerivation</c>) and casts it to <typeparamref name="T"/>.</summary>
    public static T GetStatic<T>(this Assembly assembly, string typeName, string member)
    {
        var type = assembly.FindType(typeName);
        if (type.GetProperty(member, StaticMembers) is { } property)
            return Cast<T>(property.GetValue(null), $"{type.FullName}.{member}");
        if (type.GetField(member, StaticMembers) is { } field)
            return Cast<T>(field.GetValue(null), $"{type.FullName}.{member}");

        var members = type.GetProperties(StaticMembers).Select(p => p.Name).Concat(type.GetFields(StaticMembers).Select(f => f.Name));
        Assert.Fail($"{type.FullName} has no static property or field '{member}'. It has: {string.Join(", ", members.OrderBy(n => n, StringComparer.Ordinal))}.");
        return default!; // unreachable
    }

    /// <summary>
    /// Binds the static method whose parameter types are exactly those of <typeparamref name="TDelegate"/>
    /// (e.g. <c>Func&lt;double, double, double&gt;</c>, or <c>Func&lt;double, double, (double, double)&gt;</c> for a tuple gradient)
    /// and returns a delegate to call it at full speed. Fails listing the overloads that exist.
    /// </summary>
    public static TDelegate CreateDelegate<TDelegate>(this Assembly assembly, string typeName, string method) where TDelegate : Delegate =>
        assembly.FindMethod(typeName, method, DelegateSignature<TDelegate>(out var returnType), returnType).CreateDelegate<TDelegate>();

    /// <summary>The static method with exactly these parameter types (and, when given, this return type); fails listing the overloads.</summary>
    public static MethodInfo FindMethod(this Assembly assembly, string typeName, string method, Type[] parameterTypes, Type? returnType = null)
    {
        var type = assembly.FindType(typeName);
        var overloads = type.GetMethods(StaticMembers).Where(m => m.Name == method).ToList();
        var match = overloads.FirstOrDefault(m =>
            m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameterTypes) &&
            (returnType is null || m.ReturnType == returnType || (!m.ReturnType.IsValueType && returnType.IsAssignableFrom(m.ReturnType))));
        if (match is not null) return match;

        var wanted = $"{(returnType is null ? "" : TypeName(returnType) + " ")}{method}({string.Join(", ", parameterTypes.Select(TypeName))})";
        Assert.Fail(overloads.Count == 0
            ? $"{type.FullName} has no static method '{method}' (wanted {wanted}). Static methods: {DescribeMethods(type)}."
            : $"{type.FullName} has no overload {wanted}. Overloads: {string.Join("; ", overloads.Select(Signature))}.");
        return null!; // unreachable
    }

    /// <summary>A readable signature, e.g. <c>static double BinaryCrossEntropyGradient(double z, double y)</c>.</summary>
    public static string Signature(MethodInfo method) =>
        $"{(method.IsPublic ? "public" : method.IsAssembly ? "internal" : method.IsPrivate ? "private" : "protected")} static " +
        $"{TypeName(method.ReturnType)} {method.Name}({string.Join(", ", method.GetParameters().Select(p => $"{TypeName(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"))})";

    // ---- internals ------------------------------------------------------------------------------

    private static Type[] DelegateSignature<TDelegate>(out Type returnType) where TDelegate : Delegate
    {
        var invoke = typeof(TDelegate).GetMethod("Invoke")!;
        returnType = invoke.ReturnType;
        return invoke.GetParameters().Select(p => p.ParameterType).ToArray();
    }

    private static bool TryBind(MethodInfo method, object?[] args, out object?[]? converted, out int score)
    {
        converted = null;
        score = 0;
        var parameters = method.GetParameters();
        if (args.Length > parameters.Length) return false;
        if (parameters.Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike)) return false;

        var result = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (i >= args.Length)
            {
                if (!p.IsOptional) return false;
                result[i] = p.HasDefaultValue ? p.DefaultValue : Type.Missing;
                continue;
            }

            var arg = args[i];
            var target = p.ParameterType;
            if (arg is null)
            {
                if (target.IsValueType && Nullable.GetUnderlyingType(target) is null) return false;
                result[i] = null;
                score += 1;
            }
            else if (target.IsInstanceOfType(arg))
            {
                result[i] = arg;
                score += arg.GetType() == target ? 3 : 2;
            }
            else if (IsNumeric(arg.GetType()) && IsNumeric(target))
            {
                result[i] = Convert.ChangeType(arg, target, CultureInfo.InvariantCulture);
                score += 1;
            }
            else if (FindImplicit(arg.GetType(), target) is { } op)
            {
                result[i] = op.Invoke(null, new[] { arg });
                score += 1;
            }
            else if (target.IsEnum && IsNumeric(arg.GetType()))
            {
                result[i] = Enum.ToObject(target, arg);
                score += 1;
            }
            else
            {
                return false;
            }
        }

        converted = result;
        return true;
    }

    private static MethodInfo? FindImplicit(Type from, Type to) =>
        to.GetMethods(BindingFlags.Static | BindingFlags.Public)
            .Concat(from.GetMethods(BindingFlags.Static | BindingFlags.Public))
            .FirstOrDefault(m => m.Name == "op_Implicit" && m.ReturnType == to &&
                                 m.GetParameters() is { Length: 1 } ps && ps[0].ParameterType.IsAssignableFrom(from));

    private static bool IsNumeric(Type t) =>
        Type.GetTypeCode(t) is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32
            or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal
        && !t.IsEnum;

    private static bool HasByRefLikeParameter(MethodInfo m) =>
        m.GetParameters().Any(p => p.ParameterType.IsByRefLike || p.ParameterType.IsByRef);

    private static T Cast<T>(object? value, string what)
    {
        if (value is T t) return t;
        if (value is null && default(T) is null) return default!;
        Assert.Fail($"{what} is {(value is null ? "null" : $"a {TypeName(value.GetType())}")}, not a {TypeName(typeof(T))}.");
        return default!; // unreachable
    }

    private static string DescribeMethods(Type type)
    {
        var methods = type.GetMethods(StaticMembers).Where(m => !m.IsSpecialName).Select(Signature).OrderBy(s => s, StringComparer.Ordinal).ToList();
        return methods.Count == 0 ? "none" : string.Join("; ", methods);
    }

    private static string TypeName(Type t)
    {
        if (t == typeof(void)) return "void";
        if (t == typeof(double)) return "double";
        if (t == typeof(float)) return "float";
        if (t == typeof(int)) return "int";
        if (t == typeof(bool)) return "bool";
        if (t == typeof(string)) return "string";
        if (t == typeof(object)) return "object";
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[]";
        if (t.IsByRef) return "ref " + TypeName(t.GetElementType()!);
        if (!t.IsGenericType) return t.Name;
        var name = t.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return $"{name}<{string.Join(", ", t.GetGenericArguments().Select(TypeName))}>";
    }
}
