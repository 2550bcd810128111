using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Pipeline;

namespace AutoGrad.Generator.Emit;

// The chunk kernels: one private method per batch method and element type, called by
// AutoGrad.Internal.BatchRunner for examples (rows) __start to __end - 1.
internal static partial class BatchEmitter
{
    /// <summary>Loss terms are summed in float lanes over at most this many vectors, then in double.</summary>
    private const int FloatBlockVectors = 64;

    private const string MathClass = "global::System.Math.";

    private static void EmitChunk(SourceWriter w, DerivedLoss loss, BatchPlan plan, BatchCode code, Names names)
    {
        var model = loss.Model;
        var kernel = plan.Kernel;
        w.Line("// Examples (rows) __start to __end - 1 of " + MethodName(model, plan.Method) + " in " + code.T + "; returns their loss sum" + (plan.AccumulatesLoss ? "." : " (none here: 0)."));
        w.Open("private static double " + ChunkName(model, plan.Method, code) + "(scoped in global::AutoGrad.Internal.BatchArgs<" + code.T + "> __a, int __start, int __end)");

        w.Line("// The spans as references (the caller checked their lengths), the [Constant] values, and what depends on nothing else.");
        if (kernel.IsVectorLoss) w.Line("int __classes = __a.Classes;");
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            var p = model.Parameters[i];
            if (p.Role == ParameterRole.Constant && !p.IsVector)
            {
                if (UsesParameter(plan, i)) w.Line(code.T + " " + p.Identifier + " = __a.In" + i + "[0];");
            }
            else if (UsesParameter(plan, i))
            {
                w.Line("ref " + code.T + " " + RefName(p) + " = ref " + BatchCode.MemoryMarshal + "GetReference(__a.In" + i + ");");
            }
        }
        if (plan.StoresLoss) w.Line("ref " + code.T + " __lossesRef = ref " + BatchCode.MemoryMarshal + "GetReference(__a.Out0);");
        if (plan.StoresGradients)
        {
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                w.Line("ref " + code.T + " " + GradientRef(k) + " = ref " + BatchCode.MemoryMarshal + "GetReference(__a.Out" + k + ");");
            }
            w.Line(code.T + " __scale = __a.Scale;");
        }
        foreach (int id in plan.UniformValues)
        {
            var instr = kernel[id];
            if (instr.Op is KOp.Const or KOp.Param) continue;
            w.Line(code.T + " " + code.Name(id) + " = " + code.Expression(id, KMode.Scalar) + ";");
        }
        w.Line("double __total = 0.0;");

        if (kernel.IsVectorLoss) EmitRows(w, plan, code, model);
        else EmitExamples(w, plan, code, model);

        w.Line("return __total;");
        w.Close();
    }

    /// <summary>Opens a block under a header, or a bare block when the header is empty.</summary>
    private static void OpenBlock(SourceWriter w, string header)
    {
        if (header.Length > 0) w.Line(header);
        w.Line("{");
        w.Indent();
    }

    private static bool UsesParameter(BatchPlan plan, int index) =>
        plan.Needed.Any(id => plan.Kernel[id].Op == KOp.Param && plan.Kernel[id].Index == index);

    private static string RefName(ParameterSpec p) => "__" + p.Name + "Ref";

    private static string RowName(ParameterSpec p) => "__" + p.Name + "Row";

    private static string GradientRef(int k) => "__d" + k.ToString(CultureInfo.InvariantCulture) + "Ref";

    private static string GradientRow(int k) => "__d" + k.ToString(CultureInfo.InvariantCulture) + "Row";

    // ---- scalar losses: one loop over the examples -----------------------------------------------

    private static void EmitExamples(SourceWriter w, BatchPlan plan, BatchCode code, LossModel model)
    {
        var kernel = plan.Kernel;
        var roots = new List<int>();
        if (plan.AccumulatesLoss || plan.StoresLoss) roots.Add(kernel.Loss);
        if (plan.StoresGradients) roots.AddRange(kernel.Gradients);
        var body = plan.ElementClosure(roots);

        w.Line("int __i = __start;");
        foreach (var mode in new[] { KMode.V256, KMode.V128 })
        {
            int lanes = code.Lanes(mode);
            string width = lanes.ToString(CultureInfo.InvariantCulture);
            if (mode == KMode.V256)
            {
                w.Open("if (" + BatchCode.VectorClass(mode) + ".IsHardwareAccelerated)");
                w.Line("// Vector256: " + width + " examples per iteration.");
            }
            else
            {
                OpenBlock(w, "");
                w.Line("// Vector128: " + width + " examples per iteration, the last vector partial (what the Vector256 loop left,");
                w.Line("// or everything where Vector256 is not accelerated). There is no scalar tail: the last lanes are computed as vector lanes.");
            }
            EmitBroadcasts(w, plan, code, mode, body, roots);
            string more = mode == KMode.V256 ? "__end - __i >= " + width : "__i < __end";
            string blockEnd = mode == KMode.V256 ? "(__end - __i) & ~" + (lanes - 1).ToString(CultureInfo.InvariantCulture) : "__end - __i";
            string lossValue = code.Keep(code.Operand(kernel.Loss, mode, KLevel.Element), "__i", "__end", 0, mode);
            if (plan.AccumulatesLoss && code.IsFloat)
            {
                w.Open("while (" + more + ")");
                w.Line("// Sum the losses in float lanes over at most " + FloatBlockVectors + " vectors, then add the block in double.");
                w.Line("var __acc = " + code.VectorType(mode) + ".Zero;");
                w.Line("int __blockEnd = __i + " + MathClass + "Min(" + (FloatBlockVectors * lanes).ToString(CultureInfo.InvariantCulture) + ", " + blockEnd + ");");
                w.Open("for (; __i < __blockEnd; __i += " + width + ")");
                EmitExampleBody(w, plan, code, mode, body, "__i");
                w.Line("__acc += " + lossValue + ";");
                w.Close();
                w.Line("__total += " + BatchCode.KernelMath + "SumToDouble(__acc);");
                w.Close();
            }
            else if (plan.AccumulatesLoss)
            {
                w.Line("var __acc = " + code.VectorType(mode) + ".Zero;");
                w.Open("for (; " + more + "; __i += " + width + ")");
                EmitExampleBody(w, plan, code, mode, body, "__i");
                w.Line("__acc += " + lossValue + ";");
                w.Close();
                w.Line("__total += " + BatchCode.KernelMath + "Sum(__acc);");
            }
            else
            {
                w.Open("for (; " + more + "; __i += " + width + ")");
                EmitExampleBody(w, plan, code, mode, body, "__i");
                w.Close();
            }
            w.Close();
        }
    }

    /// <summary>Broadcasts of the uniform and row values that vector code of this pass reads.</summary>
    private static void EmitBroadcasts(SourceWriter w, BatchPlan plan, BatchCode code, KMode mode, IEnumerable<int> body, IEnumerable<int> roots)
    {
        var kernel = plan.Kernel;
        var wanted = code.Broadcasts(body)
            .Concat(roots.Where(r => kernel.LevelOf(r) != KLevel.Element && kernel[r].Op != KOp.Const))
            .Distinct()
            .OrderBy(id => id)
            .ToList();
        foreach (int id in wanted)
        {
            w.Line("var " + code.BroadcastName(id) + " = " + BatchCode.VectorClass(mode) + ".Create(" + code.Name(id) + ");");
        }
        if (plan.StoresGradients && roots.Any(r => kernel.Gradients.Contains(r)))
        {
            w.Line("var __v_scale = " + BatchCode.VectorClass(mode) + ".Create(__scale);");
        }
    }

    /// <summary>Loads, one local per instruction, and the stores of one iteration over examples.</summary>
    private static void EmitExampleBody(SourceWriter w, BatchPlan plan, BatchCode code, KMode mode, List<int> body, string index)
    {
        var kernel = plan.Kernel;
        EmitElementInstructions(w, plan, code, mode, body, p => code.Load(RefName(p), index, "__end", mode));
        if (plan.StoresLoss)
        {
            w.Line(code.Store(code.Operand(kernel.Loss, mode, KLevel.Element), "__lossesRef", index, "__end", mode));
        }
        if (plan.StoresGradients)
        {
            string scale = mode == KMode.Scalar ? "__scale" : "__v_scale";
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                w.Line(code.Store(code.Operand(kernel.Gradients[k], mode, KLevel.Element) + " * " + scale, GradientRef(k), index, "__end", mode));
            }
        }
    }

    private static void EmitElementInstructions(SourceWriter w, BatchPlan plan, BatchCode code, KMode mode, List<int> body, System.Func<ParameterSpec, string> load)
    {
        var kernel = plan.Kernel;
        string local = mode == KMode.Scalar ? code.T : "var";
        // Parameters first, in declaration order, then one local per instruction.
        foreach (int id in body.OrderBy(id => kernel[id].Op == KOp.Param ? kernel[id].Index - 1000 : id))
        {
            var instr = kernel[id];
            if (instr.Op == KOp.Param)
            {
                w.Line(local + " " + code.Name(id) + " = " + load(kernel.Parameter(instr.Index)) + ";");
            }
            else
            {
                w.Line(local + " " + code.Name(id) + " = " + code.Expression(id, mode) + ";");
            }
        }
    }

    // ---- vector losses: row by row, passes over the classes ----------------------------------------

    private static void EmitRows(SourceWriter w, BatchPlan plan, BatchCode code, LossModel model)
    {
        var kernel = plan.Kernel;
        w.Open("for (int __r = __start; __r < __end; __r++)");

        // Row references.
        var rowSpans = new List<string>();
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            var p = model.Parameters[i];
            if (p.IsVector && p.Role != ParameterRole.Constant && UsesParameter(plan, i)) rowSpans.Add("ref " + code.T + " " + RowName(p) + " = ref " + BatchCode.Unsafe + "Add(ref " + RefName(p) + ", __row);");
        }
        if (plan.StoresGradients && plan.OutputPass > 0)
        {
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                if (kernel.IsVectorGradient(k)) rowSpans.Add("ref " + code.T + " " + GradientRow(k) + " = ref " + BatchCode.Unsafe + "Add(ref " + GradientRef(k) + ", __row);");
            }
        }
        if (rowSpans.Count > 0)
        {
            w.Line("// This row of each batch × classes span.");
            w.Line("nuint __row = (nuint)__r * (nuint)__classes;");
            foreach (string line in rowSpans) w.Line(line);
        }

        EmitRowValues(w, plan, code, 0, "// What this row needs before the first pass over its classes.");
        for (int pass = 1; pass <= plan.PassCount; pass++)
        {
            var reductions = plan.ReductionsIn(pass).ToList();
            bool outputs = pass == plan.OutputPass;
            if (reductions.Count == 0 && !outputs) continue;
            EmitPass(w, plan, code, model, pass, reductions, outputs);
            EmitRowValues(w, plan, code, pass, "// What is known once pass " + pass.ToString(CultureInfo.InvariantCulture) + " is done.");
        }

        // Row outputs.
        if (plan.AccumulatesLoss) w.Line("__total += " + code.Name(kernel.Loss) + ";");
        if (plan.StoresLoss) w.Line(BatchCode.Unsafe + "Add(ref __lossesRef, __r) = " + code.Name(kernel.Loss) + ";");
        if (plan.StoresGradients)
        {
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                if (!kernel.IsVectorGradient(k)) w.Line(BatchCode.Unsafe + "Add(ref " + GradientRef(k) + ", __r) = " + code.Name(kernel.Gradients[k]) + " * __scale;");
            }
        }
        w.Close();
    }

    private static void EmitRowValues(SourceWriter w, BatchPlan plan, BatchCode code, int pass, string comment)
    {
        var kernel = plan.Kernel;
        var values = plan.RowValuesAfter(pass).ToList();
        if (values.Count == 0) return;
        w.Line(comment);
        foreach (int id in values)
        {
            var instr = kernel[id];
            if (instr.Op == KOp.Param)
            {
                w.Line(code.T + " " + code.Name(id) + " = " + BatchCode.Unsafe + "Add(ref " + RefName(kernel.Parameter(instr.Index)) + ", __r);");
            }
            else
            {
                w.Line(code.T + " " + code.Name(id) + " = " + code.Expression(id, KMode.Scalar) + ";");
            }
        }
    }

    private static void EmitPass(SourceWriter w, BatchPlan plan, BatchCode code, LossModel model, int pass, List<int> reductions, bool outputs)
    {
        var kernel = plan.Kernel;
        var roots = reductions.Select(r => kernel[r].A).ToList();
        var outputRoots = new List<int>();
        if (outputs)
        {
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                if (kernel.IsVectorGradient(k)) outputRoots.Add(kernel.Gradients[k]);
            }
        }
        var body = plan.ElementClosure(roots.Concat(outputRoots));

        var what = reductions.Select(r => Describe(kernel, code, r)).ToList();
        if (outputs) what.Add("the gradients");
        w.Line("// Pass " + pass.ToString(CultureInfo.InvariantCulture) + " over the classes: " + string.Join(", ", what) + ".");
        foreach (int r in reductions)
        {
            w.Line(code.T + " " + code.Name(r) + " = " + (kernel[r].Op == KOp.ReduceSum ? code.Literal(0) : code.Literal(double.NegativeInfinity)) + ";");
        }
        OpenBlock(w, "");
        w.Line("int __j = 0;");
        foreach (var mode in new[] { KMode.V256, KMode.V128 })
        {
            string width = code.Lanes(mode).ToString(CultureInfo.InvariantCulture);
            OpenBlock(w, mode == KMode.V256 ? "if (" + BatchCode.VectorClass(mode) + ".IsHardwareAccelerated)" : "");
            if (mode == KMode.V128) w.Line("// Vector128, the last vector partial: no scalar tail.");
            EmitBroadcasts(w, plan, code, mode, body, roots.Concat(outputRoots));
            foreach (int r in reductions)
            {
                string init = kernel[r].Op == KOp.ReduceSum ? code.VectorType(mode) + ".Zero" : BatchCode.VectorClass(mode) + ".Create(" + code.Literal(double.NegativeInfinity) + ")";
                w.Line("var __acc" + r.ToString(CultureInfo.InvariantCulture) + " = " + init + ";");
            }
            w.Open(mode == KMode.V256
                ? "for (; __classes - __j >= " + width + "; __j += " + width + ")"
                : "for (; __j < __classes; __j += " + width + ")");

            EmitElementInstructions(w, plan, code, mode, body, p =>
                code.Load(p.Role == ParameterRole.Constant ? RefName(p) : RowName(p), "__j", "__classes", mode));
            foreach (int r in reductions)
            {
                string acc = "__acc" + r.ToString(CultureInfo.InvariantCulture);
                bool sum = kernel[r].Op == KOp.ReduceSum;
                string value = code.Keep(code.Operand(kernel[r].A, mode, KLevel.Element), "__j", "__classes", sum ? 0 : double.NegativeInfinity, mode);
                w.Line(kernel[r].Op switch
                {
                    KOp.ReduceSum => acc + " += " + value + ";",
                    KOp.ReduceMax => acc + " = " + BatchCode.KernelMath + "Max(" + acc + ", " + value + ");",
                    _ => acc + " = " + BatchCode.VectorClass(mode) + ".MaxNative(" + acc + ", " + value + ");",
                });
            }
            if (outputs)
            {
                for (int k = 0; k < kernel.Gradients.Count; k++)
                {
                    if (!kernel.IsVectorGradient(k)) continue;
                    w.Line(code.Store(code.Operand(kernel.Gradients[k], mode, KLevel.Element) + " * __v_scale", GradientRow(k), "__j", "__classes", mode));
                }
            }
            w.Close();

            foreach (int r in reductions)
            {
                string name = code.Name(r);
                string acc = "__acc" + r.ToString(CultureInfo.InvariantCulture);
                w.Line(kernel[r].Op switch
                {
                    KOp.ReduceSum => name + " += " + BatchCode.KernelMath + "Sum(" + acc + ");",
                    KOp.ReduceMax => name + " = " + BatchCode.KernelMath + "Max(" + name + ", " + BatchCode.KernelMath + "MaxAcross(" + acc + "));",
                    _ => name + " = " + BatchCode.KernelMath + "MaxNative(" + name + ", " + BatchCode.KernelMath + "MaxNativeAcross(" + acc + "));",
                });
            }
            w.Close();
        }
        w.Close();
    }

    private static string Describe(BatchKernel kernel, BatchCode code, int reduction) => kernel[reduction].Op switch
    {
        KOp.ReduceSum => code.Name(reduction) + " = Σ " + code.Name(kernel[reduction].A),
        KOp.ReduceMax => code.Name(reduction) + " = max " + code.Name(kernel[reduction].A),
        _ => code.Name(reduction) + " = max " + code.Name(kernel[reduction].A) + " (the shift of a LogSumExp)",
    };
}
