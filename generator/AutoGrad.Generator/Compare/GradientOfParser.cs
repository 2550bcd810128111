using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoGrad.Generator.Diagnostics;
using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Parse;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Compare;

/// <summary>
/// The parse stage of the derived-against-hand-written check, and its only contact with Roslyn:
/// a [GradientOf] method's symbol and syntax in, a <see cref="HandWrittenGradient"/> out. The body
/// is read by the same <see cref="ExpressionTranslator"/> as a [Loss] body, so both sides of the
/// comparison are DAGs over the same operators.
/// </summary>
internal static class GradientOfParser
{
    public const string GradientOfAttribute = "AutoGrad.GradientOfAttribute";

    public static HandWrittenGradient Parse(MethodDeclarationSyntax syntax, IMethodSymbol method, AttributeData attribute, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var location = LocationInfo.From(syntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        string lossName = "";
        string? parameter = null;
        string key = GradientOfKeys.Of(method.ContainingType);
        var parameters = new List<HandParameter>();
        var returns = new List<HandComponent>();
        bool returnsTuple = false;
        ExprDag? body = null;
        DiagnosticInfo? bodyProblem = null;

        HandWrittenGradient Result() => new(
            method.Name, key, lossName, parameter, parameters.ToEquatableArray(), returnsTuple, returns.ToEquatableArray(),
            body, bodyProblem, diagnostics.ToEquatableArray(), location);

        try
        {
            var arguments = attribute.ConstructorArguments;
            lossName = arguments.Length > 0 && arguments[0].Value is string name ? name : "";
            parameter = arguments.Length > 1 ? arguments[1].Value as string : null;
            if (lossName.Trim().Length == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientMismatch, location,
                    $"[GradientOf] on '{method.Name}' names no loss; write [GradientOf(nameof(MyLoss))] with the name of a [Loss] method"));
                return Result();
            }
            key = LossTypeKey(attribute, semanticModel, cancellationToken) ?? key;

            foreach (var p in method.Parameters)
            {
                parameters.Add(new HandParameter(p.Name, p.Type.ToDisplayString(), IsVec(p.Type),
                    p.RefKind == RefKind.None && !p.IsParams && IsSupported(p.Type)));
            }
            if (method.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple)
            {
                returnsTuple = true;
                foreach (var element in tuple.TupleElements)
                {
                    returns.Add(new HandComponent(element.IsExplicitlyNamedTupleElement ? element.Name : null,
                        element.Type.ToDisplayString(), IsVec(element.Type), IsSupported(element.Type)));
                }
            }
            else
            {
                returns.Add(new HandComponent(null, method.ReturnType.ToDisplayString(), IsVec(method.ReturnType), IsSupported(method.ReturnType)));
            }

            // The signature is judged against the loss in the comparison step; a body over
            // unsupported types cannot be read, and is not needed to say what is wrong.
            if (parameters.All(p => p.IsSupported) && returns.All(r => r.IsSupported))
            {
                cancellationToken.ThrowIfCancellationRequested();
                (body, var problem) = TranslateBody(method, syntax, returns.Count, returnsTuple, new SemanticOracle(semanticModel, cancellationToken));
                if (problem is not null)
                {
                    bodyProblem = DiagnosticInfo.Create(DiagnosticDescriptors.GradientMismatch, problem.Location ?? location,
                        $"AutoGrad cannot compare '{method.Name}' with the derived gradient of '{lossName}' at compile time: {Describe(problem)}. "
                        + "A [GradientOf] body is read like a [Loss] body (an expression, or locals and one return, over the parameters with + - * /, ?: and the functions of AutoGrad.Fn and System.Math); "
                        + "write it that way, or check the method at run time with AutoGrad.GradCheck");
                }
            }
            return Result();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalFailure, location, method.Name, ex.GetType().Name + ": " + ex.Message));
            body = null;
            return Result();
        }
    }

    private static bool IsVec(ITypeSymbol type) => type.ToDisplayString() == LossParser.VecType;

    private static bool IsSupported(ITypeSymbol type) => type.SpecialType == SpecialType.System_Double || IsVec(type);

    /// <summary>
    /// The type that declares the loss: with <c>nameof(Other.Loss)</c> the type the name binds to,
    /// otherwise (a plain string, or a name in scope) null, meaning the method's own type.
    /// </summary>
    private static string? LossTypeKey(AttributeData attribute, SemanticModel model, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList.Arguments: { Count: > 0 } args }) return null;
        if (args[0].Expression is not InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" }, ArgumentList.Arguments: { Count: 1 } inner })
        {
            return null;
        }
        var info = model.GetSymbolInfo(inner[0].Expression, cancellationToken);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        return symbol is IMethodSymbol { ContainingType: { } type } ? GradientOfKeys.Of(type) : null;
    }

    /// <summary>An expression body, or local declarations followed by one return; a tuple literal for several components.</summary>
    private static (ExprDag? Body, DiagnosticInfo? Problem) TranslateBody(
        IMethodSymbol method, MethodDeclarationSyntax syntax, int components, bool tuple, ISemanticOracle oracle)
    {
        var builder = new ExprBuilder();
        var names = new Dictionary<string, int>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            names[method.Parameters[i].Name] = builder.Param(i, IsVec(method.Parameters[i].Type) ? Shape.Vector : Shape.Scalar);
        }
        var translator = new ExpressionTranslator(builder, oracle, names, differentiatedMask: 0);

        DiagnosticInfo Problem(SyntaxNode at, string message) =>
            DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, LocationInfo.From(at), message);

        ExpressionSyntax? returned;
        if (syntax.ExpressionBody is { } arrow)
        {
            returned = arrow.Expression;
        }
        else if (syntax.Body is { } block)
        {
            returned = null;
            var statements = block.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                bool last = i == statements.Count - 1;
                switch (statements[i])
                {
                    case LocalDeclarationStatementSyntax local when !last:
                        foreach (var variable in local.Declaration.Variables)
                        {
                            if (variable.Initializer is null)
                            {
                                return (null, Problem(variable, $"local '{variable.Identifier.ValueText}' is declared without a value"));
                            }
                            if (translator.Translate(variable.Initializer.Value) is int value) names[variable.Identifier.ValueText] = value;
                            else return (null, translator.Diagnostics.FirstOrDefault() ?? Problem(variable, "a local could not be read"));
                        }
                        break;
                    case ReturnStatementSyntax { Expression: { } e } when last:
                        returned = e;
                        break;
                    default:
                        return (null, Problem(statements[i], "the body has a statement other than local declarations and one final return"));
                }
            }
            if (returned is null) return (null, Problem(syntax.Identifier.Parent!, "the body does not end with a return"));
        }
        else
        {
            return (null, Problem(syntax, "the method has no body"));
        }

        var roots = new List<int>();
        if (tuple)
        {
            var e = returned;
            while (e is ParenthesizedExpressionSyntax p) e = p.Expression;
            if (e is not TupleExpressionSyntax literal || literal.Arguments.Count != components)
            {
                return (null, Problem(returned, $"the returned tuple is not written as a tuple literal of {components} elements, e.g. return (dw, db);"));
            }
            foreach (var argument in literal.Arguments)
            {
                if (translator.Translate(argument.Expression) is int root) roots.Add(root);
            }
        }
        else if (translator.Translate(returned) is int root)
        {
            roots.Add(root);
        }
        if (translator.Diagnostics.Count > 0 || roots.Count != components)
        {
            return (null, translator.Diagnostics.FirstOrDefault() ?? Problem(returned, "the returned value could not be read"));
        }
        return (builder.Extract(roots), null);
    }

    /// <summary>The translator's complaint, as the reason a comparison could not be made.</summary>
    private static string Describe(DiagnosticInfo problem) =>
        problem.Id == DiagnosticDescriptors.UnsupportedCall.Id && problem.Arguments.Count > 0
            ? $"it calls '{problem.Arguments[0]}', which is not a function of AutoGrad.Fn or System.Math"
            : problem.Arguments.Count > 0 ? problem.Arguments[0] : problem.Id;
}

/// <summary>
/// How a loss is found from a [GradientOf]: by the containing type, written <c>Namespace.Outer.Inner&lt;T&gt;</c>
/// the same way for a <see cref="LossModel"/> and for a type symbol, and the method name.
/// </summary>
internal static class GradientOfKeys
{
    public static string Of(LossModel model) => Join(model.Namespace, model.Types.Select(t => t.Name));

    public static string Of(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            names.Insert(0, t.Name + (t.TypeParameters.Length > 0 ? "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">" : ""));
        }
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return Join(ns, names);
    }

    /// <summary>The type key as shown in messages.</summary>
    public static string Display(string key) => key.Length == 0 ? "the global namespace" : "'" + key + "'";

    private static string Join(string ns, IEnumerable<string> types)
    {
        string t = string.Join(".", types);
        return ns.Length == 0 ? t : t.Length == 0 ? ns : ns + "." + t;
    }
}
