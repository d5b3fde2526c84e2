using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator;
using Microsoft.EntityFrameworkCore;
using static Csp.PartnerCenter.Simulator.SimulatorCatalog;

namespace Csp.Web.Demo;

/// <summary>
/// The evaluation data a fresh host starts with: one distributor, three resellers, 60 customers in ten
/// markets and 400 subscriptions whose terms end throughout the coming year, so that the next 90 days hold
/// renewals, cancellations, explicit EST and EST drift. Deterministic for a given "today".
/// </summary>
public static class DemoData
{
    public const int CustomerCount = 60;
    public const int SubscriptionCount = 400;

    private static readonly string[] CompanyNames =
    [
        "Alpine Ski House", "Bellows College", "Best For You Organics", "Blue Yonder Airlines", "City Power & Light",
        "Coho Vineyard", "Consolidated Messenger", "Datum Corporation", "First Up Consultants", "Fourth Coffee",
        "Graphic Design Institute", "Humongous Insurance", "Lamna Healthcare", "Litware", "Lucerne Publishing",
        "Margie's Travel", "Munson's Pickles and Preserves", "Nod Publishers", "Northwind Traders", "Proseware",
        "Relecloud", "School of Fine Art", "Southridge Video", "Tailspin Toys", "Trey Research", "VanArsdel",
        "Wide World Importers", "Wingtip Toys", "Woodgrove Bank", "The Phone Company", "Adventure Works Cycles",
        "Liberty's Delightful Bakery", "Baldwin Museum of Science", "Coho Winery", "Fabrikam Residences",
    ];

    private static readonly Dictionary<string, string> LegalSuffix = new()
    {
        ["US"] = "Inc.",
        ["CA"] = "Inc.",
        ["GB"] = "Ltd",
        ["IE"] = "Ltd",
        ["DE"] = "GmbH",
        ["FR"] = "SAS",
        ["NL"] = "B.V.",
        ["DK"] = "ApS",
        ["AU"] = "Pty Ltd",
        ["JP"] = "K.K.",
    };

    /// <summary>Seeds the demo unless the database already holds a partner.</summary>
    /// <summary>The id of the order that bought a demo subscription: the same in the platform and in the demo's simulator.</summary>
    public static string OrderIdOf(Guid microsoftSubscriptionId) => $"demo-{microsoftSubscriptionId:N}"[..17];

    /// <returns>Whether it seeded: false when the database already held a partner.</returns>
    public static async Task<bool> SeedAsync(CommerceDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Seeding runs before any caller exists and must see every partner to know the database is empty.
        if (await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(cancellationToken))
        {
            return false;
        }

        db.AddRange(Build(time));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Every row of the demo, built in memory.</summary>
    public static IEnumerable<object> Build(TimeProvider time)
    {
        var random = new Random(2026);
        Guid NewId()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        var now = time.GetUtcNow();
        var today = BillingClock.PartnerDay(now, "Europe/Dublin");
        var founded = BillingClock.StartOfDay(today.AddYears(-4));

        var distributor = new Partner(NewId(), "Northwind Cloud Distribution", PartnerKind.Distributor, null, "IE", "EUR", "Europe/Dublin", founded);
        distributor.IdentifyInPartnerCenter("5120745");
        var resellers = new[]
        {
            (Partner: new Partner(NewId(), "Contoso IT Services", PartnerKind.Reseller, distributor.Id, "GB", "GBP", "Europe/London", founded), Markets: new[] { "GB", "GB", "IE", "NL" }, Mail: "contoso-it.example"),
            (Partner: new Partner(NewId(), "Fabrikam Managed Services", PartnerKind.Reseller, distributor.Id, "US", "USD", "America/New_York", founded), Markets: new[] { "US", "US", "CA", "AU" }, Mail: "fabrikam-ms.example"),
            (Partner: new Partner(NewId(), "Adatum Systems", PartnerKind.Reseller, distributor.Id, "DE", "EUR", "Europe/Berlin", founded), Markets: new[] { "DE", "FR", "DK", "JP" }, Mail: "adatum.example"),
        };

        foreach (var entity in DemoCatalog.Entities())
        {
            yield return entity;
        }

        foreach (var price in DemoCatalog.Prices(NewId))
        {
            yield return price;
        }

        yield return distributor;
        var customers = new List<(Customer Customer, string Mail)>();
        for (var r = 0; r < resellers.Length; r++)
        {
            var (reseller, markets, mail) = resellers[r];
            yield return reseller;
            for (var i = 0; i < CustomerCount / resellers.Length; i++)
            {
                var market = markets[i % markets.Length];
                var name = $"{CompanyNames[(i + (r * 11)) % CompanyNames.Length]} {LegalSuffix[market]}";
                var slug = new string(name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
                var currency = Markets.Single(m => m.Market == market).Currency;
                var customer = new Customer(NewId(), reseller.Id, NewId(), name, $"{slug}.onmicrosoft.com", market, currency, founded.AddDays(random.Next(0, 200)));
                customers.Add((customer, mail));
                yield return customer;
            }
        }

        var licensed = Offers.Where(o => !o.IsUsage).ToArray();
        var azure = Offers.Single(o => o.IsUsage);
        var everyTermAndPlan = licensed.Where(o => o.ThreeYear && o.MonthlyTerm).SelectMany(o => o.Terms().Select(t => (Offer: o, Offered: t))).ToArray();
        var azureCustomers = new HashSet<Guid>();

        for (var n = 0; n < SubscriptionCount; n++)
        {
            var (customer, mail) = n < customers.Count ? customers[n] : customers[random.Next(customers.Count)];
            var actor = $"{new[] { "ops", "licensing", "sales", "support" }[random.Next(4)]}@{mail}";
            if (n % 9 == 4 && azureCustomers.Add(customer.Id))
            {
                foreach (var row in AzurePlan(customer, azure, actor))
                {
                    yield return row;
                }

                continue;
            }

            var (offer, offered) = n < everyTermAndPlan.Length ? everyTermAndPlan[n] : PickOffer(licensed);
            foreach (var row in License(customer, offer, offered, actor))
            {
                yield return row;
            }
        }

        (Offer, (Term Term, BillingPlan BillingPlan)) PickOffer(Offer[] offers)
        {
            var offer = offers[random.Next(offers.Length)];
            var terms = offer.Terms().ToArray();
            var roll = random.NextDouble();
            var term = roll < 0.3 && offer.MonthlyTerm ? Term.P1M : roll > 0.88 && offer.ThreeYear ? Term.P3Y : Term.P1Y;
            var plans = terms.Where(t => t.Term == term).ToArray();
            var monthlyFirst = random.NextDouble() < 0.6;
            return (offer, monthlyFirst ? plans[0] : plans[random.Next(plans.Length)]);
        }

        IEnumerable<object> AzurePlan(Customer customer, Offer offer, string actor)
        {
            var start = today.AddDays(-random.Next(30, 1000));
            var startedAt = At(start, 9 + random.Next(8));
            var (id, microsoftId) = (NewId(), NewId());
            var subscription = new Subscription(
                id, customer.PartnerId, customer.Id, microsoftId, offer.ProductId, offer.SkuId, offer.AvailabilityId, offer.Title,
                null, BillingPlan.Monthly, 1, start, start, null, startedAt, SubscriptionStatus.Active, null, true, 0m, customer.Currency, null, false, OrderIdOf(microsoftId));
            yield return subscription;
            yield return SubscriptionEvent.Purchased(subscription, new Recorded(startedAt, actor, NewId()), "purchased Azure plan", 1);
        }

        IEnumerable<object> License(Customer customer, Offer offer, (Term Term, BillingPlan BillingPlan) offered, string actor)
        {
            var (term, plan) = (offered.Term, offered.BillingPlan);
            var start = today.AddDays(-random.Next(0, term == Term.P3Y ? 1000 : 1095));
            var schedules = new List<TermSchedule> { NceCalendar.Schedule(start, term, plan).Value };
            while (schedules[^1].RenewalDate <= today)
            {
                schedules.Add(schedules[^1].Next());
            }

            var roll = random.NextDouble();
            var status = roll switch
            {
                < 0.04 => SubscriptionStatus.Deleted,
                < 0.08 when schedules.Count > 1 => SubscriptionStatus.Expired,
                < 0.11 => SubscriptionStatus.Suspended,
                _ => SubscriptionStatus.Active,
            };
            if (status == SubscriptionStatus.Expired)
            {
                schedules.RemoveAt(schedules.Count - 1);
            }

            var current = schedules[^1];
            var quantity = random.NextDouble() < 0.7 ? random.Next(1, 40) : random.Next(40, 300);
            var added = random.NextDouble() < 0.25 && status == SubscriptionStatus.Active ? Math.Min(quantity - 1, random.Next(1, 10)) : 0;
            var decision = random.NextDouble();
            var (endOfTerm, autoRenew) = status switch
            {
                SubscriptionStatus.Expired => (EndOfTerm.Cancel, false),
                SubscriptionStatus.Deleted => ((EndOfTerm?)null, false),
                _ => decision switch
                {
                    < 0.12 => (EndOfTerm.Cancel, false),
                    < 0.18 => (EndOfTerm.Est, false),
                    < 0.27 => ((EndOfTerm?)null, false),
                    < 0.50 => ((EndOfTerm?)null, true),
                    _ => (EndOfTerm.Renew, true),
                },
            };
            // Some first terms were bought with one of the simulator's promotions for their SKU, term and plan; it holds for that term only.
            var offeredPromotion = SimulatorCatalog.Promotions.FirstOrDefault(p => p.ProductId == offer.ProductId && p.SkuId == offer.SkuId && p.Term == term && p.Plan == plan && p.From <= start && start <= p.To);
            var promotion = schedules.Count == 1 && offeredPromotion is not null && random.NextDouble() < 0.5 ? offeredPromotion : null;
            var unitPrice = SimulatorCatalog.UnitPrice(offer, customer.Country, term, plan, current.SubscriptionStartDate);

            var purchasedAt = At(start, 8 + random.Next(10));
            var termStartedAt = schedules.Count == 1 ? purchasedAt : At(current.SubscriptionStartDate, random.Next(0, 6));
            var (id, microsoftId) = (NewId(), NewId());
            var subscription = new Subscription(
                id, customer.PartnerId, customer.Id, microsoftId, offer.ProductId, offer.SkuId, offer.AvailabilityId, offer.Title,
                term, plan, quantity, start, current.SubscriptionStartDate, current.SubscriptionEndDate, termStartedAt,
                status, endOfTerm, autoRenew, unitPrice, customer.Currency, promotion?.Id, false, OrderIdOf(microsoftId));
            subscription.DiscountPromotion(promotion?.PercentDiscount);
            yield return subscription;

            Recorded By(DateTimeOffset at) => new(at, actor, NewId());
            Recorded ByPartnerCenter(DateTimeOffset at) => new(at, "Partner Center");

            var initial = quantity - added;
            yield return SubscriptionEvent.Purchased(subscription, By(purchasedAt), $"purchased {initial} × {offer.Title}, {term} billed {plan.ToMicrosoft()}", initial, subscription.Terms);
            foreach (var renewal in schedules.Skip(1))
            {
                var renewedAt = renewal == current ? termStartedAt : At(renewal.SubscriptionStartDate, random.Next(0, 6));
                yield return SubscriptionEvent.Renewed(subscription, ByPartnerCenter(renewedAt), $"renewed to {renewal.SubscriptionEndDate:yyyy-MM-dd}", initial, initial);
            }

            // Changes fall inside the current term; a suspension or cancellation inside its first days, within the window.
            var daysIn = Math.Min(Math.Max(0, today.DayNumber - current.SubscriptionStartDate.DayNumber), current.Period.Days - 2);
            if (added > 0)
            {
                yield return SubscriptionEvent.QuantityChanged(subscription, By(Earlier(termStartedAt, daysIn)), $"quantity {initial} → {quantity}", initial, quantity);
            }

            if (endOfTerm is { } choice && status is SubscriptionStatus.Active or SubscriptionStatus.Suspended or SubscriptionStatus.Expired)
            {
                yield return SubscriptionEvent.EndOfTermChanged(subscription, By(Earlier(termStartedAt, daysIn)), $"end of term: {choice.ToString().ToLowerInvariant()}", choice);
            }
            else if (!autoRenew && status is SubscriptionStatus.Active or SubscriptionStatus.Suspended)
            {
                yield return SubscriptionEvent.EndOfTermChanged(subscription, ByPartnerCenter(Earlier(termStartedAt, daysIn)), "autoRenewEnabled false, no Cancel scheduled (made in Partner Center)", null);
            }

            // The instant is drawn only for the subscriptions that need one, so that the demo's other draws stay as they were.
            DateTimeOffset Early() => Earlier(termStartedAt, Math.Min(daysIn, 4));
            var ended = status switch
            {
                SubscriptionStatus.Suspended => SubscriptionEvent.StatusChanged(subscription, By(Early()), "status active → suspended", status),
                SubscriptionStatus.Deleted => SubscriptionEvent.StatusChanged(subscription, By(Early()), "status active → deleted (cancelled)", status),
                SubscriptionStatus.Expired => SubscriptionEvent.Expired(subscription, By(At(current.RenewalDate, 1)), $"expired on {current.SubscriptionEndDate:yyyy-MM-dd}"),
                _ => null,
            };
            if (ended is not null)
            {
                yield return ended;
            }
        }

        DateTimeOffset At(DateOnly date, int hour)
        {
            var at = new DateTimeOffset(date.ToDateTime(new TimeOnly(hour, random.Next(60))), TimeSpan.Zero);
            return at < now ? at : now.AddMinutes(-random.Next(5, 120));
        }

        DateTimeOffset Earlier(DateTimeOffset termStartedAt, int daysIn)
        {
            var at = termStartedAt.AddDays(random.Next(0, daysIn + 1)).AddHours(random.Next(1, 8));
            return at < now ? at : now.AddMinutes(-random.Next(5, 120));
        }
    }
}
