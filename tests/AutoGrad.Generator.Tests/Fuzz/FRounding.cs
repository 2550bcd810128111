using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// A first-order rounding-error analysis of a fuzzed loss and of its gradient at one point, in units of the unit
/// roundoff u of whatever precision computes it: how far a computation of the loss as written, every operation
/// rounded once, can be from the exact value, and the same for every partial derivative computed by the chain rule
/// (forward mode, one direction per differentiated input). Each operation's own rounding (u·|v|) is carried to the
/// result by the absolute values of the derivatives that follow it, so cancellation is accounted for where it
/// happens: <c>Log1P(-Sigmoid(w))</c> near w = 7 (1 - σ(w) ≈ 1e-3 from a σ(w) rounded near 1) gains 10^3;
/// ∂/∂n of <c>Softmax(h - b / n)</c> is exactly 0 but a sum of terms of size |b / n²| · |∂/∂h|.
/// </summary>
/// <remarks>
/// A derivative's own error is the error of the values it is computed from times the second derivative (and one
/// rounding). Local derivatives of the elementwise functions are taken numerically (central differences of the
/// double function, first and second order): only their size matters here. Inputs are exact (the batch oracle draws
/// float values), literals that are not floats carry one rounding.
/// </remarks>
internal sealed class FRounding
{
    /// <summary>A value of the loss (one lane per class for a Vec), its error bound, and per direction its |tangent| and that tangent's error bound.</summary>
    private sealed class Node
    {
        public required double[] V;
        public required double[] E;
        public required double[][] T;
        public required double[][] G;
    }

    private readonly int _directions;
    private readonly int _classes;

    private FRounding(int directions, int classes)
    {
        _directions = directions;
        _classes = classes;
    }

    /// <summary>
    /// The error bound of the loss and of each partial derivative (differentiated parameters in declaration order, a
    /// Vec's entries in order), in units of u, at the point <paramref name="args"/>.
    /// </summary>
    public static (double Loss, double[] Gradient) Analyze(FLoss loss, IReadOnlyDictionary<string, double[]> args, int classes)
    {
        int directions = loss.Parameters.Where(p => p.Role == FRole.Differentiated).Sum(p => p.IsVec ? classes : 1);
        var r = new FRounding(directions, classes);
        var env = new Dictionary<string, Node>();
        int next = 0;
        foreach (var p in loss.Parameters)
        {
            int first = p.Role == FRole.Differentiated ? next : -1;
            if (first >= 0) next += p.IsVec ? classes : 1;
            env[p.Name] = r.Input(args[p.Name], first);
        }
        foreach (var (name, value) in FSource.Constants) env[name] = r.Literal(value);
        foreach (var (name, value) in loss.Locals) env[name] = r.Eval(value, env);
        var result = r.Eval(loss.Body, env);
        return (result.E[0], Enumerable.Range(0, directions).Select(k => result.G[k][0]).ToArray());
    }

    private Node New(int length) => new()
    {
        V = new double[length],
        E = new double[length],
        T = Enumerable.Range(0, _directions).Select(_ => new double[length]).ToArray(),
        G = Enumerable.Range(0, _directions).Select(_ => new double[length]).ToArray(),
    };

    private Node Input(double[] values, int firstDirection)
    {
        var n = New(values.Length);
        Array.Copy(values, n.V, values.Length);
        if (firstDirection >= 0)
        {
            for (int j = 0; j < values.Length; j++) n.T[firstDirection + j][j] = 1;
        }
        return n;
    }

    private Node Literal(double value)
    {
        var n = New(1);
        n.V[0] = value;
        n.E[0] = (double)(float)value == value ? 0 : Math.Abs(value);
        return n;
    }

    private Node Eval(FExpr x, Dictionary<string, Node> env) => x switch
    {
        FNum n => Literal(n.Value),
        FVar v => env[v.Name],
        FNeg n => Elementwise(a => -a[0], Eval(n.A, env)),
        FBin b => Elementwise(Binary(b.Op), Eval(b.A, env), Eval(b.B, env)),
        FCond c => Conditional(c, env),
        FCall call => Call(call, call.Args.Select(a => Eval(a, env)).ToArray()),
        _ => throw new ArgumentException(x.GetType().Name),
    };

    private static Func<double[], double> Binary(char op) => op switch
    {
        '+' => a => a[0] + a[1],
        '-' => a => a[0] - a[1],
        '*' => a => a[0] * a[1],
        _ => a => a[0] / a[1],
    };

    private Node Conditional(FCond c, Dictionary<string, Node> env)
    {
        double l = Eval(c.L, env).V[0], r = Eval(c.R, env).V[0];
        bool holds = c.Holds(l, r);
        // Both branches are computed (as the evaluator does); the point is away from the condition's kink.
        var t = Eval(c.T, env);
        var f = Eval(c.F, env);
        var chosen = holds ? t : f;
        return c.IsVec && chosen.V.Length == 1 ? Broadcast(chosen, _classes) : chosen;
    }

    private Node Broadcast(Node a, int length)
    {
        var n = New(length);
        for (int l = 0; l < length; l++)
        {
            n.V[l] = a.V[0];
            n.E[l] = a.E[0];
            for (int k = 0; k < _directions; k++)
            {
                n.T[k][l] = a.T[k][0];
                n.G[k][l] = a.G[k][0];
            }
        }
        return n;
    }

    private Node Call(FCall call, Node[] a) => call.Name switch
    {
        "Sum" => Sum(a[0], 1.0),
        "Mean" => Sum(a[0], 1.0 / a[0].V.Length),
        "Dot" => Dot(a[0], a[1]),
        "LogSumExp" => SoftmaxFamily(a[0], SoftmaxKind.LogSumExp),
        "Softmax" => SoftmaxFamily(a[0], SoftmaxKind.Softmax),
        "LogSoftmax" => SoftmaxFamily(a[0], SoftmaxKind.LogSoftmax),
        "Max" when a.Length == 1 => ArgMax(a[0]),
        _ => Elementwise(Function(call.Name, a.Length), a),
    };

    private static Func<double[], double> Function(string name, int arity) => (name, arity) switch
    {
        ("Log", 2) => a => Math.Log(a[0], a[1]),
        ("Log", _) => a => Math.Log(a[0]),
        ("Log10", _) => a => Math.Log10(a[0]),
        ("Log2", _) => a => Math.Log2(a[0]),
        ("Sqrt", _) => a => Math.Sqrt(a[0]),
        ("Exp", _) => a => Math.Exp(a[0]),
        ("Abs", _) => a => Math.Abs(a[0]),
        ("Sign", _) => a => Math.Sign(a[0]),
        ("Square", _) => a => a[0] * a[0],
        ("Pow", _) => a => Math.Pow(a[0], a[1]),
        ("Log1P", _) => a => Fn.Log1P(a[0]),
        ("ExpM1", _) => a => Fn.ExpM1(a[0]),
        ("Sigmoid", _) => a => Fn.Sigmoid(a[0]),
        ("LogSigmoid", _) => a => Fn.LogSigmoid(a[0]),
        ("Softplus", _) => a => Fn.Softplus(a[0]),
        ("Tanh", _) => a => Math.Tanh(a[0]),
        ("Cosh", _) => a => Math.Cosh(a[0]),
        ("Sinh", _) => a => Math.Sinh(a[0]),
        ("FusedMultiplyAdd", _) => a => a[0] * a[1] + a[2],
        ("Max", _) => a => Math.Max(a[0], a[1]),
        ("Min", _) => a => Math.Min(a[0], a[1]),
        ("Clamp", _) => a => Math.Clamp(a[0], a[1], a[2]),
        _ => throw new ArgumentException("no rounding analysis for " + name),
    };

    /// <summary>
    /// An elementwise function of scalar or Vec arguments (a scalar is broadcast): its partial derivatives and their
    /// sensitivities to the arguments by central differences, then the chain rule on the bounds.
    /// </summary>
    private Node Elementwise(Func<double[], double> f, params Node[] args)
    {
        int length = args.Max(a => a.V.Length);
        int m = args.Length;
        var n = New(length);
        var x = new double[m];
        var d = new double[m];
        var de = new double[m];
        for (int l = 0; l < length; l++)
        {
            for (int i = 0; i < m; i++) x[i] = At(args[i].V, l);
            double v = f(x);
            n.V[l] = v;
            for (int i = 0; i < m; i++)
            {
                d[i] = Partial(f, x, i, 1e-6);
                // The partial is computed from erroneous arguments: its own error is Σ_j |∂²f/∂x_i∂x_j| E_j, and one rounding.
                de[i] = Math.Abs(d[i]);
                for (int j = 0; j < m; j++)
                {
                    double ej = At(args[j].E, l);
                    if (ej != 0) de[i] += Math.Abs(Second(f, x, i, j)) * ej;
                }
            }
            double e = Math.Abs(v);
            for (int i = 0; i < m; i++) e += Math.Abs(d[i]) * At(args[i].E, l);
            n.E[l] = e;
            for (int k = 0; k < _directions; k++)
            {
                double t = 0, g = 0;
                for (int i = 0; i < m; i++)
                {
                    double ti = At(args[i].T[k], l);
                    t += Math.Abs(d[i]) * ti;
                    g += Math.Abs(d[i]) * At(args[i].G[k], l) + de[i] * ti;
                }
                n.T[k][l] = t;
                n.G[k][l] = g + t;
            }
        }
        return n;
    }

    private static double Step(double x, double relative) => relative * Math.Max(Math.Abs(x), 1e-2);

    private static double Partial(Func<double[], double> f, double[] x, int i, double relative)
    {
        var p = (double[])x.Clone();
        double h = Step(x[i], relative);
        p[i] = x[i] + h;
        double up = f(p);
        p[i] = x[i] - h;
        double down = f(p);
        double d = (up - down) / (2 * h);
        return double.IsFinite(d) ? d : 0;
    }

    private static double Second(Func<double[], double> f, double[] x, int i, int j)
    {
        double h = Step(x[j], 1e-4);
        var p = (double[])x.Clone();
        p[j] = x[j] + h;
        double up = Partial(f, p, i, 1e-4);
        p[j] = x[j] - h;
        double down = Partial(f, p, i, 1e-4);
        double s = (up - down) / (2 * h);
        return double.IsFinite(s) ? s : 0;
    }

    /// <summary>Σ (times <paramref name="scale"/>: 1/n for Mean); a sum of n terms is off by up to n·Σ|terms|.</summary>
    private Node Sum(Node a, double scale)
    {
        int len = a.V.Length;
        var n = New(1);
        double v = 0, abs = 0, e = 0;
        for (int l = 0; l < len; l++)
        {
            v += a.V[l];
            abs += Math.Abs(a.V[l]);
            e += a.E[l];
        }
        n.V[0] = v * scale;
        n.E[0] = (e + len * abs) * scale + Math.Abs(n.V[0]);
        for (int k = 0; k < _directions; k++)
        {
            double t = 0, g = 0;
            for (int l = 0; l < len; l++)
            {
                t += a.T[k][l];
                g += a.G[k][l];
            }
            n.T[k][0] = t * scale;
            n.G[k][0] = (g + len * t) * scale + n.T[k][0];
        }
        return n;
    }

    private Node Dot(Node a, Node b)
    {
        int len = Math.Max(a.V.Length, b.V.Length);
        var n = New(1);
        double v = 0, abs = 0, e = 0;
        for (int l = 0; l < len; l++)
        {
            double x = At(a.V, l), y = At(b.V, l);
            v += x * y;
            abs += Math.Abs(x * y);
            e += Math.Abs(y) * At(a.E, l) + Math.Abs(x) * At(b.E, l);
        }
        n.V[0] = v;
        n.E[0] = e + len * abs + Math.Abs(v);
        for (int k = 0; k < _directions; k++)
        {
            double t = 0, g = 0;
            for (int l = 0; l < len; l++)
            {
                double x = At(a.V, l), y = At(b.V, l), ta = At(a.T[k], l), tb = At(b.T[k], l);
                t += Math.Abs(y) * ta + Math.Abs(x) * tb;
                // ∂/∂a_l = b_l is off by E(b_l), and the other way round.
                g += Math.Abs(y) * At(a.G[k], l) + At(b.E, l) * ta + Math.Abs(x) * At(b.G[k], l) + At(a.E, l) * tb;
            }
            n.T[k][0] = t;
            n.G[k][0] = g + len * t;
        }
        return n;
    }

    private Node ArgMax(Node a)
    {
        int arg = 0;
        for (int l = 1; l < a.V.Length; l++) if (a.V[l] > a.V[arg]) arg = l;
        var n = New(1);
        n.V[0] = a.V[arg];
        n.E[0] = a.E[arg];
        for (int k = 0; k < _directions; k++)
        {
            n.T[k][0] = a.T[k][arg];
            n.G[k][0] = a.G[k][arg];
        }
        return n;
    }

    private enum SoftmaxKind { LogSumExp, Softmax, LogSoftmax }

    /// <summary>
    /// LogSumExp, Softmax and LogSoftmax, with s = Softmax(z): ∂LSE/∂z_j = s_j, ∂s_i/∂z_j = s_i(δ_ij − s_j),
    /// ∂LogSoftmax_i/∂z_j = δ_ij − s_j. The probabilities s carry the relative error of the exponentials of z − max:
    /// up to 2·max_j E(z_j); each output is rounded with (n + 2) operations.
    /// </summary>
    private Node SoftmaxFamily(Node z, SoftmaxKind kind)
    {
        int len = z.V.Length;
        var s = Fn.Softmax((Vec)z.V).ToArray();
        double lse = Fn.LogSumExp((Vec)z.V);
        double zErr = 2 * z.E.Max();
        int outLen = kind == SoftmaxKind.LogSumExp ? 1 : len;
        var n = New(outLen);
        for (int i = 0; i < outLen; i++)
        {
            n.V[i] = kind switch
            {
                SoftmaxKind.LogSumExp => lse,
                SoftmaxKind.Softmax => s[i],
                _ => z.V[i] - lse,
            };
            double e = (len + 2) * (Math.Abs(n.V[i]) + (kind == SoftmaxKind.Softmax ? 0 : 1));
            var d = new double[len];
            var de = new double[len];
            for (int j = 0; j < len; j++)
            {
                double delta = i == j ? 1 : 0;
                (d[j], de[j]) = kind switch
                {
                    SoftmaxKind.LogSumExp => (s[j], s[j] * zErr + s[j]),
                    SoftmaxKind.Softmax => (s[i] * (delta - s[j]), s[i] * (delta + s[j]) * 2 * zErr + Math.Abs(s[i] * (delta - s[j]))),
                    _ => (delta - s[j], s[j] * zErr + Math.Abs(delta - s[j])),
                };
                e += Math.Abs(d[j]) * z.E[j];
            }
            n.E[i] = e;
            for (int k = 0; k < _directions; k++)
            {
                double t = 0, g = 0;
                for (int j = 0; j < len; j++)
                {
                    t += Math.Abs(d[j]) * z.T[k][j];
                    g += Math.Abs(d[j]) * z.G[k][j] + de[j] * z.T[k][j];
                }
                n.T[k][i] = t;
                n.G[k][i] = g + (len + 2) * t;
            }
        }
        return n;
    }

    private static double At(double[] a, int i) => a.Length == 1 ? a[0] : a[i];
}
