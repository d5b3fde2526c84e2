using Csp.Data;
using Csp.Domain;
using Csp.Domain.Billing;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Pricing;

/// <summary>A rate to add: one unit of <paramref name="From"/> is <paramref name="Rate"/> units of <paramref name="To"/> from <paramref name="EffectiveFrom"/>.</summary>
public sealed record NewExchangeRate(string From, string To, decimal Rate, DateOnly EffectiveFrom);

/// <summary>An exchange rate as the API shows it.</summary>
public sealed record ExchangeRateView(Guid Id, Guid PartnerId, string From, string To, decimal Rate, DateOnly EffectiveFrom, string Source, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static ExchangeRateView Of(PartnerExchangeRate r) => new(r.Id, r.PartnerId, r.FromCurrency, r.ToCurrency, r.Rate, r.EffectiveFrom, r.Source, r.CreatedAt, r.CreatedBy);
}

/// <summary>
/// Adds the caller's dated exchange rates: one entered, or many imported at once (a month of a central bank's rates), all
/// or none. Rates are never edited: a later date is a new rate; a pair and date already held is refused.
/// </summary>
public static class AddExchangeRates
{
    /// <summary>Rates in one request at most: a year of daily rates for a few pairs.</summary>
    public const int MaxRates = 2_000;

    public static async Task<Result<List<ExchangeRateView>>> RunAsync(
        CommerceDb db, Guid partnerId, IReadOnlyList<NewExchangeRate> rates, string? source, string createdBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (rates.Count is 0 or > MaxRates)
        {
            return Error.InvalidParameter("rates", $"rates: from 1 to {MaxRates:N0} rates.");
        }

        source = source?.Trim() is { Length: > 0 } named ? named : "entered";
        if (source.Length > 200 || source.Any(char.IsControl))
        {
            return Error.InvalidParameter("source", "source: at most 200 characters, no control characters.");
        }

        var today = BillingClock.MicrosoftToday(time);
        var parsed = new List<ExchangeRate>(rates.Count);
        for (var i = 0; i < rates.Count; i++)
        {
            var field = $"rates[{i}]";
            var (from, to) = (Currency.FromCode(rates[i].From?.Trim()), Currency.FromCode(rates[i].To?.Trim()));
            if (!from.IsSuccess || !to.IsSuccess)
            {
                var which = from.IsSuccess ? "to" : "from";
                return Error.InvalidParameter($"{field}.{which}", $"{field}.{which}: '{(from.IsSuccess ? rates[i].To : rates[i].From)}' is not an ISO 4217 code this platform supports.");
            }

            if (ExchangeRate.Problem(from.Value, to.Value, rates[i].Rate) is { } problem)
            {
                return Error.InvalidParameter($"{field}.{problem[..problem.IndexOf(':', StringComparison.Ordinal)]}", $"{field}.{problem}");
            }

            var effective = rates[i].EffectiveFrom;
            if (effective < today.AddYears(-CreateMarginRule.YearsAround) || effective > today.AddYears(CreateMarginRule.YearsAround))
            {
                return Error.InvalidParameter($"{field}.effectiveFrom", $"{field}.effectiveFrom must be within {CreateMarginRule.YearsAround} years of today ({today:yyyy-MM-dd}).");
            }

            var rate = new ExchangeRate(from.Value, to.Value, rates[i].Rate, effective);
            if (parsed.FindIndex(r => r.From == rate.From && r.To == rate.To && r.EffectiveFrom == rate.EffectiveFrom) is var twice and >= 0)
            {
                return Error.InvalidParameter(field, $"{field}: {rate.From}→{rate.To} from {effective:yyyy-MM-dd} is also rates[{twice}].");
            }

            parsed.Add(rate);
        }

        var pairs = parsed.Select(r => r.From.Code + r.To.Code).Distinct().ToList();
        var held = await db.ExchangeRates
            .Where(r => r.PartnerId == partnerId && pairs.Contains(r.FromCurrency + r.ToCurrency))
            .Select(r => new { r.FromCurrency, r.ToCurrency, r.EffectiveFrom })
            .ToListAsync(cancellationToken);
        if (parsed.FirstOrDefault(r => held.Any(h => h.FromCurrency == r.From.Code && h.ToCurrency == r.To.Code && h.EffectiveFrom == r.EffectiveFrom)) is { } existing)
        {
            return Exists(existing);
        }

        var now = time.GetUtcNow();
        var added = parsed.Select(r => new PartnerExchangeRate(Guid.CreateVersion7(now), partnerId, r, source, now, createdBy)).ToList();
        db.ExchangeRates.AddRange(added);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new Error("exchange_rate.exists", "A rate of the same pair and date was added at the same time; look at the rates and send yours again.", ErrorKind.Conflict);
        }

        return added.Select(ExchangeRateView.Of).ToList();
    }

    private static Error Exists(ExchangeRate rate) =>
        new("exchange_rate.exists", $"There is already a {rate.From}→{rate.To} rate from {rate.EffectiveFrom:yyyy-MM-dd}; rates are never edited: add one from another date.", ErrorKind.Conflict);
}

/// <summary>The caller's exchange rates and those of the partners below it, by pair, newest first; one pair when asked.</summary>
public static class ListExchangeRates
{
    public static async Task<Result<List<ExchangeRateView>>> RunAsync(CommerceDb db, string? from, string? to, CancellationToken cancellationToken)
    {
        var query = db.ExchangeRates.AsQueryable();
        foreach (var (name, code) in new[] { ("from", from), ("to", to) }.Where(p => p.Item2 is not null))
        {
            var currency = Currency.FromCode(code);
            if (!currency.IsSuccess)
            {
                return Error.InvalidParameter(name, $"{name}: '{code}' is not an ISO 4217 code this platform supports.");
            }

            var c = currency.Value.Code;
            query = name == "from" ? query.Where(r => r.FromCurrency == c) : query.Where(r => r.ToCurrency == c);
        }

        return (await query.ToListAsync(cancellationToken))
            .OrderBy(r => r.PartnerId).ThenBy(r => r.FromCurrency, StringComparer.Ordinal).ThenBy(r => r.ToCurrency, StringComparer.Ordinal).ThenByDescending(r => r.EffectiveFrom)
            .Select(ExchangeRateView.Of)
            .ToList();
    }
}
