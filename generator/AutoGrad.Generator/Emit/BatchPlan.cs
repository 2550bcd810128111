using System.Collections.Generic;
using System.Linq;

namespace AutoGrad.Generator.Emit;

/// <summary>The four batch methods of API.md §3.2.</summary>
internal enum BatchMethod
{
    /// <summary><c>T MForward(..., Reduction)</c>: the reduced loss.</summary>
    Forward,

    /// <summary><c>void MForward(..., Span&lt;T&gt; losses)</c>: one loss per example.</summary>
    ForwardPerExample,

    /// <summary><c>void MBackward(..., Span&lt;T&gt; d&lt;p&gt;..., Reduction)</c>: the gradients.</summary>
    Backward,

    /// <summary><c>T MForwardBackward(..., Span&lt;T&gt; d&lt;p&gt;..., Reduction)</c>: both in one pass.</summary>
    ForwardBackward,
}

/// <summary>
/// What one chunk kernel computes (the loss, and the gradients when <see cref="WithGradients"/>) and, for a vector
/// loss, in which pass over a row each part is computed. A kernel serves several batch methods (its <c>TMode</c>
/// type argument says which outputs a call wants): a scalar loss has one kernel for all four methods, a vector loss
/// one for the two forward methods and one for the two with gradients, whose passes are scheduled differently.
/// </summary>
/// <remarks>
/// <para>
/// A vector loss runs row by row. A row value (a reduction such as Σⱼ, maxⱼ, or anything computed from
/// reductions and per-row parameters) is known only after the pass over the row's classes that accumulates
/// it; an elementwise value can be computed in any pass after every row value it uses is known. Reductions
/// the gradients need are accumulated as early as possible; reductions only the loss needs as late as possible,
/// so that they ride along with the pass that writes the gradients. Softmax CE, for example, takes three passes:
/// the row max, the sum of exponentials, then the gradient together with the loss's Σ y·(z − LogSumExp z).
/// </para>
/// <para>
/// A scalar loss has no rows: everything elementwise is one loop over the examples, and <see cref="PassCount"/> is 0.
/// </para>
/// </remarks>
internal sealed class BatchPlan
{
    public BatchPlan(BatchKernel kernel, bool withGradients)
    {
        Kernel = kernel;
        WithGradients = withGradients;
        var outputs = new List<int> { kernel.Loss };
        if (withGradients) outputs.AddRange(kernel.Gradients);
        Needed = Reach(outputs, stopAtReductions: false);
        ForGradients = withGradients ? Reach(kernel.Gradients, stopAtReductions: false) : new HashSet<int>();

        if (kernel.IsVectorLoss) Schedule();
    }

    public BatchKernel Kernel { get; }

    /// <summary>The kernel computes the gradients as well as the loss.</summary>
    public bool WithGradients { get; }

    /// <summary>Every instruction the kernel computes.</summary>
    public HashSet<int> Needed { get; }

    /// <summary>The instructions the gradients need (the others serve only the loss).</summary>
    public HashSet<int> ForGradients { get; }

    /// <summary>True when instruction <paramref name="id"/> serves only the loss: a mode without the loss skips it.</summary>
    public bool IsLossOnly(int id) => !ForGradients.Contains(id);

    /// <summary>The number of passes over each row (vector losses).</summary>
    public int PassCount { get; private set; }

    /// <summary>The pass that writes the elementwise outputs (0 when there are none).</summary>
    public int OutputPass { get; private set; }

    /// <summary>The pass after which each row value is known (0: before the first pass).</summary>
    public Dictionary<int, int> Available { get; } = new();

    /// <summary>The pass in which each reduction is accumulated.</summary>
    public Dictionary<int, int> PassOf { get; } = new();

    /// <summary>The reductions accumulated in pass <paramref name="pass"/>, ascending.</summary>
    public IEnumerable<int> ReductionsIn(int pass) =>
        PassOf.Where(kv => kv.Value == pass).Select(kv => kv.Key).OrderBy(id => id);

    /// <summary>The row values (not reductions) computed once pass <paramref name="pass"/> is done, ascending.</summary>
    public IEnumerable<int> RowValuesAfter(int pass) =>
        Needed.Where(id => Kernel.LevelOf(id) == KLevel.Row && !Kernel[id].IsReduction && Available[id] == pass).OrderBy(id => id);

    /// <summary>
    /// The elementwise instructions needed to compute <paramref name="roots"/>, ascending (row and uniform values come
    /// from outside; <paramref name="leaves"/> are loaded rather than computed from their operands).
    /// </summary>
    public List<int> ElementClosure(IEnumerable<int> roots, ICollection<int>? leaves = null)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(roots.Where(r => Kernel.LevelOf(r) == KLevel.Element));
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!seen.Add(id)) continue;
            if (leaves is not null && leaves.Contains(id)) continue;
            foreach (int o in Kernel[id].Operands)
            {
                if (Kernel.LevelOf(o) == KLevel.Element) stack.Push(o);
            }
        }
        var list = seen.ToList();
        list.Sort();
        return list;
    }

    /// <summary>The elementwise roots of pass <paramref name="pass"/>: its reductions' arguments and, in the output pass, the Vec gradients.</summary>
    public List<int> PassRoots(int pass)
    {
        var roots = ReductionsIn(pass).Select(r => Kernel[r].A).ToList();
        if (pass == OutputPass)
        {
            for (int k = 0; k < Kernel.Gradients.Count; k++)
            {
                if (Kernel.IsVectorGradient(k)) roots.Add(Kernel.Gradients[k]);
            }
        }
        return roots;
    }

    /// <summary>
    /// Elementwise values kept in a row buffer: a transcendental computed in one pass and needed again in a later one
    /// (the exponentials of a Softmax, summed in one pass and normalized in the next) is stored where it is first
    /// computed and loaded afterwards. Key: the instruction; value: the pass that computes it.
    /// </summary>
    public Dictionary<int, int> Cached { get; } = new();

    /// <summary>The elementwise instructions of pass <paramref name="pass"/>, with cached values from earlier passes as loads.</summary>
    public List<int> PassBody(int pass)
    {
        var earlier = Cached.Where(kv => kv.Value < pass).Select(kv => kv.Key).ToList();
        return ElementClosure(PassRoots(pass), earlier);
    }

    private void ChooseCached()
    {
        var firstPass = new Dictionary<int, int>();
        for (int pass = 1; pass <= PassCount; pass++)
        {
            foreach (int id in PassBody(pass))
            {
                if (firstPass.TryGetValue(id, out int first))
                {
                    if (first < pass && Kernel[id].IsExpensive && !Cached.ContainsKey(id)) Cached[id] = first;
                }
                else
                {
                    firstPass[id] = pass;
                }
            }
        }
    }

    /// <summary>The uniform instructions the method needs (hoisted out of every loop), ascending.</summary>
    public IEnumerable<int> UniformValues =>
        Needed.Where(id => Kernel.LevelOf(id) == KLevel.Uniform).OrderBy(id => id);

    private HashSet<int> Reach(IEnumerable<int> roots, bool stopAtReductions)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(roots);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!seen.Add(id)) continue;
            if (stopAtReductions && Kernel[id].IsReduction) continue;
            foreach (int o in Kernel[id].Operands) stack.Push(o);
        }
        return seen;
    }

    private void Schedule()
    {
        var order = Needed.OrderBy(id => id).ToList();

        // As soon as possible: a reduction is accumulated in the pass after its argument is known.
        var asap = new Dictionary<int, int>();
        foreach (int id in order) asap[id] = AvailableFrom(id, asap);

        var elementOutputs = new List<int>();
        if (WithGradients)
        {
            for (int k = 0; k < Kernel.Gradients.Count; k++)
            {
                if (Kernel.IsVectorGradient(k)) elementOutputs.Add(Kernel.Gradients[k]);
            }
        }
        OutputPass = elementOutputs.Count == 0 ? 0 : 1 + elementOutputs.Max(g => asap[g]);
        int last = order.Where(id => Kernel[id].IsReduction).Select(id => asap[id]).DefaultIfEmpty(0).Max();
        last = System.Math.Max(last, OutputPass);

        // Reductions the gradients need stay as early as possible; those only the loss needs move as late as
        // possible (into the gradient pass when there is one).
        var forGradients = ForGradients;
        var latest = new Dictionary<int, int>();
        foreach (int id in order.AsEnumerable().Reverse().Where(id => Kernel[id].IsReduction && !forGradients.Contains(id)))
        {
            int bound = last;
            foreach (int user in order.Where(u => Kernel[u].IsReduction && !forGradients.Contains(u) && DirectReductions(u).Contains(id)))
            {
                bound = System.Math.Min(bound, latest[user] - 1);
            }
            latest[id] = bound;
        }

        foreach (int id in order)
        {
            if (Kernel[id].IsReduction)
            {
                int pass = latest.TryGetValue(id, out int late) ? late : asap[id];
                PassOf[id] = pass;
                Available[id] = pass;
            }
            else
            {
                Available[id] = AvailableFrom(id, Available);
            }
        }
        PassCount = System.Math.Max(OutputPass, PassOf.Values.DefaultIfEmpty(0).Max());
        ChooseCached();
    }

    private int AvailableFrom(int id, Dictionary<int, int> known)
    {
        var instr = Kernel[id];
        if (instr.IsReduction) return known[instr.A] + 1;
        return instr.Operands.Select(o => known[o]).DefaultIfEmpty(0).Max();
    }

    /// <summary>The reductions the argument of reduction <paramref name="id"/> uses without going through another reduction.</summary>
    private HashSet<int> DirectReductions(int id)
    {
        var found = new HashSet<int>();
        var seen = new HashSet<int>();
        var stack = new Stack<int>(new[] { Kernel[id].A });
        while (stack.Count > 0)
        {
            int x = stack.Pop();
            if (!seen.Add(x)) continue;
            if (Kernel[x].IsReduction)
            {
                found.Add(x);
                continue;
            }
            foreach (int o in Kernel[x].Operands) stack.Push(o);
        }
        return found;
    }
}
