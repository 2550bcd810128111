using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoGrad.Generator.Diagnostics;
using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Parse;

/// <summary>
/// The parse stage, and the only stage that touches Roslyn: a [Loss] method's symbol and syntax
/// in, a <see cref="LossModel"/> out (signature, roles, the body as a DAG, diagnostics).
/// </summary>
internal static class LossParser
{
    public const string LossAttribute = "AutoGrad.LossAttribute";
    public const string TargetAttribute = "AutoGrad.TargetAttribute";
    public const string ConstantAttribute = "AutoGrad.ConstantAttribute";
    public const string VecType = "AutoGrad.Vec";

    public static LossModel Parse(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var location = LocationInfo.From(syntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        var (ns, types) = Hierarchy(method);
        var parameters = new List<ParameterSpec>();

        LossModel Result(ExprDag? loss, IEnumerable<NonSmoothSite>? nonSmooth = null) => new(
            ns, types, method.Name, Accessibility(method.DeclaredAccessibility), parameters.ToEquatableArray(), loss,
            (nonSmooth ?? Enumerable.Empty<NonSmoothSite>()).ToEquatableArray(), diagnostics.ToEquatableArray(), location);

        try
        {
            CheckShape(method, syntax, diagnostics);
            parameters.AddRange(Parameters(method, syntax, diagnostics));
            if (diagnostics.Count > 0) return Result(null);

            cancellationToken.ThrowIfCancellationRequested();
            var builder = new ExprBuilder();
            var names = new Dictionary<string, int>();
            ulong differentiated = 0;
            for (int i = 0; i < parameters.Count; i++)
            {
                names[parameters[i].Name] = builder.Param(i, parameters[i].IsVector ? Shape.Vector : Shape.Scalar);
                if (parameters[i].Role == ParameterRole.Differentiated) differentiated |= 1UL << i;
            }

            var translator = new ExpressionTranslator(builder, new SemanticOracle(semanticModel, cancellationToken), names, differentiated);
            int? root = TranslateBody(syntax, translator, names, diagnostics);
            diagnostics.AddRange(translator.Diagnostics);
            if (root is not int r || diagnostics.Count > 0) return Result(null);
            return Result(builder.Extract(new[] { r }), translator.NonSmooth);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalFailure, location, method.Name, ex.GetType().Name + ": " + ex.Message));
            return Result(null);
        }
    }

    private static void CheckShape(IMethodSymbol method, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        if (!method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotStaticOrNotPartial, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"[Loss] method '{method.Name}' must be static; add the 'static' modifier"));
        }
        if (syntax.ExplicitInterfaceSpecifier is { } explicitInterface)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(explicitInterface.GetLocation()),
                $"[Loss] method '{method.Name}' is an explicit interface implementation, and AutoGrad names the members it generates after the loss; "
                + "declare the loss as an ordinary static method and call it from the implementation"));
        }
        // The declarations around the method, innermost first, one per containing type: a diagnostic
        // points into the loss's own file, whose positions are the only ones its reading depends on.
        var enclosing = syntax.Ancestors().OfType<TypeDeclarationSyntax>().ToList();
        int level = 0;
        for (var type = method.ContainingType; type is not null; type = type.ContainingType, level++)
        {
            bool partial = type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                var at = level < enclosing.Count ? enclosing[level].Identifier.GetLocation() : syntax.Identifier.GetLocation();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotStaticOrNotPartial, LocationInfo.From(at),
                    $"type '{type.Name}' contains the [Loss] method '{method.Name}' and must be partial so AutoGrad can add the gradient to it; add the 'partial' modifier"));
            }
        }
        int lossOverloads = method.ContainingType.GetMembers(method.Name)
            .OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == LossAttribute));
        if (lossOverloads > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"[Loss] methods named '{method.Name}' are overloaded; give each loss its own name, since '{method.Name}Gradient' and '{method.Name}Derivation' are generated from it"));
        }
        else if (TakenName(method) is { } taken)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"'{method.ContainingType.Name}' already declares '{taken}', a name AutoGrad generates for the loss '{method.Name}' "
                + $"({string.Join(", ", GeneratedSuffixes.Select(s => method.Name + s))}); rename the loss or that member"));
        }
        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(syntax.TypeParameterList),
                $"[Loss] method '{method.Name}' cannot be generic; use double and AutoGrad.Vec parameters"));
        }
        if (method.ReturnType.SpecialType != SpecialType.System_Double)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(syntax.ReturnType),
                $"[Loss] method '{method.Name}' returns '{method.ReturnType.ToDisplayString()}'; a loss returns double"));
        }
    }

    /// <summary>The public members generated for a loss M: MGradient, MDerivation and the batch methods.</summary>
    private static readonly string[] GeneratedSuffixes = { "Gradient", "Derivation", "Forward", "Backward", "ForwardBackward" };

    /// <summary>A member of the loss's type (declared by the user: the generator's own output is not in its input) with a generated name.</summary>
    private static string? TakenName(IMethodSymbol method)
    {
        string kernelPrefix = "__" + method.Name + "_";
        return method.ContainingType.MemberNames
            .Concat(method.ContainingType.GetTypeMembers().Select(t => t.Name))
            .Where(n => (n.StartsWith(method.Name, StringComparison.Ordinal) && Array.IndexOf(GeneratedSuffixes, n.Substring(method.Name.Length)) >= 0)
                        || n.StartsWith(kernelPrefix, StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static IEnumerable<ParameterSpec> Parameters(IMethodSymbol method, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        var specs = new List<ParameterSpec>();
        foreach (var p in method.Parameters)
        {
            SyntaxNode? at = p.Ordinal < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[p.Ordinal] : null;
            bool isDouble = p.Type.SpecialType == SpecialType.System_Double;
            bool isVec = p.Type.ToDisplayString() == VecType;
            if (!isDouble && !isVec)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(at),
                    $"parameter '{p.Name}' has type '{p.Type.ToDisplayString()}'; a [Loss] parameter is double or AutoGrad.Vec"));
                continue;
            }
            if (p.RefKind != RefKind.None || p.IsParams)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(at),
                    $"parameter '{p.Name}' is passed by reference or as params; [Loss] parameters are passed by value"));
                continue;
            }
            var role = ParameterRole.Differentiated;
            bool sumsToOne = false;
            foreach (var attribute in p.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (name == TargetAttribute)
                {
                    role = ParameterRole.Target;
                    sumsToOne = attribute.NamedArguments.Any(a => a.Key == "SumsToOne" && a.Value.Value is true);
                }
                else if (name == ConstantAttribute)
                {
                    role = ParameterRole.Constant;
                }
            }
            string identifier = SyntaxFacts.GetKeywordKind(p.Name) != SyntaxKind.None ? "@" + p.Name : p.Name;
            specs.Add(new ParameterSpec(p.Name, isVec, role, sumsToOne && isVec, identifier));
        }
        if (specs.Count == method.Parameters.Length && specs.Count > 64)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"[Loss] method '{method.Name}' has more than 64 parameters"));
        }
        else if (specs.Count == method.Parameters.Length && specs.All(s => s.Role != ParameterRole.Differentiated))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"[Loss] method '{method.Name}' has no parameter to differentiate; leave at least one parameter without [Target] or [Constant]"));
        }
        return specs;
    }

    /// <summary>An expression body, or local declarations followed by one return.</summary>
    private static int? TranslateBody(MethodDeclarationSyntax syntax, ExpressionTranslator translator, Dictionary<string, int> names, List<DiagnosticInfo> diagnostics)
    {
        if (syntax.ExpressionBody is { } arrow) return translator.Translate(arrow.Expression);
        if (syntax.Body is not { } block)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, LocationInfo.From(syntax.Identifier.GetLocation()),
                "a [Loss] method needs a body: an expression (=> ...) or local declarations followed by one return"));
            return null;
        }

        var statements = block.Statements;
        for (int i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            bool last = i == statements.Count - 1;
            switch (statement)
            {
                case LocalDeclarationStatementSyntax local when !last:
                    foreach (var variable in local.Declaration.Variables)
                    {
                        if (variable.Initializer is null)
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, LocationInfo.From(variable),
                                $"local '{variable.Identifier.ValueText}' must be initialized where it is declared; a [Loss] body declares each local once, with its value"));
                            continue;
                        }
                        if (translator.Translate(variable.Initializer.Value) is int value) names[variable.Identifier.ValueText] = value;
                    }
                    break;
                case ReturnStatementSyntax { Expression: { } returned } when last:
                    return translator.Translate(returned);
                default:
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, LocationInfo.From(FirstLine(statement)),
                        Describe(statement) + " is not supported in a [Loss] body; the body is an expression, or local declarations followed by one return"));
                    break;
            }
        }
        if (statements.Count == 0 || statements.Last() is not ReturnStatementSyntax)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, LocationInfo.From(block.CloseBraceToken.GetLocation()),
                "a [Loss] body must end with a return of the loss"));
        }
        return null;
    }

    private static SyntaxNode FirstLine(StatementSyntax statement) => statement switch
    {
        ForStatementSyntax s => s.ForKeyword.Parent!,
        _ => statement,
    };

    private static string Describe(StatementSyntax statement) => statement switch
    {
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "a loop",
        IfStatementSyntax => "an if statement (use cond ? a : b)",
        ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax } => "an assignment (declare a new local instead)",
        ExpressionStatementSyntax => "an expression statement",
        TryStatementSyntax => "a try statement",
        LocalFunctionStatementSyntax => "a local function",
        ReturnStatementSyntax => "a return before the end of the body",
        LocalDeclarationStatementSyntax => "a declaration after the return",
        _ => "this statement",
    };

    private static (string Namespace, EquatableArray<ContainingType> Types) Hierarchy(IMethodSymbol method)
    {
        var types = new List<ContainingType>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            string keyword = type.IsRecord
                ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record")
                : type.TypeKind switch
                {
                    TypeKind.Struct => "struct",
                    TypeKind.Interface => "interface",
                    _ => "class",
                };
            string name = type.Name + (type.TypeParameters.Length > 0 ? "<" + string.Join(", ", type.TypeParameters.Select(t => t.Name)) + ">" : "");
            types.Insert(0, new ContainingType(keyword, name, type.IsStatic));
        }
        var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return (ns, types.ToEquatableArray());
    }

    private static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
