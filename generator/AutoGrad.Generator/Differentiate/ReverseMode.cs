using System.Collections.Generic;
using AutoGrad.Generator.IR;

namespace AutoGrad.Generator.Differentiate;

/// <summary>
/// Reverse-mode differentiation over the DAG: one sweep in reverse topological order accumulates
/// each node's adjoint from its parents' vector-Jacobian products (<see cref="OpTable"/>). The
/// gradient grows linearly with the loss, and subexpressions shared between the loss and its
/// gradients stay shared (they are the same ids in the same builder).
/// </summary>
internal static class ReverseMode
{
    /// <summary>∂root/∂p for each parameter node in <paramref name="parameters"/>.</summary>
    public static int[] Gradients(ExprBuilder b, int root, IReadOnlyList<int> parameters)
    {
        var contributions = new Dictionary<int, List<int>> { [root] = new List<int> { b.Const(1) } };
        ulong wanted = 0;
        foreach (int p in parameters) wanted |= b.ParamMask(p);

        var order = b.Reachable(new[] { root });
        for (int k = order.Count - 1; k >= 0; k--)
        {
            int id = order[k];
            if (!contributions.TryGetValue(id, out var parts)) continue;
            var node = b[id];
            var vjp = OpTable.Info(node.Op).Vjp;
            if (vjp is null || node.Arity == 0) continue;

            int g = b.Add(parts);
            if (b.IsConst(g, 0)) continue;
            for (int i = 0; i < node.Arity; i++)
            {
                int arg = node.Args[i];
                if ((b.ParamMask(arg) & wanted) == 0) continue;
                int contribution = vjp(b, id, i, g);
                // An elementwise operator broadcasts a scalar operand over a vector:
                // its adjoint is the sum of the adjoints of every entry it fed.
                if (b.ShapeOf(arg) == Shape.Scalar && node.Shape == Shape.Vector)
                {
                    contribution = b.Sum(contribution);
                }
                if (!contributions.TryGetValue(arg, out var list)) contributions[arg] = list = new List<int>();
                list.Add(contribution);
            }
        }

        var result = new int[parameters.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = contributions.TryGetValue(parameters[i], out var parts) ? b.Add(parts) : b.Const(0);
        }
        return result;
    }
}
