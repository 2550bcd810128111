using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AutoGrad.Generator.Tests.Fuzz;

/// <summary>
/// Reduces a failing fuzzed loss to a minimal one that fails the same way: greedily, each round
/// tries every one-step simplification (a node replaced by one of its operands, by a parameter or
/// by 1; a local inlined), compiles all of them in one compilation, and keeps the smallest that
/// still fails. The sample points stay those of the original loss.
/// </summary>
internal static class Shrinker
{
    public static LossOutcome Reduce(FLoss failing, int runSeed, int maxRounds = 40)
    {
        int seed = GradientOracle.SeedOf(failing, runSeed);
        int compilations = 0, partials = 0;
        var current = GradientOracle.CheckBatch(new[] { failing }, "Shrink", seed, ref compilations, ref partials, sameSeedForAll: true).Single();
        if (!current.Failed) return current with { Failure = "(did not fail again when compiled alone)" };
        string category = Category(current.Failure!);

        for (int round = 0; round < maxRounds; round++)
        {
            var candidates = Candidates(current.Loss)
                .Where(c => c.Size < current.Loss.Size || c.Locals.Count < current.Loss.Locals.Count)
                .Distinct()
                .Take(300)
                .Select((c, i) => c.Renamed("S" + i.ToString(CultureInfo.InvariantCulture)))
                .ToList();
            if (candidates.Count == 0) break;
            List<LossOutcome> outcomes;
            try
            {
                outcomes = GradientOracle.CheckBatch(candidates, "Shrink", seed, ref compilations, ref partials, sameSeedForAll: true);
            }
            catch (InvalidOperationException)
            {
                break; // a candidate the fuzzer's own evaluator cannot follow; keep what we have
            }
            var smaller = outcomes.Where(o => o.Failed && Category(o.Failure!) == category)
                .OrderBy(o => o.Loss.Size).ThenBy(o => o.Loss.Locals.Count).FirstOrDefault();
            if (smaller is null) break;
            // The batch oracle's messages name the loss ("batch double: S12 double n = 7: ..."): name it as the original.
            current = smaller with
            {
                Loss = smaller.Loss.Renamed(failing.Name),
                Failure = smaller.Failure!.Replace(" " + smaller.Loss.Name + " ", " " + failing.Name + " ", StringComparison.Ordinal),
            };
        }
        return current;
    }

    private static string Category(string failure) =>
        failure.StartsWith("∂L/∂", StringComparison.Ordinal) ? "mismatch"
        : failure.StartsWith("batch ", StringComparison.Ordinal) ? string.Join(" ", failure.Split(' ').Take(2)) // batch float:, batch double:, batch reference:
        : failure.StartsWith("generated code does not compile", StringComparison.Ordinal) ? "compile"
        : failure.StartsWith("generator:", StringComparison.Ordinal) ? failure.Split(':').ElementAtOrDefault(3)?.Trim().Split(' ')[0] ?? "generator"
        : failure.Split(' ')[0];

    private static IEnumerable<FLoss> Candidates(FLoss loss)
    {
        // Inline a local into everything after it.
        for (int k = 0; k < loss.Locals.Count; k++)
        {
            var (name, value) = loss.Locals[k];
            var locals = loss.Locals.Take(k)
                .Concat(loss.Locals.Skip(k + 1).Select(l => (l.Name, Substitute(l.Value, name, value))))
                .ToList();
            yield return loss with { Locals = locals, Body = Substitute(loss.Body, name, value) };
        }
        var leaves = loss.Parameters.Select(p => (FExpr)new FVar(p.Name, p.IsVec)).Concat(new[] { FNum.Of(1) }).ToList();
        foreach (var body in ReplaceOne(loss.Body, leaves)) yield return loss with { Body = body };
        for (int k = 0; k < loss.Locals.Count; k++)
        {
            foreach (var value in ReplaceOne(loss.Locals[k].Value, leaves))
            {
                var locals = loss.Locals.ToList();
                locals[k] = (locals[k].Name, value);
                yield return loss with { Locals = locals };
            }
        }
    }

    private static IEnumerable<FExpr> ReplaceOne(FExpr e, List<FExpr> leaves)
    {
        if (e.Children.Count > 0)
        {
            foreach (var child in e.Children.Where(c => c.IsVec == e.IsVec)) yield return child;
            foreach (var leaf in leaves.Where(l => l.IsVec == e.IsVec)) yield return leaf;
        }
        var children = e.Children;
        for (int i = 0; i < children.Count; i++)
        {
            foreach (var r in ReplaceOne(children[i], leaves))
            {
                var copy = children.ToArray();
                copy[i] = r;
                yield return e.With(copy);
            }
        }
    }

    private static FExpr Substitute(FExpr e, string name, FExpr value) =>
        e is FVar v && v.Name == name ? value : e.Children.Count == 0 ? e : e.With(e.Children.Select(c => Substitute(c, name, value)).ToArray());
}
