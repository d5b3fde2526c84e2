namespace Csp.Data;

/// <summary>What role an organisation plays in Microsoft's CSP program.</summary>
public enum PartnerKind
{
    /// <summary>Microsoft's "indirect provider": holds the Partner Center relationship and sells through resellers.</summary>
    Distributor,

    /// <summary>An indirect reseller or MSP, selling through a distributor.</summary>
    Reseller,

    /// <summary>Holds its own Partner Center relationship and bills its own customers.</summary>
    DirectBill,
}

/// <summary>An organisation using the platform; our tenant. A partner sees itself and the partners below it.</summary>
public sealed class Partner
{
    public Partner(Guid id, string name, PartnerKind kind, Guid? parentPartnerId, string country, string billingCurrency, string billingTimeZone, DateTimeOffset createdAt)
    {
        Id = id;
        Name = name;
        Kind = kind;
        ParentPartnerId = parentPartnerId;
        Country = country;
        BillingCurrency = billingCurrency;
        BillingTimeZone = billingTimeZone;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public PartnerKind Kind { get; private set; }

    /// <summary>The distributor a reseller buys through; null for a distributor or a direct-bill partner.</summary>
    public Guid? ParentPartnerId { get; private set; }

    /// <summary>ISO 3166-1 alpha-2 country of the partner's registered business.</summary>
    public string Country { get; private set; }

    /// <summary>ISO 4217 code of the currency Microsoft (or the distributor) bills this partner in.</summary>
    public string BillingCurrency { get; private set; }

    /// <summary>IANA time zone in which an instant becomes this partner's billing date (see BillingClock).</summary>
    public string BillingTimeZone { get; private set; }

    /// <summary>Microsoft's partner (MPN) id, where known.</summary>
    public string? MpnId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The seller's policy for its customers' requests: a request to add at most this many seats is carried out at once;
    /// any other (more seats, fewer, a cancellation) waits for the seller. 0, the default: every request waits.
    /// </summary>
    public int CustomerSeatAdditionsAtOnce { get; private set; }

    public void IdentifyInPartnerCenter(string mpnId) => MpnId = mpnId;

    public void SetCustomerRequestPolicy(int seatAdditionsAtOnce) => CustomerSeatAdditionsAtOnce = seatAdditionsAtOnce;
}
