using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Pipeline;

namespace AutoGrad.Generator.Emit;

// The chunk kernels: private methods generic over the element type T and the mode TMode (which outputs a call
// wants), called by AutoGrad.Internal.BatchRunner for examples (rows) __start to __end - 1.
internal static partial class BatchEmitter
{
    /// <summary>Loss terms are summed in T lanes over at most this many vectors, then in double.</summary>
    private const int BlockVectors = 64;

    private const string MathClass = "global::System.Math.";
    private static string WantsLoss(BatchCode code) => code.TMode + ".AccumulatesLoss || " + code.TMode + ".StoresLoss";

    /// <summary>A row buffer of at most this many elements is on the stack (16 KB for double); a longer one on the heap.</summary>
    private const int RowBufferOnStack = 2048;

    private static void EmitKernel(SourceWriter w, DerivedLoss loss, BatchPlan plan, BatchCode code, string name)
    {
        var model = loss.Model;
        var kernel = plan.Kernel;
        w.Line("// " + (kernel.IsVectorLoss ? "Rows" : "Examples") + " __start to __end - 1 of " + string.Join(", ", KernelMethods(kernel, plan.WithGradients).Select(m => MethodName(model, m) + (m == BatchMethod.ForwardPerExample ? " (per example)" : "")))
            + ", for " + code.T + " = float or double; " + code.TMode + " says which outputs the call wants. Returns the loss sum (0 when not wanted).");
        w.Line("private static double " + name + "<" + code.T + ", " + code.TMode + ">(scoped in global::AutoGrad.Internal.BatchArgs<" + code.T + "> __a, int __start, int __end)");
        w.Indent();
        foreach (string constraint in code.Constraints) w.Line(constraint);
        w.Outdent();
        OpenBlock(w, "");

        w.Line("// The spans as references (the caller checked their lengths), the [Constant] values, and what depends on nothing else.");
        if (kernel.IsVectorLoss) w.Line("int __classes = __a.Classes;");
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            var p = model.Parameters[i];
            if (!UsesParameter(plan, i)) continue;
            w.Line(p.Role == ParameterRole.Constant && !p.IsVector
                ? code.T + " " + p.Identifier + " = __a.In" + i + "[0];"
                : "ref " + code.T + " " + RefName(p) + " = ref " + BatchCode.MemoryMarshal + "GetReference(__a.In" + i + ");");
        }
        w.Line("ref " + code.T + " __dst_losses = ref " + BatchCode.MemoryMarshal + "GetReference(__a.Out" + kernel.Gradients.Count.ToString(CultureInfo.InvariantCulture) + ");");
        if (plan.WithGradients)
        {
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                w.Line("ref " + code.T + " " + GradientRef(k) + " = ref " + BatchCode.MemoryMarshal + "GetReference(__a.Out" + k.ToString(CultureInfo.InvariantCulture) + ");");
            }
            w.Line(code.T + " __scale = __a.Scale;");
        }
        foreach (int id in plan.UniformValues.Where(id => kernel[id].Op == KOp.Const))
        {
            w.Line(code.ConstantDefinition(kernel[id].Value));
        }
        foreach (int id in plan.UniformValues)
        {
            var instr = kernel[id];
            if (instr.Op is KOp.Const or KOp.Param || code.Fused.Contains(id)) continue;
            w.Line(code.T + " " + code.Name(id) + " = " + code.Expression(id, KMode.Scalar) + ";");
        }
        foreach (int id in plan.Cached.Keys.OrderBy(id => id))
        {
            w.Line("// A row of " + code.Name(id) + ", computed in pass " + plan.Cached[id].ToString(CultureInfo.InvariantCulture) + " and read again later.");
            w.Line("global::System.Span<" + code.T + "> __kept" + id.ToString(CultureInfo.InvariantCulture) + " = __classes <= " + RowBufferOnStack + " ? stackalloc " + code.T + "[" + RowBufferOnStack + "] : new " + code.T + "[__classes];");
            w.Line("ref " + code.T + " " + CacheRef(id) + " = ref " + BatchCode.MemoryMarshal + "GetReference(__kept" + id.ToString(CultureInfo.InvariantCulture) + ");");
        }
        w.Line("double __total = 0.0;");

        if (kernel.IsVectorLoss)
        {
            EmitUniformBroadcasts(w, plan, code);
            EmitRows(w, plan, code, model);
        }
        else
        {
            EmitExamples(w, plan, code);
        }

        w.Line("return __total;");
        w.Close();
    }

    /// <summary>The batch methods a kernel serves.</summary>
    private static IEnumerable<BatchMethod> KernelMethods(BatchKernel kernel, bool withGradients)
    {
        if (!kernel.IsVectorLoss || !withGradients)
        {
            yield return BatchMethod.Forward;
            yield return BatchMethod.ForwardPerExample;
        }
        if (withGradients)
        {
            yield return BatchMethod.Backward;
            yield return BatchMethod.ForwardBackward;
        }
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

    // Locals named after a parameter start with __ref_ or __row_, the kernel's own never do: no parameter name can
    // make them collide (a parameter named "losses" has __ref_losses; the per-example losses go to __dst_losses).
    private static string RefName(ParameterSpec p) => "__ref_" + p.Name;

    private static string RowName(ParameterSpec p) => "__row_" + p.Name;

    private static string GradientRef(int k) => "__dst" + k.ToString(CultureInfo.InvariantCulture);

    private static string GradientRow(int k) => "__dst" + k.ToString(CultureInfo.InvariantCulture) + "_row";

    // ---- scalar losses: one loop over the examples -----------------------------------------------

    private static void EmitExamples(SourceWriter w, BatchPlan plan, BatchCode code)
    {
        var kernel = plan.Kernel;
        var roots = new List<int> { kernel.Loss };
        roots.AddRange(kernel.Gradients);
        var body = plan.ElementClosure(roots);

        w.Line("int __i = __start;");
        foreach (var mode in new[] { KMode.V256, KMode.V128 })
        {
            string width = code.Lanes(mode);
            if (mode == KMode.V256)
            {
                OpenBlock(w, "if (" + BatchCode.VectorClass(mode) + ".IsHardwareAccelerated)");
                w.Line("// Vector256: 8 floats or 4 doubles per iteration.");
            }
            else
            {
                OpenBlock(w, "");
                w.Line("// Vector128: 4 floats or 2 doubles per iteration, the last vector partial (what the Vector256 loop left, or");
                w.Line("// everything where Vector256 is not accelerated). There is no scalar tail: the last lanes are computed as vector lanes.");
            }
            EmitBroadcasts(w, plan, code, mode, body, roots);
            string more = mode == KMode.V256 ? "__end - __i >= " + width : "__i < __end";
            string blockEnd = mode == KMode.V256 ? "(__end - __i) & -" + width : "__end - __i";
            w.Open("while (" + more + ")");
            w.Line("// Sum the losses in " + code.T + " lanes over at most " + BlockVectors + " vectors, then add the block in double.");
            w.Line("var __acc = " + code.VectorType(mode) + ".Zero;");
            w.Line("int __blockEnd = __i + " + MathClass + "Min(" + BlockVectors + " * " + width + ", " + blockEnd + ");");
            w.Open("for (; __i < __blockEnd; __i += " + width + ")");
            if (mode == KMode.V256)
            {
                // The hardware prefetcher alone fell behind once a loop does arithmetic between its loads: BCE's backward over
                // 2^24 floats took the triad's time plus the arithmetic's, and 10-19% less with this (KernelMath.PrefetchAhead).
                foreach (int id in body.Where(id => kernel[id].Op == KOp.Param).OrderBy(id => kernel[id].Index))
                {
                    w.Line(BatchCode.KernelMath + "PrefetchAhead(ref " + RefName(kernel.Parameter(kernel[id].Index)) + ", __i);");
                }
            }
            EmitElementInstructions(w, plan, code, mode, body, p => code.Load(RefName(p), "__i", "__end", mode));
            string lossValue = code.Operand(kernel.Loss, mode, KLevel.Element);
            var stores = new List<string>();
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                stores.Add(code.Store(code.Operand(kernel.Gradients[k], mode, KLevel.Element) + " * " + Scale(mode), GradientRef(k), "__i", "__end", mode));
            }
            Guarded(w, code.TMode + ".StoresGradients", stores);
            Guarded(w, code.TMode + ".StoresLoss", new[] { code.Store(lossValue, "__dst_losses", "__i", "__end", mode) });
            Guarded(w, code.TMode + ".AccumulatesLoss", new[] { "__acc += " + code.Keep(lossValue, "__i", "__end", code.T + ".Zero", mode) + ";" });
            w.Close();
            Guarded(w, code.TMode + ".AccumulatesLoss", new[] { "__total += " + BatchCode.KernelMath + "SumToDouble(__acc);" });
            w.Close();
            w.Close();
        }
    }

    private static string Scale(KMode mode) => mode == KMode.Scalar ? "__scale" : BatchCode.BroadcastPrefix(mode) + "scale";

    /// <summary>Statements under a mode condition (the JIT drops the branch, and what only it uses, per TMode).</summary>
    private static void Guarded(SourceWriter w, string condition, IReadOnlyList<string> statements)
    {
        if (statements.Count == 0) return;
        if (statements.Count == 1)
        {
            w.Line("if (" + condition + ") " + statements[0]);
            return;
        }
        OpenBlock(w, "if (" + condition + ")");
        foreach (string s in statements) w.Line(s);
        w.Close();
    }

    /// <summary>
    /// Broadcasts of the values vector code of this loop reads: the row values (per pass over a row), and for a scalar
    /// loss also the uniform ones (a vector loss broadcasts those once, before its rows: <see cref="EmitUniformBroadcasts"/>).
    /// </summary>
    private static void EmitBroadcasts(SourceWriter w, BatchPlan plan, BatchCode code, KMode mode, IEnumerable<int> body, IEnumerable<int> roots)
    {
        var kernel = plan.Kernel;
        foreach (int id in Broadcast(plan, code, body, roots).Where(id => !kernel.IsVectorLoss || kernel.LevelOf(id) == KLevel.Row))
        {
            w.Line("var " + code.BroadcastName(id, mode) + " = " + BatchCode.VectorClass(mode) + ".Create(" + code.Name(id) + ");");
        }
        if (!kernel.IsVectorLoss && plan.WithGradients && roots.Any(r => kernel.Gradients.Contains(r)))
        {
            w.Line("var " + Scale(mode) + " = " + BatchCode.VectorClass(mode) + ".Create(__scale);");
        }
    }

    private static List<int> Broadcast(BatchPlan plan, BatchCode code, IEnumerable<int> body, IEnumerable<int> roots) =>
        code.Broadcasts(body)
            .Concat(roots.Where(r => plan.Kernel.LevelOf(r) != KLevel.Element && plan.Kernel[r].Op != KOp.Const))
            .Distinct()
            .OrderBy(id => id)
            .ToList();

    /// <summary>A vector loss: the uniform values its passes read, broadcast once; and the mask of the last vector's new lanes.</summary>
    private static void EmitUniformBroadcasts(SourceWriter w, BatchPlan plan, BatchCode code)
    {
        var kernel = plan.Kernel;
        var uniform = Enumerable.Range(1, plan.PassCount)
            .SelectMany(p => Broadcast(plan, code, plan.PassBody(p), plan.PassRoots(p)))
            .Where(id => kernel.LevelOf(id) == KLevel.Uniform)
            .Distinct()
            .OrderBy(id => id)
            .ToList();
        w.Line("// Broadcasts of what is the same for every row, and the new lanes of a row's last Vector256 (it ends at the row's end");
        w.Line("// and overlaps the vector before it; the same for every row).");
        foreach (var mode in new[] { KMode.V256, KMode.V128 })
        {
            foreach (int id in uniform)
            {
                w.Line("var " + code.BroadcastName(id, mode) + " = " + BatchCode.VectorClass(mode) + ".Create(" + code.Name(id) + ");");
            }
            if (plan.WithGradients) w.Line("var " + Scale(mode) + " = " + BatchCode.VectorClass(mode) + ".Create(__scale);");
        }
        string w256 = code.Lanes(KMode.V256);
        w.Line("var __keep = __classes >= " + w256 + " ? " + BatchCode.KernelMath + "LanesFrom<" + code.T + ">((__classes - 1) / " + w256 + " * " + w256 + " - (__classes - " + w256 + ")) : default;");
    }

    private static void EmitElementInstructions(SourceWriter w, BatchPlan plan, BatchCode code, KMode mode, List<int> body, System.Func<ParameterSpec, string> load)
    {
        var kernel = plan.Kernel;
        // Parameters first, in declaration order, then one local per instruction.
        foreach (int id in body.OrderBy(id => kernel[id].Op == KOp.Param ? kernel[id].Index - 1000 : id))
        {
            var instr = kernel[id];
            if (code.Fused.Contains(id)) continue;
            w.Line("var " + code.Name(id) + " = " + (instr.Op == KOp.Param ? load(kernel.Parameter(instr.Index)) : code.Expression(id, mode)) + ";");
        }
    }

    // ---- vector losses: row by row, passes over the classes ----------------------------------------

    private static void EmitRows(SourceWriter w, BatchPlan plan, BatchCode code, LossModel model)
    {
        string w256 = code.Lanes(KMode.V256);
        OpenBlock(w, "if (" + BatchCode.VectorClass(KMode.V256) + ".IsHardwareAccelerated && __classes >= " + w256 + " && __classes <= 2 * " + w256 + ")");
        w.Line("// Rows of one or two Vector256 (8 to 16 floats, 4 to 8 doubles): each row is read as two vectors, the second ending");
        w.Line("// at the row's end (the same vector twice for a row of one), and everything stays in registers through the passes;");
        w.Line("// the sums take only the second vector's lanes in __pairNew. All of a row is read before any of it is written, and the");
        w.Line("// lanes the two vectors share get the same value from both, so an output may be its own input.");
        w.Line("int __second = __classes - " + w256 + ";");
        w.Line("var __pairNew = " + BatchCode.KernelMath + "LanesFrom<" + code.T + ">(" + w256 + " - __second);");
        w.Open("for (int __r = __start; __r < __end; __r++)");
        EmitRowSpans(w, plan, code, model);
        EmitPairRow(w, plan, code);
        EmitRowOutputs(w, plan, code);
        w.Close();
        w.Close();

        OpenBlock(w, "else");
        w.Open("for (int __r = __start; __r < __end; __r++)");
        EmitRowSpans(w, plan, code, model);
        EmitRowValues(w, plan, code, 0, "// What this row needs before the first pass over its classes.");
        for (int pass = 1; pass <= plan.PassCount; pass++)
        {
            var reductions = plan.ReductionsIn(pass).ToList();
            bool outputs = pass == plan.OutputPass;
            if (reductions.Count == 0 && !outputs) continue;
            EmitPass(w, plan, code, pass, reductions, outputs);
            EmitRowValues(w, plan, code, pass, "// What is known once pass " + pass.ToString(CultureInfo.InvariantCulture) + " is done.");
        }
        EmitRowOutputs(w, plan, code);
        w.Close();
        w.Close();
    }

    /// <summary>References to this row of each batch × classes span.</summary>
    private static void EmitRowSpans(SourceWriter w, BatchPlan plan, BatchCode code, LossModel model)
    {
        var kernel = plan.Kernel;
        var rowSpans = new List<string>();
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            var p = model.Parameters[i];
            if (p.IsVector && p.Role != ParameterRole.Constant && UsesParameter(plan, i)) rowSpans.Add("ref " + code.T + " " + RowName(p) + " = ref " + BatchCode.Unsafe + "Add(ref " + RefName(p) + ", __row);");
        }
        if (plan.OutputPass > 0)
        {
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                if (kernel.IsVectorGradient(k)) rowSpans.Add("ref " + code.T + " " + GradientRow(k) + " = ref " + BatchCode.Unsafe + "Add(ref " + GradientRef(k) + ", __row);");
            }
        }
        if (rowSpans.Count == 0) return;
        w.Line("// This row of each batch × classes span.");
        w.Line("nuint __row = (nuint)__r * (nuint)__classes;");
        foreach (string line in rowSpans) w.Line(line);
    }

    /// <summary>The row's loss and its scalar gradients, once every pass is done.</summary>
    private static void EmitRowOutputs(SourceWriter w, BatchPlan plan, BatchCode code)
    {
        var kernel = plan.Kernel;
        w.Line("// The row's outputs.");
        Guarded(w, code.TMode + ".AccumulatesLoss", new[] { "__total += " + BatchCode.KernelMath + "ToDouble(" + code.Name(kernel.Loss) + ");" });
        Guarded(w, code.TMode + ".StoresLoss", new[] { BatchCode.Unsafe + "Add(ref __dst_losses, __r) = " + code.Name(kernel.Loss) + ";" });
        if (plan.WithGradients)
        {
            var stores = new List<string>();
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                if (!kernel.IsVectorGradient(k)) stores.Add(BatchCode.Unsafe + "Add(ref " + GradientRef(k) + ", __r) = " + code.Name(kernel.Gradients[k]) + " * __scale;");
            }
            Guarded(w, code.TMode + ".StoresGradients", stores);
        }
    }

    /// <summary>
    /// One row held in two Vector256, the first at 0 and the second at __second (ending at the row's end), in the plan's passes: each
    /// elementwise value computed once (for both vectors) where it is first needed and kept in a local, each reduction one
    /// combination of the two vectors and one horizontal step, as soon as its argument is known (a pass costs nothing here,
    /// and a sum only the loss needs, such as Σ y·z of softmax cross-entropy, is then computed beside the row max, off the path
    /// to the gradients); the Vec gradients are stored after the last pass.
    /// </summary>
    private static void EmitPairRow(SourceWriter w, BatchPlan plan, BatchCode code)
    {
        var kernel = plan.Kernel;
        string w256 = code.Lanes(KMode.V256);
        string[] offsets = { "0", "__second" };
        var computed = new HashSet<int>();
        var broadcast = new HashSet<int>();
        bool Optional(int r) => plan.WithGradients && plan.IsLossOnly(r);
        var vectorGradients = plan.OutputPass == 0 ? new List<int>() : Enumerable.Range(0, kernel.Gradients.Count).Where(kernel.IsVectorGradient).Select(k => kernel.Gradients[k]).ToList();

        EmitRowValues(w, plan, code, 0, "// What this row needs before the first pass over its classes.");
        for (int pass = 1; pass <= plan.PassCount; pass++)
        {
            var reductions = plan.PassOf.Keys.Where(r => plan.Available[kernel[r].A] + 1 == pass).OrderBy(r => r).ToList();
            bool outputs = pass == plan.OutputPass;
            if (reductions.Count > 0 || outputs)
            {
                var roots = reductions.Select(r => kernel[r].A).Concat(outputs ? vectorGradients : Enumerable.Empty<int>()).ToList();
                var body = plan.ElementClosure(roots).Where(id => !computed.Contains(id)).ToList();
                var what = reductions.Select(r => Describe(kernel, code, r)).ToList();
                if (outputs) what.Add("the gradients");
                w.Line("// Pass " + pass.ToString(CultureInfo.InvariantCulture) + ": " + string.Join("; ", what) + ".");
                foreach (int id in Broadcast(plan, code, body, roots).Where(id => kernel.LevelOf(id) == KLevel.Row && broadcast.Add(id)))
                {
                    w.Line("var " + code.BroadcastName(id, KMode.V256) + " = " + BatchCode.VectorClass(KMode.V256) + ".Create(" + code.Name(id) + ");");
                }
                for (int half = 0; half < 2; half++)
                {
                    foreach (int id in body.OrderBy(id => kernel[id].Op == KOp.Param ? kernel[id].Index - 1000 : id))
                    {
                        var instr = kernel[id];
                        if (code.Fused.Contains(id)) continue;
                        string value;
                        if (instr.Op == KOp.Param)
                        {
                            var p = kernel.Parameter(instr.Index);
                            value = code.Load(p.Role == ParameterRole.Constant ? RefName(p) : RowName(p), offsets[half], "__classes", KMode.V256);
                        }
                        else
                        {
                            value = code.Expression(id, KMode.V256, half);
                        }
                        w.Line("var " + code.HalfName(id, half) + " = " + value + ";");
                    }
                }
                computed.UnionWith(body);
                foreach (int r in reductions)
                {
                    string a = code.Operand(kernel[r].A, KMode.V256, KLevel.Element, 0);
                    string b = code.Operand(kernel[r].A, KMode.V256, KLevel.Element, 1);
                    string value = kernel[r].Op switch
                    {
                        KOp.ReduceSum => BatchCode.KernelMath + "Sum(" + a + " + (" + b + " & __pairNew))",
                        KOp.ReduceMax => BatchCode.KernelMath + "MaxAcross(" + BatchCode.KernelMath + "Max(" + a + ", " + b + "))",
                        _ => BatchCode.KernelMath + "MaxNativeAcross(" + BatchCode.VectorClass(KMode.V256) + ".MaxNative(" + a + ", " + b + "))",
                    };
                    if (Optional(r)) value = WantsLoss(code) + " ? " + value + " : " + code.T + ".Zero";
                    w.Line(code.T + " " + code.Name(r) + " = " + value + ";");
                }
            }
            EmitRowValues(w, plan, code, pass, "// What is known once pass " + pass.ToString(CultureInfo.InvariantCulture) + " is done.");
        }
        if (vectorGradients.Count > 0)
        {
            var stores = new List<string>();
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                if (!kernel.IsVectorGradient(k)) continue;
                // The second vector first: a row of one vector stores the same values twice.
                for (int half = 1; half >= 0; half--)
                {
                    string value = code.Operand(kernel.Gradients[k], KMode.V256, KLevel.Element, half) + " * " + Scale(KMode.V256);
                    stores.Add(code.Store(value, GradientRow(k), offsets[half], "__classes", KMode.V256));
                }
            }
            w.Line("// The gradients, once all of the row is read.");
            Guarded(w, code.TMode + ".StoresGradients", stores);
        }
    }

    private static void EmitRowValues(SourceWriter w, BatchPlan plan, BatchCode code, int pass, string comment)
    {
        var kernel = plan.Kernel;
        var values = plan.RowValuesAfter(pass).ToList();
        if (values.Count == 0) return;
        w.Line(comment);
        foreach (int id in values.Where(id => !code.Fused.Contains(id)))
        {
            var instr = kernel[id];
            w.Line(code.T + " " + code.Name(id) + " = " + (instr.Op == KOp.Param
                ? BatchCode.Unsafe + "Add(ref " + RefName(kernel.Parameter(instr.Index)) + ", __r)"
                : code.Expression(id, KMode.Scalar)) + ";");
        }
    }

    private static void EmitPass(SourceWriter w, BatchPlan plan, BatchCode code, int pass, List<int> reductions, bool outputs)
    {
        var kernel = plan.Kernel;
        var roots = plan.PassRoots(pass);
        var body = plan.PassBody(pass);
        // In a kernel with gradients, a reduction only the loss needs is skipped by modes without the loss.
        bool Optional(int r) => plan.WithGradients && plan.IsLossOnly(r);

        var what = reductions.Select(r => Describe(kernel, code, r)).ToList();
        what.AddRange(body.Where(id => plan.Cached.TryGetValue(id, out int p) && p == pass).Select(id => "keep " + code.Name(id) + " for a later pass"));
        if (outputs) what.Add("the gradients");
        w.Line("// Pass " + pass.ToString(CultureInfo.InvariantCulture) + " over the classes: " + string.Join("; ", what) + ".");
        foreach (int r in reductions)
        {
            w.Line(code.T + " " + code.Name(r) + " = " + code.T + (kernel[r].Op == KOp.ReduceSum ? ".Zero" : ".NegativeInfinity") + ";");
        }
        OpenBlock(w, !outputs && reductions.All(Optional) ? "if (" + WantsLoss(code) + ")" : "");
        w.Line("int __j = 0;");

        // Vector256: whole vectors, then the last vector of the row, which ends at the row's end and overlaps the one
        // before it; its lanes below __first are masked out of sums and keep what the stores wrote there.
        string w256 = code.Lanes(KMode.V256);
        OpenBlock(w, "if (" + BatchCode.VectorClass(KMode.V256) + ".IsHardwareAccelerated && __classes >= " + w256 + ")");
        EmitBroadcasts(w, plan, code, KMode.V256, body, roots);
        foreach (int r in reductions)
        {
            w.Line("var " + Accumulator(r) + " = " + AccumulatorInit(kernel, code, r, KMode.V256) + ";");
        }
        w.Open("for (; __classes - __j > " + w256 + "; __j += " + w256 + ")");
        EmitPassBody(w, plan, code, KMode.V256, pass, body, reductions, outputs, tail: false);
        w.Close();
        OpenBlock(w, "");
        w.Line("__j = __classes - " + w256 + ";");
        EmitPassBody(w, plan, code, KMode.V256, pass, body, reductions, outputs, tail: true);
        w.Line("__j = __classes;");
        w.Close();
        EmitHorizontal(w, kernel, code, reductions);
        w.Close();

        // Vector128: short rows, or everything where Vector256 is not accelerated; the last vector partial.
        OpenBlock(w, "if (__j < __classes)");
        EmitBroadcasts(w, plan, code, KMode.V128, body, roots);
        foreach (int r in reductions)
        {
            w.Line("var " + Accumulator(r) + " = " + AccumulatorInit(kernel, code, r, KMode.V128) + ";");
        }
        w.Open("for (; __j < __classes; __j += " + code.Lanes(KMode.V128) + ")");
        EmitPassBody(w, plan, code, KMode.V128, pass, body, reductions, outputs, tail: false);
        w.Close();
        EmitHorizontal(w, kernel, code, reductions);
        w.Close();
        w.Close();

        void EmitHorizontal(SourceWriter w, BatchKernel kernel, BatchCode code, List<int> reductions)
        {
            foreach (int r in reductions)
            {
                string name = code.Name(r);
                string acc = Accumulator(r);
                string statement = kernel[r].Op switch
                {
                    KOp.ReduceSum => name + " += " + BatchCode.KernelMath + "Sum(" + acc + ");",
                    KOp.ReduceMax => name + " = " + BatchCode.KernelMath + "Max(" + name + ", " + BatchCode.KernelMath + "MaxAcross(" + acc + "));",
                    _ => name + " = " + BatchCode.KernelMath + "MaxNative(" + name + ", " + BatchCode.KernelMath + "MaxNativeAcross(" + acc + "));",
                };
                w.Line(Optional(r) ? "if (" + WantsLoss(code) + ") " + statement : statement);
            }
        }

    }

    private static string AccumulatorInit(BatchKernel kernel, BatchCode code, int reduction, KMode mode) =>
        kernel[reduction].Op == KOp.ReduceSum ? code.VectorType(mode) + ".Zero" : BatchCode.VectorClass(mode) + ".Create(" + code.T + ".NegativeInfinity)";

    /// <summary>
    /// One vector of a pass at __j: loads, one local per instruction (values kept from an earlier pass are loaded), the
    /// values this pass keeps for later, the reductions' accumulations and the gradient stores. In the overlapping last
    /// vector (<paramref name="tail"/>) sums skip the lanes below __first and stores keep them.
    /// </summary>
    private static void EmitPassBody(SourceWriter w, BatchPlan plan, BatchCode code, KMode mode, int pass, List<int> body, List<int> reductions, bool outputs, bool tail)
    {
        var kernel = plan.Kernel;
        bool Optional(int r) => plan.WithGradients && plan.IsLossOnly(r);
        string Store(string value, string reference) => tail
            ? BatchCode.KernelMath + "StoreKept(" + value + ", ref " + reference + ", __j, __keep);"
            : code.Store(value, reference, "__j", "__classes", mode);

        foreach (int id in body.OrderBy(id => kernel[id].Op == KOp.Param ? kernel[id].Index - 1000 : id))
        {
            var instr = kernel[id];
            if (code.Fused.Contains(id)) continue;
            string value;
            if (plan.Cached.TryGetValue(id, out int keptIn) && keptIn < pass)
            {
                value = code.Load(CacheRef(id), "__j", "__classes", mode);
            }
            else if (instr.Op == KOp.Param)
            {
                var p = kernel.Parameter(instr.Index);
                value = code.Load(p.Role == ParameterRole.Constant ? RefName(p) : RowName(p), "__j", "__classes", mode);
            }
            else
            {
                value = code.Expression(id, mode);
            }
            w.Line("var " + code.Name(id) + " = " + value + ";");
        }
        foreach (int id in body.Where(id => plan.Cached.TryGetValue(id, out int p) && p == pass))
        {
            w.Line(Store(code.Name(id), CacheRef(id)));
        }
        foreach (int r in reductions)
        {
            string acc = Accumulator(r);
            bool sum = kernel[r].Op == KOp.ReduceSum;
            string value = code.Operand(kernel[r].A, mode, KLevel.Element);
            // A max may see a lane twice; a sum may not.
            if (sum && tail) value = "(" + value + " & __keep)";
            else if (sum) value = code.Keep(value, "__j", "__classes", code.T + ".Zero", mode);
            else value = code.Keep(value, "__j", "__classes", code.T + ".NegativeInfinity", mode);
            string statement = kernel[r].Op switch
            {
                KOp.ReduceSum => acc + " += " + value + ";",
                KOp.ReduceMax => acc + " = " + BatchCode.KernelMath + "Max(" + acc + ", " + value + ");",
                _ => acc + " = " + BatchCode.VectorClass(mode) + ".MaxNative(" + acc + ", " + value + ");",
            };
            w.Line(Optional(r) ? "if (" + WantsLoss(code) + ") " + statement : statement);
        }
        if (outputs)
        {
            var stores = new List<string>();
            for (int k = 0; k < kernel.Gradients.Count; k++)
            {
                if (kernel.IsVectorGradient(k)) stores.Add(Store(code.Operand(kernel.Gradients[k], mode, KLevel.Element) + " * " + Scale(mode), GradientRow(k)));
            }
            Guarded(w, code.TMode + ".StoresGradients", stores);
        }
    }

    private static string CacheRef(int id) => "__kept" + id.ToString(CultureInfo.InvariantCulture) + "Ref";

    private static string Accumulator(int reduction) => "__acc" + reduction.ToString(CultureInfo.InvariantCulture);

    private static string Describe(BatchKernel kernel, BatchCode code, int reduction) => kernel[reduction].Op switch
    {
        KOp.ReduceSum => code.Name(reduction) + " = Σ " + code.Name(kernel[reduction].A),
        KOp.ReduceMax => code.Name(reduction) + " = max " + code.Name(kernel[reduction].A),
        _ => code.Name(reduction) + " = max " + code.Name(kernel[reduction].A) + " (the shift of a LogSumExp)",
    };
}
