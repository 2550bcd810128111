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
        if (model.Parameters.Count > 16 || loss.Differentiated.Count > 16)
        {
            w.Line();
            w.Line("// No batch kernels: they take at most 16 parameters and 16 gradients.");
            return;
        }

        var kernel = new BatchKernel(loss.Code!, model, loss.Differentiated);
        var names = new Names(model, loss.Differentiated);
        var plans = new[] { BatchMethod.Forward, BatchMethod.ForwardPerExample, BatchMethod.Backward, BatchMethod.ForwardBackward }
            .Select(m => new BatchPlan(kernel, m))
            .ToList();
        w.Line();
        w.Line("#nullable disable");
        foreach (bool isFloat in new[] { true, false })
        {
            var code = new BatchCode(kernel, model, isFloat);
            foreach (var plan in plans)
            {
                w.Line();
                EmitPublicMethod(w, loss, plan, code, names);
            }
            foreach (var plan in plans)
            {
                w.Line();
                EmitChunk(w, loss, plan, code, names);
            }
        }
        w.Line("#nullable restore");
    }

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

    private static string ChunkName(LossModel model, BatchMethod method, BatchCode code) =>
        "__" + model.MethodName + "_" + method + "_" + code.TypeName;

    // ---- public methods ------------------------------------------------------------------------

    private static void EmitPublicMethod(SourceWriter w, DerivedLoss loss, BatchPlan plan, BatchCode code, Names names)
    {
        var model = loss.Model;
        bool vector = plan.Kernel.IsVectorLoss;
        string T = code.T;
        string span = "global::System.ReadOnlySpan<" + T + ">";
        string outSpan = "global::System.Span<" + T + ">";

        var parameters = new List<string>();
        foreach (var p in model.Parameters)
        {
            parameters.Add((p.Role == ParameterRole.Constant && !p.IsVector ? T : span) + " " + p.Identifier);
        }
        if (vector) parameters.Add("int " + Names.Id(names.Classes));
        if (plan.StoresLoss) parameters.Add(outSpan + " " + Names.Id(names.Losses));
        if (plan.StoresGradients)
        {
            parameters.AddRange(names.Gradients.Select(g => outSpan + " " + Names.Id(g)));
        }
        bool reduces = plan.Method != BatchMethod.ForwardPerExample;
        if (reduces) parameters.Add(ReductionType + " " + Names.Id(names.Reduction) + " = " + ReductionType + ".Mean");

        EmitDocumentation(w, loss, plan, code, names);
        string returnType = plan.AccumulatesLoss ? T : "void";
        w.Open(model.Accessibility + " static " + returnType + " " + MethodName(model, plan.Method) + "(" + string.Join(", ", parameters) + ")");

        // Checks.
        w.Line("// Check every argument before anything is read or written.");
        if (reduces) w.Line(Runner + "CheckReduction(" + Names.Id(names.Reduction) + ", \"" + names.Reduction + "\");");
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
        void Check(string identifier, string name, bool isVector)
        {
            if (isVector)
            {
                w.Line("if (" + identifier + ".Length != (long)__n * " + classes + ") " + Runner + "ThrowLength(\"" + name + "\", " + identifier + ".Length, (long)__n * " + classes + ", \"" + perElement + "\");");
            }
            else
            {
                w.Line("if (" + identifier + ".Length != __n) " + Runner + "ThrowLength(\"" + name + "\", " + identifier + ".Length, __n, \"" + perExample + "\");");
            }
        }
        foreach (var p in model.Parameters.Where(p => p != first))
        {
            if (p.Role == ParameterRole.Constant && p.IsVector)
            {
                w.Line("if (" + p.Identifier + ".Length != " + classes + ") " + Runner + "ThrowLength(\"" + p.Name + "\", " + p.Identifier + ".Length, " + classes + ", \"one per class\");");
            }
            else if (p.Role != ParameterRole.Constant)
            {
                Check(p.Identifier, p.Name, p.IsVector);
            }
        }
        if (plan.StoresLoss) Check(Names.Id(names.Losses), names.Losses, isVector: false);
        if (plan.StoresGradients)
        {
            for (int k = 0; k < names.Gradients.Count; k++)
            {
                Check(Names.Id(names.Gradients[k]), names.Gradients[k], model.Parameters[loss.Differentiated[k]].IsVector);
            }
        }

        // The call.
        w.Line("// Run the kernel over fixed chunks of the batch (across cores when it is large enough).");
        var fields = new List<string>();
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            var p = model.Parameters[i];
            fields.Add("In" + i + " = " + (p.Role == ParameterRole.Constant && !p.IsVector ? "new " + span + "(in " + p.Identifier + ")" : p.Identifier));
        }
        if (plan.StoresLoss) fields.Add("Out0 = " + Names.Id(names.Losses));
        if (plan.StoresGradients)
        {
            for (int k = 0; k < names.Gradients.Count; k++) fields.Add("Out" + k + " = " + Names.Id(names.Gradients[k]));
        }
        if (plan.StoresGradients)
        {
            fields.Add("Scale = " + Names.Id(names.Reduction) + " == " + ReductionType + ".Sum ? " + code.Literal(1) + " : " + code.Literal(1) + " / __n");
        }
        fields.Add("Classes = " + (vector ? classes : "1"));
        w.Line("var __args = new global::AutoGrad.Internal.BatchArgs<" + T + "> { " + string.Join(", ", fields) + " };");
        string run = Runner + "Run(in __args, __n, " + (vector ? classes : "1") + ", " + ChunkName(model, plan.Method, code) + ")";
        if (plan.AccumulatesLoss)
        {
            w.Line("double __total = " + run + ";");
            w.Line("return (" + T + ")(" + Names.Id(names.Reduction) + " == " + ReductionType + ".Sum ? __total : __total / __n);");
        }
        else
        {
            w.Line(run + ";");
        }
        w.Close();
    }

    private static void EmitDocumentation(SourceWriter w, DerivedLoss loss, BatchPlan plan, BatchCode code, Names names)
    {
        var model = loss.Model;
        bool vector = plan.Kernel.IsVectorLoss;
        string cref = "<see cref=\"" + LossEmitter.Cref(model) + "\"/>";
        string type = "<see cref=\"" + code.T + "\"/>";
        string classesRef = "<paramref name=\"" + names.Classes + "\"/>";
        string per = vector ? "row" : "example";

        w.Line("/// <summary>");
        switch (plan.Method)
        {
            case BatchMethod.Forward:
                w.Line("/// The loss " + cref + " over a batch, in " + type + ": the mean (or sum) over the " + per + "s of");
                break;
            case BatchMethod.ForwardPerExample:
                w.Line("/// The loss " + cref + " of each " + per + " of a batch, in " + type + ":");
                break;
            case BatchMethod.Backward:
                w.Line("/// The gradient of the mean (or summed) loss " + cref + " over a batch, in " + type + ", for each " + per + ":");
                break;
            default:
                w.Line("/// The mean (or summed) loss " + cref + " over a batch and its gradient for each " + per + ", in " + type + ", in one pass:");
                break;
        }
        w.Line("/// <code>");
        if (plan.AccumulatesLoss || plan.StoresLoss) w.Line("/// L = " + SourceWriter.Xml(loss.LossFormula));
        if (plan.StoresGradients)
        {
            for (int k = 0; k < loss.Differentiated.Count; k++)
            {
                w.Line("/// ∂L/∂" + model.Parameters[loss.Differentiated[k]].Name + " = " + SourceWriter.Xml(loss.GradientFormulas[k]));
            }
        }
        w.Line("/// </code>");
        w.Line("/// </summary>");
        w.Line("/// <remarks>");
        w.Line("/// One fused loop over <see cref=\"global::System.Runtime.Intrinsics.Vector256{T}\"/> (or <see cref=\"global::System.Runtime.Intrinsics.Vector128{T}\"/>)");
        w.Line("/// lanes with a scalar tail that computes the same operations" + (vector ? ", row by row in passes over the classes" : "") + ".");
        if (plan.AccumulatesLoss)
        {
            w.Line("/// The loss is summed in " + code.T + " lanes over short blocks and in double across them.");
        }
        w.Line("/// Batches of at least <see cref=\"global::AutoGrad.AutoGradSettings.ParallelThreshold\"/> elements run across cores, in fixed");
        w.Line("/// chunks: the results do not depend on the number of cores." + (plan.StoresGradients || plan.StoresLoss ? " An output may be the same span as an input, but may not overlap one otherwise." : ""));
        w.Line("/// </remarks>");
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
        if (plan.StoresLoss) w.Line("/// <param name=\"" + names.Losses + "\">Receives the loss of each " + per + ".</param>");
        if (plan.StoresGradients)
        {
            for (int k = 0; k < names.Gradients.Count; k++)
            {
                var p = model.Parameters[loss.Differentiated[k]];
                w.Line("/// <param name=\"" + names.Gradients[k] + "\">Receives ∂L/∂" + p.Name + " of the reduced loss, " + (p.IsVector ? "batch × " + classesRef : "one per " + per) + " (under Mean it carries the factor 1/N).</param>");
            }
        }
        if (plan.Method != BatchMethod.ForwardPerExample)
        {
            w.Line("/// <param name=\"" + names.Reduction + "\"><see cref=\"global::AutoGrad.Reduction.Mean\"/> (the default) or <see cref=\"global::AutoGrad.Reduction.Sum\"/> of the per-" + per + " losses.</param>");
        }
        if (plan.AccumulatesLoss)
        {
            w.Line("/// <returns>The mean or the sum of the per-" + per + " losses (the mean of an empty batch is NaN).</returns>");
        }
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length does not fit the batch; the exception names the parameter.</exception>");
        if (vector || plan.Method != BatchMethod.ForwardPerExample)
        {
            w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">" + (vector ? classesRef + " is not positive" : "") + (vector && plan.Method != BatchMethod.ForwardPerExample ? ", or " : "") + (plan.Method != BatchMethod.ForwardPerExample ? "<paramref name=\"" + names.Reduction + "\"/> is not a defined value" : "") + ".</exception>");
        }
    }
}
