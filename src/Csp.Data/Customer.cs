namespace Csp.Data;

/// <summary>An end customer of a partner: one Microsoft customer tenant.</summary>
public sealed class Customer
{
    public Customer(Guid id, Guid partnerId, Guid customerTenantId, string name, string domain, string country, string currency, DateTimeOffset createdAt)
    {
        Id = id;
        PartnerId = partnerId;
        CustomerTenantId = customerTenantId;
        Name = name;
        Domain = domain;
        Country = country;
        Currency = currency;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The partner that owns the customer relationship and invoices it.</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>Microsoft's customer tenant id (Partner Center's <c>CustomerId</c>, the Entra ID tenant).</summary>
    public Guid CustomerTenantId { get; private set; }

    /// <summary>The company name, as in Partner Center's <c>CustomerName</c>.</summary>
    public string Name { get; private set; }

    /// <summary>The customer's primary domain, as in Partner Center's <c>CustomerDomainName</c>.</summary>
    public string Domain { get; private set; }

    /// <summary>ISO 3166-1 alpha-2 country: Microsoft's market for prices.</summary>
    public string Country { get; private set; }

    /// <summary>ISO 4217 code of the currency Microsoft charges the customer's subscriptions in: its market's.</summary>
    public string Currency { get; private set; }

    /// <summary>
    /// ISO 4217 code of the currency the partner invoices the customer in when not Microsoft's (<see cref="Currency"/>); its
    /// charges are then converted at the partner's exchange rates. Null: invoiced in Microsoft's currency.
    /// </summary>
    public string? InvoiceCurrency { get; private set; }

    /// <summary>The currency the customer's invoices are in.</summary>
    public string InvoicedIn => InvoiceCurrency ?? Currency;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The customer's VAT or tax registration number, printed on its invoices; null when not given.</summary>
    public string? TaxId { get; private set; }

    /// <summary>
    /// The customer accounts for tax itself (the EU reverse-charge rule for a business customer in another member state):
    /// its invoices carry no tax and say why.
    /// </summary>
    public bool ReverseCharge { get; private set; }

    /// <summary>Invoices the customer in <paramref name="currency"/> from the next draft on; Microsoft's currency clears the choice.</summary>
    public void InvoiceIn(string currency) => InvoiceCurrency = currency == Currency ? null : currency;

    public void SetTaxStatus(string? taxId, bool reverseCharge)
    {
        TaxId = taxId;
        ReverseCharge = reverseCharge;
    }
}
