namespace Csp.Domain.Terms;

/// <summary>A New Commerce commitment, named as Microsoft's <c>termDuration</c> writes it (ISO 8601).</summary>
public enum Term
{
    /// <summary>One month; renews month to month, each renewal a new term anchored on its own start.</summary>
    P1M,

    /// <summary>One year.</summary>
    P1Y,

    /// <summary>Three years.</summary>
    P3Y,
}

/// <summary>How often Microsoft charges within a term, named as Microsoft's <c>billingCycle</c> does.</summary>
/// <remarks>
/// "The whole term up front" is <see cref="Monthly"/> for a one-month term, <see cref="Annual"/> for a one-year
/// term and <see cref="Triennial"/> for a three-year term; <see cref="TermExtensions.UpFront"/> gives it.
/// </remarks>
public enum BillingPlan
{
    /// <summary>A charge every month of the term.</summary>
    Monthly,

    /// <summary>A charge every year of the term.</summary>
    Annual,

    /// <summary>One charge for a three-year term.</summary>
    Triennial,
}

public static class TermExtensions
{
    /// <summary>The number of calendar months the term lasts: 1, 12 or 36.</summary>
    public static int Months(this Term term) => term switch
    {
        Term.P1M => 1,
        Term.P1Y => 12,
        Term.P3Y => 36,
        _ => throw new ArgumentOutOfRangeException(nameof(term), term, null),
    };

    /// <summary>The number of calendar months one charge covers: 1, 12 or 36.</summary>
    public static int Months(this BillingPlan plan) => plan switch
    {
        BillingPlan.Monthly => 1,
        BillingPlan.Annual => 12,
        BillingPlan.Triennial => 36,
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, null),
    };

    /// <summary>The billing plan that charges the whole term at once.</summary>
    public static BillingPlan UpFront(this Term term) => term switch
    {
        Term.P1M => BillingPlan.Monthly,
        Term.P1Y => BillingPlan.Annual,
        Term.P3Y => BillingPlan.Triennial,
        _ => throw new ArgumentOutOfRangeException(nameof(term), term, null),
    };

    /// <summary>Whether Microsoft sells <paramref name="term"/> on <paramref name="plan"/>: a charge never covers more than the term.</summary>
    public static bool Offers(this Term term, BillingPlan plan) => plan.Months() <= term.Months();

    /// <summary>Microsoft's <c>termDuration</c> string: <c>P1M</c>, <c>P1Y</c> or <c>P3Y</c>.</summary>
    public static string ToIso(this Term term) => term.ToString();

    /// <summary>Microsoft's <c>billingCycle</c> string in its JSON casing: <c>monthly</c>, <c>annual</c>, <c>triennial</c>.</summary>
    public static string ToMicrosoft(this BillingPlan plan) => plan switch
    {
        BillingPlan.Monthly => "monthly",
        BillingPlan.Annual => "annual",
        BillingPlan.Triennial => "triennial",
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, null),
    };

    /// <summary>Reads <c>P1M</c>, <c>P1Y</c> or <c>P3Y</c>, in any letter case.</summary>
    public static Result<Term> ParseTerm(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "P1M" => Term.P1M,
        "P1Y" => Term.P1Y,
        "P3Y" => Term.P3Y,
        _ => new Error("calendar.invalid_term", $"'{text}' is not a term; use P1M, P1Y or P3Y.", ErrorKind.Invalid, "term"),
    };

    /// <summary>
    /// Reads <c>monthly</c>, <c>annual</c>, <c>triennial</c> (Microsoft's names, any case) or <c>upfront</c>
    /// (the whole term at once) for <paramref name="term"/>, refusing a plan Microsoft does not sell with that term.
    /// </summary>
    public static Result<BillingPlan> ParseBillingPlan(string? text, Term term)
    {
        BillingPlan? plan = text?.Trim().ToUpperInvariant() switch
        {
            "MONTHLY" => BillingPlan.Monthly,
            "ANNUAL" or "YEARLY" => BillingPlan.Annual,
            "TRIENNIAL" => BillingPlan.Triennial,
            "UPFRONT" or "PREPAID" => term.UpFront(),
            _ => null,
        };

        if (plan is null)
        {
            return new Error(
                "calendar.invalid_billing_plan",
                $"'{text}' is not a billing plan; use monthly, annual, triennial or upfront.",
                ErrorKind.Invalid,
                "billing");
        }

        return term.Offers(plan.Value)
            ? plan.Value
            : new Error(
                "calendar.plan_not_offered",
                $"A {term} term cannot be billed {plan.Value.ToMicrosoft()}: one charge would cover more than the term.",
                ErrorKind.Invalid,
                "billing");
    }
}
