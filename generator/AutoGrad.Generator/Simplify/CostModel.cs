using System.Collections.Generic;
using AutoGrad.Generator.IR;

namespace AutoGrad.Generator.Simplify;

/// <summary>
/// What an expression costs to evaluate, counting each distinct node once (the emitted code
/// computes a shared subexpression once). A transcendental costs about ten multiplies.
/// </summary>
internal static class CostModel
{
    public static double Cost(ExprBuilder b, int root) => Cost(b, new[] { root });

    public static double Cost(ExprBuilder b, IEnumerable<int> roots)
    {
        double total = 0;
        foreach (int id in b.Reachable(roots)) total += NodeCost(b, id);
        return total;
    }

    /// <summary>The cost of one node, its operands excluded.</summary>
    public static double NodeCost(ExprBuilder b, int id)
    {
        var n = b[id];
        switch (n.Op)
        {
            case Op.Add:
                return n.Arity - 1;
            case Op.Mul:
            {
                // A coefficient of ±1 is free (it becomes a subtraction or a negation).
                bool unitCoefficient = b.IsConst(n.Args[0], out double c) && (c == 1 || c == -1);
                return n.Arity - 1 - (unitCoefficient ? 1 : 0) + 0.01;
            }
            case Op.Pow when b.IsConst(n.Args[1], out double k):
                // A division costs several multiplies, and dividing by what can underflow to 0
                // is where inf and NaN come from: a form without it is preferred.
                if (k == -1) return 3;
                if (k == 2) return 1;
                if (k == 0.5 || k == -0.5) return 4;
                if (k == 3 || k == -2) return 2;
                return OpTable.Info(Op.Pow).Cost;
            default:
                return OpTable.Info(n.Op).Cost;
        }
    }
}
