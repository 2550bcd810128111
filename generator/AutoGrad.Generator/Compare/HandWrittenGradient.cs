using AutoGrad.Generator.Helpers;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Pipeline;

namespace AutoGrad.Generator.Compare;

/// <summary>One parameter of a [GradientOf] method, as declared.</summary>
/// <param name="Name">Its name.</param>
/// <param name="TypeName">Its type as written in messages (double, AutoGrad.Vec, float, ...).</param>
/// <param name="IsVector">True for <c>AutoGrad.Vec</c>.</param>
/// <param name="IsSupported">True for <c>double</c> and <c>AutoGrad.Vec</c> passed by value: what a [Loss] parameter can be.</param>
internal sealed record HandParameter(string Name, string TypeName, bool IsVector, bool IsSupported);

/// <summary>One returned component of a [GradientOf] method: the whole return value, or one tuple element.</summary>
/// <param name="Name">The tuple element's explicit name, or null (unnamed element, or not a tuple).</param>
/// <param name="TypeName">Its type as written in messages.</param>
/// <param name="IsVector">True for <c>AutoGrad.Vec</c>.</param>
/// <param name="IsSupported">True for <c>double</c> and <c>AutoGrad.Vec</c>.</param>
internal sealed record HandComponent(string? Name, string TypeName, bool IsVector, bool IsSupported);

/// <summary>
/// The parse stage's result for one [GradientOf] method: which loss it claims to differentiate, its
/// signature, and its body as a DAG with one root per returned component. Holds nothing from the
/// compilation and compares by value, so the comparison step is cached until one of the two methods changes.
/// </summary>
/// <param name="MethodName">The hand-written method's name.</param>
/// <param name="LossTypeKey">The containing type the loss is looked up in: <c>Namespace.Outer.Inner</c> (see <see cref="GradientOfKeys"/>).</param>
/// <param name="LossName">The loss's method name, from the attribute.</param>
/// <param name="Parameter">The one differentiated parameter named in the attribute, or null for all of them.</param>
/// <param name="Parameters">The hand-written method's parameters.</param>
/// <param name="ReturnsTuple">True when it returns a tuple (one component per differentiated parameter).</param>
/// <param name="Returns">The returned components (one unless <paramref name="ReturnsTuple"/>).</param>
/// <param name="Body">The body, one root per component, parameters numbered by position; null when it could not be translated.</param>
/// <param name="BodyProblem">Why the body could not be translated (a diagnostic with the construct's location), if it could not.</param>
/// <param name="Diagnostics">Problems found while parsing that are reported as they are (a bad attribute argument, AG9999).</param>
/// <param name="Location">The method's name, where comparison results are reported.</param>
internal sealed record HandWrittenGradient(
    string MethodName,
    string LossTypeKey,
    string LossName,
    string? Parameter,
    EquatableArray<HandParameter> Parameters,
    bool ReturnsTuple,
    EquatableArray<HandComponent> Returns,
    ExprDag? Body,
    DiagnosticInfo? BodyProblem,
    EquatableArray<DiagnosticInfo> Diagnostics,
    LocationInfo? Location);

/// <summary>
/// The input of the comparison step: a hand-written gradient and the derived losses it may refer to
/// (every [Loss] method of that name in that type: one, none, or overloads).
/// </summary>
/// <param name="Hand">The hand-written gradient.</param>
/// <param name="Candidates">The derived losses with the right containing type and name.</param>
internal sealed record GradientOfCheck(HandWrittenGradient Hand, EquatableArray<DerivedLoss> Candidates);
