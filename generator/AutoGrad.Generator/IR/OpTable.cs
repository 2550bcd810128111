using System.Collections.Generic;
using System.Linq;

namespace AutoGrad.Generator.IR;

/// <summary>
/// The vector-Jacobian product of one operand: given the node, which operand, and the adjoint
/// <c>g</c> flowing into the node, the adjoint contribution to that operand.
/// </summary>
internal delegate int Vjp(ExprBuilder b, int node, int operand, int g);

/// <summary>One row of the operator table.</summary>
/// <param name="Op">The operator.</param>
/// <param name="Name">The <c>AutoGrad.Fn</c> name it prints as (empty for operators printed as syntax).</param>
/// <param name="Cost">Relative cost of one evaluation, for the simplifier's cost model (a multiply is 1).</param>
/// <param name="Smooth">False where the derivative is a one-sided rule (reported as AG0006).</param>
/// <param name="Vjp">How the adjoint flows to each operand; null for operators with zero derivative.</param>
internal sealed record OpInfo(Op Op, string Name, double Cost, bool Smooth, Vjp? Vjp);

/// <summary>
/// Per operator: printed name, cost, smoothness and local derivative (as a vector-Jacobian
/// product). Adding a function to AutoGrad means adding one row here, a builder method, an
/// evaluator case and its parse mapping.
/// </summary>
internal static class OpTable
{
    private static readonly Dictionary<Op, OpInfo> Rows = new OpInfo[]
    {
        new(Op.Const, "", 0, true, null),
        new(Op.Param, "", 0, true, null),
        new(Op.ClassCount, "", 0, true, null),

        // d(a + b + ...)/da = 1
        new(Op.Add, "", 1, true, (b, n, i, g) => g),
        // d(a·b·c)/da = b·c
        new(Op.Mul, "", 1, true, (b, n, i, g) =>
            b.Mul(b[n].Args.Where((_, k) => k != i).Concat(new[] { g }).ToList())),
        // d(xᵉ)/dx = e·xᵉ⁻¹, d(xᵉ)/de = xᵉ·log x
        new(Op.Pow, "Pow", 20, true, (b, n, i, g) =>
        {
            int x = b[n].Args[0], e = b[n].Args[1];
            return i == 0
                ? b.Mul(g, e, b.Pow(x, b.Add(e, b.Const(-1))))
                : b.Mul(g, n, b.Log(x));
        }),

        // d log x = 1/x
        new(Op.Log, "Log", 10, true, (b, n, i, g) => b.Div(g, b[n].Args[0])),
        // d eˣ = eˣ
        new(Op.Exp, "Exp", 10, true, (b, n, i, g) => b.Mul(g, n)),
        // σ' = σ·(1 − σ)
        new(Op.Sigmoid, "Sigmoid", 10, true, (b, n, i, g) => b.Mul(g, n, b.Sub(b.Const(1), n))),
        // softplus' = σ
        new(Op.Softplus, "Softplus", 12, true, (b, n, i, g) => b.Mul(g, b.Sigmoid(b[n].Args[0]))),
        // tanh' = 1 − tanh²
        new(Op.Tanh, "Tanh", 10, true, (b, n, i, g) => b.Mul(g, b.Sub(b.Const(1), b.Power(n, 2)))),
        // d log(1 + x) = 1/(1 + x)
        new(Op.Log1P, "Log1P", 10, true, (b, n, i, g) => b.Div(g, b.Add(b.Const(1), b[n].Args[0]))),
        // d (eˣ − 1) = eˣ
        new(Op.ExpM1, "ExpM1", 10, true, (b, n, i, g) => b.Mul(g, b.Exp(b[n].Args[0]))),
        // |x|' = sign x (one-sided at 0: 0)
        new(Op.Abs, "Abs", 1, false, (b, n, i, g) => b.Mul(g, b.Sign(b[n].Args[0]))),
        new(Op.Sign, "Sign", 1, false, null),
        // max(a, b): the gradient goes to the larger operand, to the first on a tie
        new(Op.Max, "Max", 1, false, (b, n, i, g) =>
        {
            int x = b[n].Args[0], y = b[n].Args[1];
            int firstWins = b.Compare(Op.LessEqual, y, x);
            return i == 0 ? b.Select(firstWins, g, b.Const(0)) : b.Select(firstWins, b.Const(0), g);
        }),
        new(Op.Min, "Min", 1, false, (b, n, i, g) =>
        {
            int x = b[n].Args[0], y = b[n].Args[1];
            int firstWins = b.Compare(Op.LessEqual, x, y);
            return i == 0 ? b.Select(firstWins, g, b.Const(0)) : b.Select(firstWins, b.Const(0), g);
        }),

        new(Op.Less, "", 1, false, null),
        new(Op.LessEqual, "", 1, false, null),
        new(Op.Equal, "", 1, false, null),
        new(Op.NotEqual, "", 1, false, null),
        // c ? a : b: the gradient goes to the branch taken; none to the condition
        new(Op.Select, "", 1, false, (b, n, i, g) =>
        {
            int c = b[n].Args[0];
            return i switch
            {
                1 => b.Select(c, g, b.Const(0)),
                2 => b.Select(c, b.Const(0), g),
                _ => b.Const(0),
            };
        }),

        // ∂(Σv)/∂vᵢ = 1: the scalar adjoint broadcasts
        new(Op.Sum, "Sum", 2, true, (b, n, i, g) => g),
        // the gradient of max is split evenly among the entries equal to the max, so a tie
        // (Max(Max(v, u)) makes one wherever u is the largest) never multiplies it
        new(Op.ReduceMax, "Max", 2, false, (b, n, i, g) =>
        {
            int atMax = b.Select(b.Compare(Op.Equal, b[n].Args[0], n), b.Const(1), b.Const(0));
            return b.Mul(g, atMax, b.Pow(b.Sum(atMax), b.Const(-1)));
        }),
        // ∂ LogSumExp(z)/∂zᵢ = Softmax(z)ᵢ
        new(Op.LogSumExp, "LogSumExp", 15, true, (b, n, i, g) => b.Mul(g, b.Softmax(b[n].Args[0]))),
        // Softmax VJP: s ⊙ (g − Σ(g ⊙ s))
        new(Op.Softmax, "Softmax", 20, true, (b, n, i, g) => b.Mul(n, b.Sub(g, b.Sum(b.Mul(g, n))))),
    }.ToDictionary(r => r.Op);

    public static OpInfo Info(Op op) => Rows[op];
}
