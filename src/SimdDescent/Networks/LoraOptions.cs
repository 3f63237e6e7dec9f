namespace SimdDescent.Networks;

/// <summary>
/// The adapters a model declared with <see cref="LoraAdaptersAttribute"/> gets at construction: the rank (up to the
/// declared <see cref="LoraAdaptersAttribute.MaxRank"/>), α, and which of the declared targets carry one. Unset values
/// take the declaration's.
/// </summary>
public sealed record LoraOptions
{
    /// <summary>The rank r of every adapter, in [1, MaxRank]; null: the declared <see cref="LoraAdaptersAttribute.Rank"/>.</summary>
    public int? Rank { get; init; }

    /// <summary>The scaling numerator α (finite); null: the declared <see cref="LoraAdaptersAttribute.Alpha"/>.</summary>
    public double? Alpha { get; init; }

    /// <summary>
    /// The targeted modules, a subset of the declared ones: a network's layers by nn.Sequential module name
    /// (<c>"9"</c>), a language model's linear maps of every block by nanoGPT module name (<c>c_attn</c>,
    /// <c>attn.c_proj</c>, <c>c_fc</c>, <c>mlp.c_proj</c>, or <c>c_proj</c> for both projections); null: every
    /// declared target. An empty list trains no adapter (only the layers trained whole, if any).
    /// </summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>
    /// Checks these options against a declaration and resolves them: the rank, α, and for each declared target
    /// module whether it carries an adapter. Generated models call this from their constructor.
    /// </summary>
    /// <param name="modules">The declared target modules' names, in declaration order.</param>
    /// <param name="declaredRank">The declared default rank.</param>
    /// <param name="maxRank">The largest rank the model's buffers hold.</param>
    /// <param name="declaredAlpha">The declared default α.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rank is outside [1, <paramref name="maxRank"/>] or α is not finite.</exception>
    /// <exception cref="ArgumentException">A target is not one of <paramref name="modules"/> (nor, for "c_proj", a suffix of one).</exception>
    public (int Rank, double Alpha, bool[] Chosen) Resolve(IReadOnlyList<string> modules, int declaredRank, int maxRank, double declaredAlpha)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var rank = Rank ?? declaredRank;
        if (rank < 1 || rank > maxRank)
        {
            throw new ArgumentOutOfRangeException(nameof(Rank), rank, $"Expected a rank in [1, {maxRank}] (the declared MaxRank).");
        }

        var alpha = Alpha ?? declaredAlpha;
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), alpha, "Expected a finite α.");
        }

        var chosen = new bool[modules.Count];
        if (Targets is null)
        {
            Array.Fill(chosen, true);
            return (rank, alpha, chosen);
        }

        foreach (var target in Targets)
        {
            var any = false;
            for (var i = 0; i < modules.Count; i++)
            {
                if (modules[i] == target || modules[i].EndsWith("." + target, StringComparison.Ordinal))
                {
                    chosen[i] = any = true;
                }
            }

            if (!any)
            {
                throw new ArgumentException($"'{target}' is not a declared adapter target; the targets are: {string.Join(", ", modules)}.", nameof(Targets));
            }
        }

        return (rank, alpha, chosen);
    }
}
