using Csp.Domain;
using Csp.Domain.Billing;

namespace Csp.Data;

/// <summary>
/// One of a partner's dated exchange rates, entered or imported: one unit of <see cref="FromCurrency"/> is <see cref="Rate"/>
/// units of <see cref="ToCurrency"/> from <see cref="EffectiveFrom"/>. Never edited: a later date is a new rate, and the same
/// pair and date twice is refused.
/// </summary>
public sealed class PartnerExchangeRate
{
    public PartnerExchangeRate(Guid id, Guid partnerId, ExchangeRate rate, string source, DateTimeOffset createdAt, string createdBy)
    {
        Id = id;
        PartnerId = partnerId;
        FromCurrency = rate.From.Code;
        ToCurrency = rate.To.Code;
        Rate = rate.Rate;
        EffectiveFrom = rate.EffectiveFrom;
        Source = source;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    private PartnerExchangeRate()
    {
        FromCurrency = ToCurrency = Source = CreatedBy = "";
    }

    public Guid Id { get; private set; }

    /// <summary>The partner that invoices with it.</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>The currency converted from: Microsoft's, on the charge.</summary>
    public string FromCurrency { get; private set; }

    /// <summary>The currency converted to: the customer's.</summary>
    public string ToCurrency { get; private set; }

    public decimal Rate { get; private set; }

    public DateOnly EffectiveFrom { get; private set; }

    /// <summary>Where it came from: <c>entered</c>, or the name of the file it was imported from.</summary>
    public string Source { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public ExchangeRate ToRate() => new(Currency.FromCode(FromCurrency).Value, Currency.FromCode(ToCurrency).Value, Rate, EffectiveFrom);
}
