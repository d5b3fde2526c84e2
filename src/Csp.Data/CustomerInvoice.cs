using Csp.Domain.Billing;
using Csp.Domain.Charges;

namespace Csp.Data;

/// <summary>Where an invoice is in its life. Overdue is not a status: it is an issued invoice past its due date.</summary>
public enum InvoiceStatus
{
    /// <summary>Being built by billing runs; may still gain lines; has no number.</summary>
    Draft,

    /// <summary>Numbered and sent; never changes again except to be marked paid.</summary>
    Issued,

    /// <summary>Settled by the customer.</summary>
    Paid,
}

/// <summary>An invoice, or a credit note that corrects lines of issued invoices.</summary>
public enum InvoiceKind
{
    Invoice,
    CreditNote,
}

/// <summary>
/// A partner's invoice to one customer for one billing month (a calendar month, as Microsoft's), in the customer's currency.
/// </summary>
/// <remarks>
/// A draft gains lines from billing runs and keeps its totals as the sum of its lines. Issuing gives it the next number
/// of the issuing partner's sequence (gap-free: taken in the same transaction) and freezes it; after that only
/// <see cref="MarkPaid"/> changes it (CommerceDb refuses anything else). A correction is a credit note, never an edit.
/// </remarks>
public sealed class CustomerInvoice
{
    public CustomerInvoice(Guid id, Guid partnerId, Guid customerId, InvoiceKind kind, DateOnly month, string currency, TaxTreatment tax, DateTimeOffset createdAt, Guid? correctsInvoiceId = null)
    {
        Id = id;
        PartnerId = partnerId;
        CustomerId = customerId;
        Kind = kind;
        Month = month;
        Currency = currency;
        TaxPercent = tax.Percent;
        ReverseCharge = tax.ReverseCharge;
        CreatedAt = createdAt;
        CorrectsInvoiceId = correctsInvoiceId;
        Status = InvoiceStatus.Draft;
    }

    private CustomerInvoice()
    {
        Currency = "";
    }

    public Guid Id { get; private set; }

    /// <summary>The issuing partner: the one that owns the customer.</summary>
    public Guid PartnerId { get; private set; }

    public Guid CustomerId { get; private set; }

    public InvoiceKind Kind { get; private set; }

    /// <summary>The first day of the billing month.</summary>
    public DateOnly Month { get; private set; }

    public string Currency { get; private set; }

    public InvoiceStatus Status { get; private set; }

    /// <summary>The issuing partner's number for it, e.g. <c>INV-000042</c>; null while a draft.</summary>
    public string? Number { get; private set; }

    /// <summary>Its place in the issuing partner's sequence: 1, 2, 3… with no gaps; null while a draft.</summary>
    public long? SequenceNumber { get; private set; }

    public DateOnly? IssueDate { get; private set; }

    public DateOnly? DueDate { get; private set; }

    public DateTimeOffset? IssuedAt { get; private set; }

    public string? IssuedBy { get; private set; }

    public DateOnly? PaidOn { get; private set; }

    /// <summary>For a credit note: the invoice whose lines it corrects.</summary>
    public Guid? CorrectsInvoiceId { get; private set; }

    /// <summary>The tax rate of every line, in per cent; 0 under reverse charge.</summary>
    public decimal TaxPercent { get; private set; }

    public bool ReverseCharge { get; private set; }

    /// <summary>The sum of the lines' amounts.</summary>
    public decimal Net { get; private set; }

    /// <summary>The sum of the lines' tax.</summary>
    public decimal Tax { get; private set; }

    public decimal Total => Net + Tax;

    /// <summary>Also the concurrency token: two runs adding to one draft at once cannot lose each other's totals.</summary>
    public int LineCount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public TaxTreatment TaxTreatment => new(TaxPercent, ReverseCharge);

    /// <summary>Counts <paramref name="line"/> in the totals of this draft.</summary>
    public void Add(InvoiceLine line)
    {
        if (Status != InvoiceStatus.Draft)
        {
            throw new InvalidOperationException($"Invoice {Number} is {Status}: lines are added to drafts only.");
        }

        Net += line.Amount;
        Tax += line.Tax;
        LineCount++;
    }

    public void Issue(long sequenceNumber, DateOnly issueDate, DateOnly dueDate, DateTimeOffset at, string by)
    {
        Status = InvoiceStatus.Issued;
        SequenceNumber = sequenceNumber;
        Number = $"{(Kind == InvoiceKind.CreditNote ? "CRN" : "INV")}-{sequenceNumber:D6}";
        IssueDate = issueDate;
        DueDate = dueDate;
        IssuedAt = at;
        IssuedBy = by;
    }

    public void MarkPaid(DateOnly on)
    {
        Status = InvoiceStatus.Paid;
        PaidOn = on;
    }
}

/// <summary>What an invoice line bills.</summary>
public enum InvoiceLineKind
{
    /// <summary>One of Microsoft's licence charge lines (the charge engine's), at the customer's price.</summary>
    Licence,

    /// <summary>A month of an Azure plan subscription's usage, from the imported daily usage, at the customer's price.</summary>
    Usage,

    /// <summary>A one-off item the partner added by hand (a set-up fee, a service), at the price it entered.</summary>
    Item,
}

/// <summary>
/// One line of a customer invoice: one of Microsoft's charge lines at the customer's price, with Microsoft's side beside it so
/// it traces back; or, on a credit note, the reversal of an issued line.
/// </summary>
/// <remarks>
/// <see cref="ChargeKey"/> names the charge (Microsoft's subscription, charge type, reference id, charge dates and sign) and
/// is unique per issuing partner: a second billing run, or two at once, cannot bill a charge twice. A reversal's key is the
/// reversed line's with a <c>credit:</c> prefix. Lines are never edited or deleted.
/// </remarks>
public sealed class InvoiceLine
{
    public InvoiceLine(Guid id, CustomerInvoice invoice, string chargeKey, Guid? subscriptionId, InvoiceCharge charge, Guid? ruleId, Guid? distributorRuleId, InvoiceLineKind kind = InvoiceLineKind.Licence)
    {
        var c = charge.Charge;
        Id = id;
        Kind = kind;
        InvoiceId = invoice.Id;
        PartnerId = invoice.PartnerId;
        CustomerId = invoice.CustomerId;
        Month = invoice.Month;
        ChargeKey = chargeKey;
        SubscriptionId = subscriptionId;
        MicrosoftSubscriptionId = c.SubscriptionId;
        OrderDate = c.OrderDate;
        ChargeType = c.ChargeType;
        ProductId = c.ProductId;
        SkuId = c.SkuId;
        ProductName = c.ProductName;
        ChargeStartDate = c.ChargeStartDate;
        ChargeEndDate = c.ChargeEndDate;
        Quantity = c.Quantity;
        BillableQuantity = c.BillableQuantity;
        Currency = invoice.Currency;
        MicrosoftCurrency = c.Currency;
        ReferenceId = c.ReferenceId;
        MicrosoftUnitPrice = c.UnitPrice.Amount;
        MicrosoftEffectiveUnitPrice = c.EffectiveUnitPrice;
        MicrosoftSubtotal = c.Subtotal.Amount;
        MicrosoftCost = charge.MicrosoftCost.Amount;
        ExchangeRate = charge.Conversion?.Rate;
        ExchangeRateDate = charge.Conversion?.EffectiveFrom;
        ResellerUnitPrice = charge.ResellerUnitPrice?.Amount;
        ResellerCost = charge.ResellerCost?.Amount;
        UnitPrice = charge.UnitPrice.Amount;
        EffectiveUnitPrice = charge.EffectiveUnitPrice;
        Amount = charge.Amount.Amount;
        TaxPercent = charge.TaxPercent;
        Tax = charge.Tax.Amount;
        RuleId = ruleId;
        DistributorRuleId = distributorRuleId;
        Explanation = charge.Price.Tiers[^1].Explanation;
        DistributorExplanation = charge.Price.Tiers.Count > 1 ? charge.Price.Tiers[0].Explanation : null;
    }

    private InvoiceLine()
    {
        ChargeKey = MicrosoftSubscriptionId = ProductId = SkuId = ProductName = Currency = MicrosoftCurrency = ReferenceId = Explanation = "";
    }

    public Guid Id { get; private set; }

    public Guid InvoiceId { get; private set; }

    public Guid PartnerId { get; private set; }

    public Guid CustomerId { get; private set; }

    public DateOnly Month { get; private set; }

    public InvoiceLineKind Kind { get; private set; }

    public string ChargeKey { get; private set; }

    /// <summary>The platform's subscription, where the charge is one of its subscriptions'.</summary>
    public Guid? SubscriptionId { get; private set; }

    /// <summary>Microsoft's <c>SubscriptionId</c> on the charge line.</summary>
    public string MicrosoftSubscriptionId { get; private set; }

    public DateOnly OrderDate { get; private set; }

    public ChargeType ChargeType { get; private set; }

    public string ProductId { get; private set; }

    public string SkuId { get; private set; }

    public string ProductName { get; private set; }

    public DateOnly ChargeStartDate { get; private set; }

    public DateOnly ChargeEndDate { get; private set; }

    public int Quantity { get; private set; }

    public int BillableQuantity { get; private set; }

    /// <summary>The invoice's currency (the customer's): of every amount of the line but Microsoft's own.</summary>
    public string Currency { get; private set; }

    /// <summary>The currency of Microsoft's charge (<see cref="MicrosoftUnitPrice"/>, <see cref="MicrosoftSubtotal"/>).</summary>
    public string MicrosoftCurrency { get; private set; }

    /// <summary>Microsoft's <c>ReferenceId</c>: the refund and re-charge of one change share it.</summary>
    public string ReferenceId { get; private set; }

    public decimal MicrosoftUnitPrice { get; private set; }

    public decimal MicrosoftEffectiveUnitPrice { get; private set; }

    /// <summary>What Microsoft charges for the line: the shadow invoice's <c>Subtotal</c>.</summary>
    public decimal MicrosoftSubtotal { get; private set; }

    /// <summary>
    /// <see cref="MicrosoftSubtotal"/> in the invoice's currency: the same when Microsoft charged in it, else converted at
    /// <see cref="ExchangeRate"/> and rounded like the line. For a one-off item, what it costs the seller, as entered.
    /// </summary>
    public decimal MicrosoftCost { get; private set; }

    /// <summary>Units of the invoice's currency per unit of Microsoft's the charge was converted at; null when not converted.</summary>
    public decimal? ExchangeRate { get; private set; }

    /// <summary>The date of the rate used: the seller's latest on or before the charge's order date.</summary>
    public DateOnly? ExchangeRateDate { get; private set; }

    /// <summary>In a two-tier sale, the reseller's price per seat per cycle (the distributor's rule); null when sold directly.</summary>
    public decimal? ResellerUnitPrice { get; private set; }

    /// <summary>In a two-tier sale, what the line costs the reseller; null when sold directly.</summary>
    public decimal? ResellerCost { get; private set; }

    /// <summary>The customer's price per seat per charge cycle.</summary>
    public decimal UnitPrice { get; private set; }

    public decimal EffectiveUnitPrice { get; private set; }

    /// <summary>What the customer is charged for the line, before tax; negative for a refund or a reversal.</summary>
    public decimal Amount { get; private set; }

    public decimal TaxPercent { get; private set; }

    public decimal Tax { get; private set; }

    /// <summary>The rule of the issuing partner that priced the line; null when sold at cost.</summary>
    public Guid? RuleId { get; private set; }

    /// <summary>In a two-tier sale, the distributor's rule that set the reseller's cost.</summary>
    public Guid? DistributorRuleId { get; private set; }

    /// <summary>Why the customer's price is what it is, in words: the issuing partner's rule, cost and result.</summary>
    public string Explanation { get; private set; }

    /// <summary>In a two-tier sale, why the reseller's cost is what it is (the distributor's rule); never shown to the reseller.</summary>
    public string? DistributorExplanation { get; private set; }

    /// <summary>For a credit note's line: the issued line it reverses.</summary>
    public Guid? ReversesLineId { get; private set; }

    /// <summary>What the seller paid for the line: the reseller's cost in a two-tier sale, else Microsoft's.</summary>
    public decimal Cost => ResellerCost ?? MicrosoftCost;

    /// <summary>The product id of every one-off item: the margin report and the journal sum them as one product.</summary>
    public const string ItemProductId = "one-off";

    /// <summary>
    /// A one-off item on <paramref name="draft"/>: <paramref name="quantity"/> × <paramref name="unitPrice"/> in the invoice's
    /// currency (<paramref name="amount"/>, rounded), costing the seller <paramref name="cost"/>, taxed as the invoice is.
    /// Microsoft's columns say nothing Microsoft charged: its subtotal and prices are zero, its cost is the seller's.
    /// </summary>
    public static InvoiceLine Item(
        Guid id, CustomerInvoice draft, string description, DateOnly addedOn, int quantity, decimal unitPrice, decimal amount, decimal cost, decimal tax, string explanation) => new()
        {
            Id = id,
            Kind = InvoiceLineKind.Item,
            InvoiceId = draft.Id,
            PartnerId = draft.PartnerId,
            CustomerId = draft.CustomerId,
            Month = draft.Month,
            ChargeKey = $"item:{id}",
            MicrosoftSubscriptionId = "",
            OrderDate = addedOn,
            ChargeType = ChargeType.New,
            ProductId = ItemProductId,
            SkuId = "",
            ProductName = description,
            ChargeStartDate = draft.Month,
            ChargeEndDate = draft.Month.AddMonths(1).AddDays(-1),
            Quantity = quantity,
            BillableQuantity = quantity,
            Currency = draft.Currency,
            MicrosoftCurrency = draft.Currency,
            ReferenceId = "",
            UnitPrice = unitPrice,
            EffectiveUnitPrice = unitPrice,
            Amount = amount,
            TaxPercent = draft.TaxPercent,
            Tax = tax,
            MicrosoftCost = cost,
            Explanation = explanation,
        };

    /// <summary>A credit note's line that undoes this one, on <paramref name="creditNote"/>.</summary>
    public InvoiceLine Reversal(Guid id, CustomerInvoice creditNote) => new()
    {
        Id = id,
        Kind = Kind,
        InvoiceId = creditNote.Id,
        PartnerId = PartnerId,
        CustomerId = CustomerId,
        Month = Month,
        ChargeKey = $"credit:{Id}",
        SubscriptionId = SubscriptionId,
        MicrosoftSubscriptionId = MicrosoftSubscriptionId,
        OrderDate = OrderDate,
        ChargeType = ChargeType,
        ProductId = ProductId,
        SkuId = SkuId,
        ProductName = ProductName,
        ChargeStartDate = ChargeStartDate,
        ChargeEndDate = ChargeEndDate,
        Quantity = Quantity,
        BillableQuantity = BillableQuantity,
        Currency = Currency,
        MicrosoftCurrency = MicrosoftCurrency,
        ReferenceId = ReferenceId,
        MicrosoftUnitPrice = MicrosoftUnitPrice,
        MicrosoftEffectiveUnitPrice = -MicrosoftEffectiveUnitPrice,
        MicrosoftSubtotal = -MicrosoftSubtotal,
        MicrosoftCost = -MicrosoftCost,
        ExchangeRate = ExchangeRate,
        ExchangeRateDate = ExchangeRateDate,
        ResellerUnitPrice = ResellerUnitPrice,
        ResellerCost = -ResellerCost,
        UnitPrice = UnitPrice,
        EffectiveUnitPrice = -EffectiveUnitPrice,
        Amount = -Amount,
        TaxPercent = TaxPercent,
        Tax = -Tax,
        RuleId = RuleId,
        DistributorRuleId = DistributorRuleId,
        Explanation = $"Reverses line {Id}.",
        DistributorExplanation = DistributorExplanation is null ? null : $"Reverses line {Id}.",
        ReversesLineId = Id,
    };
}

/// <summary>The last number a partner gave an invoice or credit note; the next is one more (see <see cref="CustomerInvoice.Issue"/>).</summary>
public sealed class InvoiceSequence(Guid partnerId, long lastNumber)
{
    public Guid PartnerId { get; private set; } = partnerId;

    /// <summary>Also the concurrency token: two issues at once cannot both take the same number.</summary>
    public long LastNumber { get; private set; } = lastNumber;

    public long Next() => ++LastNumber;
}

/// <summary>One billing run of a partner for a month: what it found and what it added.</summary>
public sealed class BillingRun(Guid id, Guid partnerId, DateOnly month, DateTimeOffset startedAt, string startedBy, int customers, int linesAdded, int invoicesCreated, int unpriced, int parked)
{
    public Guid Id { get; private set; } = id;

    public Guid PartnerId { get; private set; } = partnerId;

    public DateOnly Month { get; private set; } = month;

    public DateTimeOffset StartedAt { get; private set; } = startedAt;

    public string StartedBy { get; private set; } = startedBy;

    /// <summary>Customers with charges in the month.</summary>
    public int Customers { get; private set; } = customers;

    /// <summary>Lines this run added: 0 when everything was already billed.</summary>
    public int LinesAdded { get; private set; } = linesAdded;

    public int InvoicesCreated { get; private set; } = invoicesCreated;

    /// <summary>Charges no rule could price (named in the run's answer); left out until their rule is fixed.</summary>
    public int Unpriced { get; private set; } = unpriced;

    /// <summary>Subscriptions whose history the charge engine refused, so nothing was billed for them.</summary>
    public int Parked { get; private set; } = parked;
}

/// <summary>
/// A customer's billing month as a billing run left it: every licence charge billed (<see cref="Lines"/> of them), none
/// unpriced or parked, and <see cref="Fingerprint"/>, what the charges were made from — the customer's subscriptions, their
/// revisions and events, the charge engine's rules. A later run of the month skips the customer while its fingerprint is
/// the same: nothing the charges are made from has changed, so there is nothing to add.
/// </summary>
public sealed class BilledCustomerMonth(Guid partnerId, DateOnly month, Guid customerId, string fingerprint, int lines, DateTimeOffset billedAt)
{
    public Guid PartnerId { get; private set; } = partnerId;

    /// <summary>The first day of the billing month.</summary>
    public DateOnly Month { get; private set; } = month;

    public Guid CustomerId { get; private set; } = customerId;

    public string Fingerprint { get; private set; } = fingerprint;

    /// <summary>The licence charges of the customer's month, every one billed when the run marked it.</summary>
    public int Lines { get; private set; } = lines;

    public DateTimeOffset BilledAt { get; private set; } = billedAt;
}
