using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.IR;

namespace AutoGrad.Generator.Model;

/// <summary>What a parameter is to the loss.</summary>
internal enum ParameterRole
{
    /// <summary>Differentiated; one value per example.</summary>
    Differentiated,

    /// <summary>The label (<c>[Target]</c>); one value per example, not differentiated.</summary>
    Target,

    /// <summary>A hyperparameter or fixed input (<c>[Constant]</c>); one value per batch.</summary>
    Constant,
}

/// <summary>One parameter of a [Loss] method.</summary>
/// <param name="Name">Its name as written (without @).</param>
/// <param name="IsVector">True for <c>AutoGrad.Vec</c>, false for <c>double</c>.</param>
/// <param name="Role">Differentiated, target or constant.</param>
/// <param name="SumsToOne">A vector target declared <c>[Target(SumsToOne = true)]</c>.</param>
/// <param name="Identifier">The name as a C# identifier (with @ where it is a keyword).</param>
internal sealed record ParameterSpec(string Name, bool IsVector, ParameterRole Role, bool SumsToOne, string Identifier);

/// <summary>One type around the [Loss] method, outermost first.</summary>
/// <param name="Keyword">class, struct, record, record struct or interface.</param>
/// <param name="Name">The name with its type parameter list, e.g. <c>Losses&lt;T&gt;</c>.</param>
/// <param name="IsStatic">Declared static.</param>
internal sealed record ContainingType(string Keyword, string Name, bool IsStatic);

/// <summary>A non-smooth construct applied to a differentiated value, for AG0006.</summary>
/// <param name="Construct">What it is, as written (Abs, Max, ?:, ...).</param>
/// <param name="Location">Where.</param>
internal sealed record NonSmoothSite(string Construct, LocationInfo? Location);

/// <summary>
/// The parse stage's result for one [Loss] method: its signature, its body as an expression DAG,
/// and what went wrong. Holds nothing from the compilation, compares by value.
/// </summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="Types">Containing types, outermost first.</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="Accessibility">The method's accessibility as C# modifiers.</param>
/// <param name="Parameters">The parameters in declaration order.</param>
/// <param name="Loss">The body (null when the method cannot be generated).</param>
/// <param name="NonSmooth">Non-smooth constructs on differentiated values.</param>
/// <param name="Diagnostics">Errors found while parsing.</param>
/// <param name="Location">The method's name, for diagnostics about the whole method.</param>
internal sealed record LossModel(
    string Namespace,
    EquatableArray<ContainingType> Types,
    string MethodName,
    string Accessibility,
    EquatableArray<ParameterSpec> Parameters,
    ExprDag? Loss,
    EquatableArray<NonSmoothSite> NonSmooth,
    EquatableArray<DiagnosticInfo> Diagnostics,
    LocationInfo? Location)
{
    /// <summary>
    /// The type's fully qualified name plus method, unique per loss: the generated file's hint name. Nested types are
    /// joined by '+' as in the runtime's type names, so namespace A's type B (<c>A.B.M.g.cs</c>) and type A's nested B
    /// (<c>A+B.M.g.cs</c>), which can both be declared (the compiler then reports CS0101), do not collide: Roslyn would
    /// throw on a hint name added twice. Generic types read <c>Outer{T}</c>; any other character Roslyn refuses in a
    /// hint name (a half-typed name can hold '&lt;' or '?') becomes '_'.
    /// </summary>
    public string HintName => ValidHintName(
        (Namespace.Length > 0 ? Namespace + "." : "")
        + string.Join("+", System.Linq.Enumerable.Select(Types, t => t.Name.Replace('<', '{').Replace('>', '}').Replace(", ", ",")))
        + "." + MethodName + ".g.cs");

    /// <summary>
    /// What the derive stage needs: this model without source positions, diagnostics or AG0006 sites, so a loss that
    /// only moved (an edit above it in the file) compares equal and is not derived or emitted again. Positions are
    /// put back on the diagnostics by the pipeline.
    /// </summary>
    public LossModel WithoutLocations() => this with
    {
        Location = null,
        Diagnostics = EquatableArray<DiagnosticInfo>.Empty,
        NonSmooth = EquatableArray<NonSmoothSite>.Empty,
    };

    /// <summary>Roslyn's rule for hint names: identifier characters and <c>.,-_+ ()[]{}</c>.</summary>
    private static string ValidHintName(string name)
    {
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            bool valid = Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsIdentifierPartCharacter(c) || c is '.' or ',' or '-' or '_' or '+' or ' ' or '(' or ')' or '[' or ']' or '{' or '}';
            if (!valid) chars[i] = '_';
        }
        return new string(chars);
    }
}
