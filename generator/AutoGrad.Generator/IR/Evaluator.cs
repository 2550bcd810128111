using System;
using System.Collections.Generic;

namespace AutoGrad.Generator.IR;

/// <summary>
/// Evaluates a DAG at a point, in double precision, with the same stable definitions as the
/// runtime's <c>AutoGrad.Fn</c>. Used for constant folding, for comparing a derived gradient with a
/// hand-written one at compile time, and by tests. A scalar value is an array of length one and
/// broadcasts against vectors.
/// </summary>
internal static class Evaluator
{
    /// <summary>Values of the DAG's roots given each parameter's value (length 1 for scalars).</summary>
    public static double[][] Evaluate(ExprDag dag, IReadOnlyList<double[]> parameters, int classCount)
    {
        var values = new double[dag.Count][];
        for (int i = 0; i < dag.Count; i++)
        {
            values[i] = EvaluateNode(dag[i], values, parameters, classCount);
        }
        var result = new double[dag.Roots.Count][];
        for (int r = 0; r < result.Length; r++) result[r] = values[dag.Roots[r]];
        return result;
    }

    private static double[] EvaluateNode(Node n, double[][] v, IReadOnlyList<double[]> parameters, int classCount)
    {
        double[] A(int k) => v[n.Args[k]];
        switch (n.Op)
        {
            case Op.Const: return new[] { n.Value };
            case Op.Param: return parameters[n.Index];
            case Op.ClassCount: return new double[] { classCount };
            case Op.Add:
            {
                var acc = new double[] { 0 };
                for (int k = 0; k < n.Arity; k++) acc = Zip(acc, A(k), (x, y) => x + y);
                return acc;
            }
            case Op.Mul:
            {
                var acc = new double[] { 1 };
                for (int k = 0; k < n.Arity; k++) acc = Zip(acc, A(k), (x, y) => x * y);
                return acc;
            }
            case Op.Pow: return Zip(A(0), A(1), Math.Pow);
            case Op.Max: return Zip(A(0), A(1), Math.Max);
            case Op.Min: return Zip(A(0), A(1), Math.Min);
            case Op.Less: return Zip(A(0), A(1), (x, y) => x < y ? 1 : 0);
            case Op.LessEqual: return Zip(A(0), A(1), (x, y) => x <= y ? 1 : 0);
            case Op.Equal: return Zip(A(0), A(1), (x, y) => x == y ? 1 : 0);
            case Op.NotEqual: return Zip(A(0), A(1), (x, y) => x != y ? 1 : 0);
            case Op.Select:
            {
                var c = A(0);
                var t = A(1);
                var f = A(2);
                int len = Math.Max(c.Length, Math.Max(t.Length, f.Length));
                var r = new double[len];
                for (int i = 0; i < len; i++) r[i] = At(c, i) != 0 ? At(t, i) : At(f, i);
                return r;
            }
            case Op.Sum:
            {
                double s = 0;
                foreach (double x in A(0)) s += x;
                return new[] { s };
            }
            case Op.ReduceMax:
            {
                double m = double.NegativeInfinity;
                foreach (double x in A(0)) m = Math.Max(m, x);
                return new[] { m };
            }
            case Op.LogSumExp: return new[] { LogSumExp(A(0)) };
            case Op.Softmax:
            {
                var z = A(0);
                double lse = LogSumExp(z);
                var r = new double[z.Length];
                for (int i = 0; i < z.Length; i++) r[i] = Math.Exp(z[i] - lse);
                return r;
            }
            default:
            {
                var a = A(0);
                var r = new double[a.Length];
                for (int i = 0; i < a.Length; i++) r[i] = Scalar(n.Op, a[i]);
                return r;
            }
        }
    }

    /// <summary>An elementwise unary function at one point.</summary>
    public static double Scalar(Op op, double x) => op switch
    {
        Op.Log => Math.Log(x),
        Op.Exp => Math.Exp(x),
        Op.Sigmoid => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x)),
        Op.Softplus => Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x))),
        Op.Tanh => Math.Tanh(x),
        Op.Log1P => Log1P(x),
        Op.ExpM1 => ExpM1(x),
        Op.Abs => Math.Abs(x),
        Op.Sign => double.IsNaN(x) ? double.NaN : Math.Sign(x),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a unary function"),
    };

    public static double Log1P(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        double log = Math.Log(u);
        return double.IsInfinity(u) ? log : log - ((u - 1) - x) / u;
    }

    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        if (um1 == -1) return -1;
        return double.IsInfinity(u) ? u : um1 * x / Math.Log(u);
    }

    public static double LogSumExp(double[] z)
    {
        double m = double.NegativeInfinity;
        foreach (double x in z) m = Math.Max(m, x);
        if (double.IsInfinity(m)) return m;
        double s = 0;
        foreach (double x in z) s += Math.Exp(x - m);
        return m + Math.Log(s);
    }

    private static double At(double[] a, int i) => a.Length == 1 ? a[0] : a[i];

    private static double[] Zip(double[] a, double[] b, Func<double, double, double> f)
    {
        int len = Math.Max(a.Length, b.Length);
        if (a.Length != 1 && b.Length != 1 && a.Length != b.Length) throw new ArgumentException("vector lengths differ");
        var r = new double[len];
        for (int i = 0; i < len; i++) r[i] = f(At(a, i), At(b, i));
        return r;
    }
}
