using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.IR;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Pipeline;

namespace AutoGrad.Generator.Emit;

/// <summary>
/// Emits the gradient of one example (<c>MGradient</c>) as straight-line C# with one local per
/// shared subexpression, and the <c>MDerivation</c> property with the printed formulas.
/// </summary>
internal static class ScalarEmitter
{
    public static void Emit(SourceWriter w, DerivedLoss loss)
    {
        EmitGradient(w, loss);
        w.Line();
        EmitDerivation(w, loss);
    }

    private static void EmitGradient(SourceWriter w, DerivedLoss loss)
    {
        var model = loss.Model;
        var dag = loss.Code!;
        var diff = loss.Differentiated.Select(i => model.Parameters[i]).ToList();
        var roots = Enumerable.Range(1, diff.Count).Select(k => dag.Roots[k]).ToList();

        string returnType = diff.Count == 1
            ? TypeOf(diff[0])
            : "(" + string.Join(", ", diff.Select(p => TypeOf(p) + " " + p.Identifier)) + ")";

        w.Line("/// <summary>");
        w.Line("/// The gradient of <see cref=\"" + LossEmitter.Cref(model) + "\"/> for one example, derived and simplified by AutoGrad:");
        w.Line("/// <code>");
        for (int k = 0; k < diff.Count; k++)
        {
            w.Line("/// ∂L/∂" + diff[k].Name + " = " + SourceWriter.Xml(loss.GradientFormulas[k]));
        }
        w.Line("/// </code>");
        w.Line("/// </summary>");
        if (diff.Count > 1)
        {
            w.Line("/// <returns>The partial derivatives, named after the parameters: (" + string.Join(", ", diff.Select(p => p.Name)) + ").</returns>");
        }
        w.Open(model.Accessibility + " static " + returnType + " " + model.MethodName + "Gradient(" + LossEmitter.ParameterList(model) + ")");

        var vectors = model.Parameters.Where(p => p.IsVector).ToList();
        string classCount = ExpressionPrinter.ClassCountNameFor(model.Parameters.Select(p => p.Name));
        if (vectors.Count > 0)
        {
            w.Line("// The class count; every Vec parameter must have it.");
            w.Line("int " + classCount + " = global::AutoGrad.Internal.GeneratedHelpers.ClassCount(" + string.Join(", ", vectors.Select(p => p.Identifier)) + ");");
        }

        var locals = SharedLocals(dag, roots);
        var names = model.Parameters.Select(p => p.Identifier).ToList();
        // The printer refers to the locals assigned so far, so each definition uses the earlier ones.
        var assigned = new Dictionary<int, string>();
        var printer = new ExpressionPrinter(dag, names, PrintMode.Code, assigned);
        if (locals.Count > 0) w.Line("// Subexpressions the gradients share, computed once.");
        foreach (int id in locals)
        {
            string name = "__t" + assigned.Count;
            w.Line("var " + name + " = " + printer.PrintDefinition(id) + ";");
            assigned[id] = name;
        }

        var values = new List<string>();
        for (int k = 0; k < diff.Count; k++)
        {
            string value = printer.Print(roots[k]);
            if (diff[k].IsVector && dag[roots[k]].Shape == Shape.Scalar)
            {
                value = "global::AutoGrad.Vec.Fill(" + classCount + ", " + value + ")";
            }
            values.Add(value);
        }
        if (diff.Count == 1)
        {
            w.Line("// ∂L/∂" + diff[0].Name);
            w.Line("return " + values[0] + ";");
        }
        else
        {
            for (int k = 0; k < diff.Count; k++)
            {
                w.Line("// ∂L/∂" + diff[k].Name);
                w.Line("var __d" + k + " = " + values[k] + ";");
            }
            w.Line("return (" + string.Join(", ", Enumerable.Range(0, diff.Count).Select(k => "__d" + k)) + ");");
        }
        w.Close();
    }

    private static void EmitDerivation(SourceWriter w, DerivedLoss loss)
    {
        var model = loss.Model;
        w.Line("/// <summary>");
        w.Line("/// How AutoGrad derived the gradient of <see cref=\"" + LossEmitter.Cref(model) + "\"/>: the loss as the generated code");
        w.Line("/// computes it (after stability rewrites) and each simplified partial derivative.");
        w.Line("/// <code>");
        w.Line("/// L = " + SourceWriter.Xml(loss.LossFormula));
        for (int k = 0; k < loss.Differentiated.Count; k++)
        {
            w.Line("/// ∂L/∂" + model.Parameters[loss.Differentiated[k]].Name + " = " + SourceWriter.Xml(loss.GradientFormulas[k]));
        }
        w.Line("/// </code>");
        w.Line("/// </summary>");
        w.Line(model.Accessibility + " static global::AutoGrad.Derivation " + model.MethodName + "Derivation { get; } = new global::AutoGrad.Derivation(");
        w.Indent();
        w.Line(SourceWriter.StringLiteral(loss.LossFormula) + ",");
        w.Line("new global::System.Collections.Generic.KeyValuePair<string, string>[]");
        w.Line("{");
        w.Indent();
        for (int k = 0; k < loss.Differentiated.Count; k++)
        {
            w.Line("new(" + SourceWriter.StringLiteral(model.Parameters[loss.Differentiated[k]].Name) + ", " + SourceWriter.StringLiteral(loss.GradientFormulas[k]) + "),");
        }
        w.Outdent();
        w.Line("});");
        w.Outdent();
    }

    private static string TypeOf(ParameterSpec p) => p.IsVector ? "global::AutoGrad.Vec" : "double";

    /// <summary>Non-leaf nodes used more than once under <paramref name="roots"/>, in topological order.</summary>
    public static List<int> SharedLocals(ExprDag dag, IReadOnlyList<int> roots)
    {
        var uses = new int[dag.Count];
        var reachable = new bool[dag.Count];
        var stack = new Stack<int>(roots);
        foreach (int r in roots) uses[r]++;
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (reachable[id]) continue;
            reachable[id] = true;
            foreach (int a in dag[id].Args)
            {
                uses[a]++;
                stack.Push(a);
            }
        }
        var result = new List<int>();
        for (int id = 0; id < dag.Count; id++)
        {
            var n = dag[id];
            if (reachable[id] && uses[id] > 1 && n.Arity > 0 && !IsCheap(dag, id)) result.Add(id);
        }
        return result;
    }

    /// <summary>A negation or a reciprocal of a leaf is cheaper to repeat than to name.</summary>
    private static bool IsCheap(ExprDag dag, int id)
    {
        var n = dag[id];
        if (n.Op == Op.Mul && n.Arity == 2 && dag[n.Args[0]].Op == Op.Const && dag[n.Args[1]].Arity == 0) return true;
        return false;
    }
}
