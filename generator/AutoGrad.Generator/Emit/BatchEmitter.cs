using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Pipeline;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.Generator.Emit;

/// <summary>
/// Emits the batch kernels of API.md §3.2 for T = float and T = double: <c>MForward</c> (reduced, and per example),
/// <c>MBackward</c> and <c>MForwardBackward</c>. Each public method checks every span length, then hands the
/// spans to <c>AutoGrad.Internal.BatchRunner</c>, which runs a private chunk kernel over fixed chunks of the
/// batch (across cores for large batches). A chunk kernel is one fused loop over <c>Vector256</c> lanes, then
/// <c>Vector128</c> lanes, then a scalar tail that computes the same operations on one lane (see
/// <see cref="BatchKernel"/> for what the loop computes and <see cref="BatchPlan"/> for how a vector loss is
/// taken row by row in passes over the classes).
/// </summary>
/// <remarks>
/// Naming: the gradient output of parameter <c>p</c> is <c>d</c> + <c>p</c> as written (<c>z</c> → <c>dz</c>,
/// <c>logVar</c> → <c>dlogVar</c>); a Vec loss takes <c>int classes</c> after its inputs; per-example losses go to
/// <c>losses</c>; the reduction is <c>reduction</c>. A name that clashes with a parameter of the loss gets a
/// trailing underscore.
/// </remarks>
internal static partial class BatchEmitter
{
    private const string Runner = "global::AutoGrad.Internal.BatchRunner.";
    private const string ReductionType = "global::AutoGrad.Reduction";

    public static void Emit(SourceWriter w, DerivedLoss loss)
    {
        var model = loss.Model;
        if (model.Parameters.Count > 16 || loss.Differentiated.Count > 15)
        {
            w.Line();
            w.Line("// No batch kernels: they take at most 16 parameters and 15 differentiated ones.");
            return;
        }

        var kernel = new BatchKernel(loss.Code!, model, loss.Differentiated);
        var names = new Names(model, loss.Differentiated);
        var methods = new[] { BatchMethod.Forward, BatchMethod.ForwardPerExample, BatchMethod.Backward, BatchMethod.ForwardBackward };
        foreach (bool isFloat in new[] { true, false })
        {
            foreach (var method in methods)
            {
                w.Line();
                EmitPublicMethod(w, loss, kernel, method, isFloat, names);
            }
        }
        var code = new BatchCode(kernel, model);
        w.Line();
        EmitEntry(w, loss, kernel, code, names);

        // The kernels: one for all four methods of a scalar loss; for a vector loss one for the forward methods and
        // one for the methods with gradients (their passes over a row are scheduled differently).
        if (kernel.IsVectorLoss)
        {
            w.Line();
            EmitKernel(w, loss, new BatchPlan(kernel, withGradients: false), code, KernelName(model, kernel, BatchMethod.Forward));
        }
        w.Line();
        EmitKernel(w, loss, new BatchPlan(kernel, withGradients: true), code, KernelName(model, kernel, BatchMethod.Backward));
    }

    private static string EntryName(LossModel model) => "__" + model.MethodName + "_Batch";

    private static string KernelName(LossModel model, BatchKernel kernel, BatchMethod method) =>
        "__" + model.MethodName + (!kernel.IsVectorLoss ? "_Kernel" : method is BatchMethod.Forward or BatchMethod.ForwardPerExample ? "_LossKernel" : "_GradientKernel");

    private static string ModeName(BatchMethod method) => "global::AutoGrad.Internal." + method switch
    {
        BatchMethod.Forward => "ForwardMode",
        BatchMethod.ForwardPerExample => "ForwardPerExampleMode",
        BatchMethod.Backward => "BackwardMode",
        _ => "ForwardBackwardMode",
    };

    // ---- names ---------------------------------------------------------------------------------

    /// <summary>The generated parameter names of one loss, clear of the loss's own parameter names.</summary>
    private sealed class Names
    {
        public Names(LossModel model, IReadOnlyList<int> differentiated)
        {
            var taken = new HashSet<string>(model.Parameters.Select(p => p.Name));
            string Fresh(string name)
            {
                while (taken.Contains(name)) name += "_";
                taken.Add(name);
                return name;
            }
            Gradients = differentiated.Select(i => Fresh("d" + model.Parameters[i].Name)).ToList();
            Classes = Fresh("classes");
            Losses = Fresh("losses");
            Reduction = Fresh("reduction");
        }

        /// <summary>The gradient outputs, parallel to the differentiated parameters (unescaped).</summary>
        public IReadOnlyList<string> Gradients { get; }

        public string Classes { get; }

        public string Losses { get; }

        public string Reduction { get; }

        /// <summary>A name as a C# identifier: <c>@</c> before a keyword.</summary>
        public static string Id(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.UnderscoreToken
                ? "@" + name
                : name;
    }

    private static string MethodName(LossModel model, BatchMethod method) => model.MethodName + method switch
    {
        BatchMethod.Forward or BatchMethod.ForwardPerExample => "Forward",
        BatchMethod.Backward => "Backward",
        _ => "ForwardBackward",
    };

    // ---- public methods -------------------------------------------------------------------------

    /// <summary>The inputs of a batch method, for element type <paramref name="t"/>: spans, a T per [Constant] number, then <c>classes</c>.</summary>
    private static List<string> InputParameters(LossModel model, bool vector, string t, Names names)
    {
        var parameters = model.Parameters
            .Select(p => (p.Role == ParameterRole.Constant && !p.IsVector ? t : "global::System.ReadOnlySpan<" + t + ">") + " " + p.Identifier)
            .ToList();
        if (vector) parameters.Add("int " + Names.Id(names.Classes));
        return parameters;
    }

    /// <summary>A public method: documentation (for float; the double overload inherits it) and one call to the entry.</summary>
    private static void EmitPublicMethod(SourceWriter w, DerivedLoss loss, BatchKernel kernel, BatchMethod method, bool isFloat, Names names)
    {
        var model = loss.Model;
        bool vector = kernel.IsVectorLoss;
        string t = isFloat ? "float" : "double";
        string outSpan = "global::System.Span<" + t + ">";
        bool storesLoss = method == BatchMethod.ForwardPerExample;
        bool storesGradients = method is BatchMethod.Backward or BatchMethod.ForwardBackward;
        bool reduces = method != BatchMethod.ForwardPerExample;

        var parameters = InputParameters(model, vector, t, names);
        if (storesLoss) parameters.Add(outSpan + " " + Names.Id(names.Losses));
        if (storesGradients) parameters.AddRange(names.Gradients.Select(g => outSpan + " " + Names.Id(g)));
        if (reduces) parameters.Add(ReductionType + " " + Names.Id(names.Reduction) + " = " + ReductionType + ".Mean");

        if (isFloat)
        {
            EmitDocumentation(w, loss, kernel, method, names);
        }
        else
        {
            var floatTypes = model.Parameters.Select(p => p.Role == ParameterRole.Constant && !p.IsVector ? "float" : "System.ReadOnlySpan{float}").ToList();
            if (vector) floatTypes.Add("int");
            if (storesLoss) floatTypes.Add("System.Span{float}");
            if (storesGradients) floatTypes.AddRange(names.Gradients.Select(_ => "System.Span{float}"));
            if (reduces) floatTypes.Add("AutoGrad.Reduction");
            w.Line("/// <inheritdoc cref=\"" + MethodName(model, method) + "(" + string.Join(", ", floatTypes) + ")\"/>");
        }

        var arguments = model.Parameters.Select(p => p.Identifier).ToList();
        if (vector) arguments.Add(Names.Id(names.Classes));
        arguments.Add(storesLoss ? Names.Id(names.Losses) : "default");
        arguments.AddRange(names.Gradients.Select(g => storesGradients ? Names.Id(g) : "default"));
        arguments.Add(reduces ? Names.Id(names.Reduction) : ReductionType + ".Sum");
        string call = EntryName(model) + "<" + t + ", " + ModeName(method) + ">(" + string.Join(", ", arguments) + ")";
        string returnType = method is BatchMethod.Forward or BatchMethod.ForwardBackward ? t : "void";
        w.Line(model.Accessibility + " static " + returnType + " " + MethodName(model, method) + "(" + string.Join(", ", parameters) + ")");
        w.Indent();
        w.Line("=> " + call + ";");
        w.Outdent();
    }

    /// <summary>
    /// The entry every public method calls: checks every argument (before anything is read or written), then runs
    /// the kernel over fixed chunks of the batch.
    /// </summary>
    private static void EmitEntry(SourceWriter w, DerivedLoss loss, BatchKernel kernel, BatchCode code, Names names)
    {
        var model = loss.Model;
        bool vector = kernel.IsVectorLoss;
        string T = code.T, TMode = code.TMode;
        var parameters = InputParameters(model, vector, T, names);
        parameters.Add("global::System.Span<" + T + "> " + Names.Id(names.Losses));
        parameters.AddRange(names.Gradients.Select(g => "global::System.Span<" + T + "> " + Names.Id(g)));
        parameters.Add(ReductionType + " " + Names.Id(names.Reduction));

        w.Line("// The batch methods of " + model.MethodName + ": check every argument before anything is read or written, then run the kernel");
        w.Line("// over fixed chunks of the batch (across cores when it is large enough). Returns the reduced loss (0 when not wanted).");
        w.Line("private static " + T + " " + EntryName(model) + "<" + T + ", " + TMode + ">(" + string.Join(", ", parameters) + ")");
        w.Indent();
        foreach (string constraint in code.Constraints) w.Line(constraint);
        w.Outdent();
        OpenBlock(w, "");

        string reduction = Names.Id(names.Reduction);
        w.Line("if (!" + TMode + ".StoresLoss) " + Runner + "CheckReduction(" + reduction + ", \"" + names.Reduction + "\");");
        var first = model.Parameters.First(p => p.Role != ParameterRole.Constant);
        string classes = Names.Id(names.Classes);
        if (vector)
        {
            w.Line(Runner + "CheckClasses(" + classes + ", \"" + names.Classes + "\");");
            if (first.IsVector)
            {
                w.Line("if (" + first.Identifier + ".Length % " + classes + " != 0) " + Runner + "ThrowRows(\"" + first.Name + "\", " + first.Identifier + ".Length, " + classes + ");");
                w.Line("int __n = " + first.Identifier + ".Length / " + classes + ";");
            }
            else
            {
                w.Line("int __n = " + first.Identifier + ".Length;");
            }
        }
        else
        {
            w.Line("int __n = " + first.Identifier + ".Length;");
        }

        string perExample = vector ? "one per row of " + first.Name : "one per example, as " + first.Name;
        string perElement = "batch × classes, as " + first.Name;
        string Check(string identifier, string name, bool isVector) => isVector
            ? "if (" + identifier + ".Length != (long)__n * " + classes + ") " + Runner + "ThrowLength(\"" + name + "\", " + identifier + ".Length, (long)__n * " + classes + ", \"" + perElement + "\");"
            : "if (" + identifier + ".Length != __n) " + Runner + "ThrowLength(\"" + name + "\", " + identifier + ".Length, __n, \"" + perExample + "\");";
        foreach (var p in model.Parameters.Where(p => p != first))
        {
            if (p.Role == ParameterRole.Constant && p.IsVector)
            {
                w.Line("if (" + p.Identifier + ".Length != " + classes + ") " + Runner + "ThrowLength(\"" + p.Name + "\", " + p.Identifier + ".Length, " + classes + ", \"one per class\");");
            }
            else if (p.Role != ParameterRole.Constant)
            {
                w.Line(Check(p.Identifier, p.Name, p.IsVector));
            }
        }
        w.Line("if (" + TMode + ".StoresLoss) " + Check(Names.Id(names.Losses), names.Losses, isVector: false));
        for (int k = 0; k < names.Gradients.Count; k++)
        {
            w.Line("if (" + TMode + ".StoresGradients) " + Check(Names.Id(names.Gradients[k]), names.Gradients[k], model.Parameters[loss.Differentiated[k]].IsVector));
        }

        var fields = new List<string>();
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            var p = model.Parameters[i];
            fields.Add("In" + i + " = " + (p.Role == ParameterRole.Constant && !p.IsVector ? "new global::System.ReadOnlySpan<" + T + ">(in " + p.Identifier + ")" : p.Identifier));
        }
        for (int k = 0; k < names.Gradients.Count; k++) fields.Add("Out" + k + " = " + Names.Id(names.Gradients[k]));
        fields.Add("Out" + names.Gradients.Count + " = " + Names.Id(names.Losses));
        fields.Add("Scale = " + reduction + " == " + ReductionType + ".Sum ? " + T + ".One : " + T + ".One / " + BatchCode.KernelMath + "FromInt32<" + T + ">(__n)");
        fields.Add("Classes = " + (vector ? classes : "1"));
        w.Line("var __args = new global::AutoGrad.Internal.BatchArgs<" + T + "> { " + string.Join(", ", fields) + " };");
        string perItem = vector ? classes : "1";
        if (vector)
        {
            w.Line("double __total = " + TMode + ".StoresGradients");
            w.Indent();
            w.Line("? " + Runner + "Run(in __args, __n, " + perItem + ", " + KernelName(model, kernel, BatchMethod.Backward) + "<" + T + ", " + TMode + ">)");
            w.Line(": " + Runner + "Run(in __args, __n, " + perItem + ", " + KernelName(model, kernel, BatchMethod.Forward) + "<" + T + ", " + TMode + ">);");
            w.Outdent();
        }
        else
        {
            w.Line("double __total = " + Runner + "Run(in __args, __n, " + perItem + ", " + KernelName(model, kernel, BatchMethod.Forward) + "<" + T + ", " + TMode + ">);");
        }
        w.Line("return " + BatchCode.KernelMath + "FromDouble<" + T + ">(" + reduction + " == " + ReductionType + ".Sum ? __total : __total / __n);");
        w.Close();
    }

    private static void EmitDocumentation(SourceWriter w, DerivedLoss loss, BatchKernel kernel, BatchMethod method, Names names)
    {
        var model = loss.Model;
        bool vector = kernel.IsVectorLoss;
        bool storesLoss = method == BatchMethod.ForwardPerExample;
        bool storesGradients = method is BatchMethod.Backward or BatchMethod.ForwardBackward;
        string cref = "<see cref=\"" + LossEmitter.Cref(model) + "\"/>";
        string classesRef = "<paramref name=\"" + names.Classes + "\"/>";
        string per = vector ? "row" : "example";

        w.Line("/// <summary>");
        w.Line("/// " + method switch
        {
            BatchMethod.Forward => "The mean (or sum) over a batch of the loss " + cref + ":",
            BatchMethod.ForwardPerExample => "The loss " + cref + " of each " + per + " of a batch:",
            BatchMethod.Backward => "The gradient of the mean (or summed) loss " + cref + " over a batch, for each " + per + ":",
            _ => "The mean (or summed) loss " + cref + " over a batch and its gradient for each " + per + ", in one pass:",
        });
        w.Line("/// <code>");
        if (!storesGradients || method == BatchMethod.ForwardBackward) w.Line("/// L = " + SourceWriter.Xml(loss.LossFormula));
        if (storesGradients)
        {
            for (int k = 0; k < loss.Differentiated.Count; k++)
            {
                w.Line("/// ∂L/∂" + model.Parameters[loss.Differentiated[k]].Name + " = " + SourceWriter.Xml(loss.GradientFormulas[k]));
            }
        }
        w.Line("/// </code>");
        w.Line("/// In float or double, as the spans are. One fused loop over Vector256 (or Vector128) lanes" + (vector ? ", row by row in passes over the classes" : "") + "; large batches");
        w.Line("/// run across cores in fixed chunks, with the same result on any number of cores (<see cref=\"global::AutoGrad.AutoGradSettings\"/>).");
        w.Line("/// </summary>");
        foreach (var p in model.Parameters)
        {
            string what = p.Role switch
            {
                ParameterRole.Constant when p.IsVector => "One value per class, the same for every " + per + ".",
                ParameterRole.Constant => "The same for the whole batch.",
                _ when p.IsVector => "Row-major, batch × " + classesRef + ": one row per example" + (p.Role == ParameterRole.Target ? " (the target)." : "."),
                ParameterRole.Target => "One value per " + per + " (the target).",
                _ => "One value per " + per + ".",
            };
            w.Line("/// <param name=\"" + p.Name + "\">" + what + "</param>");
        }
        if (vector) w.Line("/// <param name=\"" + names.Classes + "\">The number of classes: the length of each row.</param>");
        if (storesLoss) w.Line("/// <param name=\"" + names.Losses + "\">Receives the loss of each " + per + " (it may be an input span itself, but may not overlap one otherwise).</param>");
        if (storesGradients)
        {
            for (int k = 0; k < names.Gradients.Count; k++)
            {
                var p = model.Parameters[loss.Differentiated[k]];
                w.Line("/// <param name=\"" + names.Gradients[k] + "\">Receives ∂L/∂" + p.Name + " of the reduced loss, " + (p.IsVector ? "batch × " + classesRef : "one per " + per) + ", with the factor 1/N under Mean (it may be an input span itself, but may not overlap one otherwise).</param>");
            }
        }
        if (method != BatchMethod.ForwardPerExample)
        {
            w.Line("/// <param name=\"" + names.Reduction + "\">Mean (the default) or Sum of the per-" + per + " losses.</param>");
        }
        if (method is BatchMethod.Forward or BatchMethod.ForwardBackward)
        {
            w.Line("/// <returns>The mean or the sum of the per-" + per + " losses (the mean of an empty batch is NaN).</returns>");
        }
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length does not fit the batch" + (vector ? ", or " + classesRef + " is not positive" : "")
            + (method != BatchMethod.ForwardPerExample ? ", or the reduction is not defined" : "") + "; the exception names the parameter.</exception>");
    }
}
