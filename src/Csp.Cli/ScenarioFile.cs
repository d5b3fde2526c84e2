using System.Globalization;
using System.Text.Json;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;

namespace Csp.Cli;

/// <summary>
/// Reads the charge scenario format that <c>csp charges preview</c> takes (README, "Charge scenarios"): a currency, the last
/// day to charge, subscriptions as bought and what happened to them. Every refusal names the JSON path at fault.
/// </summary>
public static class ScenarioFile
{
    public const string InvalidCode = "scenario.invalid";

    private static readonly string[] SubscriptionFields =
        ["id", "productId", "skuId", "productName", "unitPrice", "term", "billing", "start", "quantity", "trial", "endOfTerm", "monthlyTermUnitPrice", "promotionId", "promotionDiscount", "customTermEndDate"];

    /// <summary>An upgrade's new target: coterminous with its source or starting its own term, so it takes no custom end date.</summary>
    private static readonly string[] TargetFields = [.. SubscriptionFields.Where(f => f != "customTermEndDate")];

    private static readonly Dictionary<string, string[]> EventFields = new()
    {
        ["changeQuantity"] = ["quantity"],
        ["cancel"] = [],
        ["upgrade"] = ["quantity", "target"],
        ["convertTrial"] = ["unitPrice", "term", "billing"],
        ["changeBillingPlan"] = ["billing", "unitPrice"],
        ["setEndOfTerm"] = ["endOfTerm"],
        ["suspend"] = [],
        ["reactivate"] = [],
    };

    public static Result<ChargeHistory> Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Scenario(new Node(document.RootElement, "$"));
        }
        catch (JsonException e)
        {
            return new Error(InvalidCode, $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}", ErrorKind.Invalid, e.Path ?? "$");
        }
        catch (ScenarioException e)
        {
            return new Error(InvalidCode, $"{e.Path}: {e.Message}", ErrorKind.Invalid, e.Path);
        }
    }

    private static ChargeHistory Scenario(Node root)
    {
        root.Only("currency", "through", "subscriptions", "events");
        var currency = Currency.FromCode(root.String("currency"));
        if (!currency.IsSuccess)
        {
            throw new ScenarioException(root.Path + ".currency", currency.Error.Message);
        }

        var bought = root.Array("subscriptions").Select(s => Subscription(s, currency.Value)).ToList();
        if (bought.Count == 0)
        {
            throw new ScenarioException(root.Path + ".subscriptions", "at least one subscription is needed.");
        }

        var duplicate = bought.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ScenarioException(root.Path + ".subscriptions", $"the id '{duplicate.Key}' is used twice.");
        }

        var events = root.OptionalArray("events").Select(e => Event(e, currency.Value, bought)).ToList();
        return new ChargeHistory(currency.Value, root.Date("through"), bought, events);
    }

    private static PurchasedSubscription Subscription(Node node, Currency currency)
    {
        node.Only(SubscriptionFields);
        var term = node.Term("term");
        return new PurchasedSubscription(
            node.String("id"),
            node.String("productId"),
            node.String("skuId"),
            node.String("productName"),
            node.Money("unitPrice", currency),
            term,
            node.Plan("billing", term),
            node.Date("start"),
            node.Quantity("quantity"),
            node.OptionalBool("trial") ?? false,
            node.OptionalEndOfTerm("endOfTerm") ?? EndOfTerm.Renew,
            node.OptionalMoney("monthlyTermUnitPrice", currency),
            node.OptionalString("promotionId"),
            node.Has("customTermEndDate") ? node.Date("customTermEndDate") : null,
            node.OptionalDiscount("promotionDiscount"));
    }

    private static SubscriptionChange Event(Node node, Currency currency, List<PurchasedSubscription> bought)
    {
        var type = node.String("type");
        if (!EventFields.TryGetValue(type, out var fields))
        {
            throw new ScenarioException(node.Path + ".type", $"'{type}' is not an event type; use {string.Join(", ", EventFields.Keys)}.");
        }

        node.Only(["date", "subscription", "type", .. fields]);
        var (date, id) = (node.Date("date"), node.String("subscription"));
        var source = bought.FirstOrDefault(s => s.Id == id);
        return type switch
        {
            "changeQuantity" => new ChangeQuantity(date, id, node.Quantity("quantity")),
            "cancel" => new Cancel(date, id),
            "upgrade" => Upgrade(node, date, id, source, currency, bought),
            "convertTrial" => ConvertTrial(node, date, id, currency),
            "changeBillingPlan" => new ChangeBillingPlan(date, id, node.PlanName("billing", source?.Term ?? Term.P3Y), node.Money("unitPrice", currency)),
            "setEndOfTerm" => new SetEndOfTerm(date, id, node.OptionalEndOfTerm("endOfTerm") ?? throw node.Missing("endOfTerm")),
            "suspend" => new Suspend(date, id),
            _ => new Reactivate(date, id),
        };
    }

    private static ConvertTrial ConvertTrial(Node node, DateOnly date, string id, Currency currency)
    {
        var term = node.Has("term") ? node.Term("term") : Term.P1Y;
        return new ConvertTrial(date, id, node.Money("unitPrice", currency), term, node.Has("billing") ? node.Plan("billing", term) : BillingPlan.Monthly);
    }

    /// <summary>The target takes the subscription fields; term, billing and start default to the source's; an id already bought means an existing target.</summary>
    private static Upgrade Upgrade(Node node, DateOnly date, string id, PurchasedSubscription? source, Currency currency, List<PurchasedSubscription> bought)
    {
        var quantity = node.Quantity("quantity");
        var target = node.Object("target");
        target.Only(TargetFields);
        var targetId = target.String("id");
        if (bought.FirstOrDefault(s => s.Id == targetId) is { } existing)
        {
            return new Upgrade(date, id, quantity, existing, TargetExists: true);
        }

        var term = target.Has("term") ? target.Term("term") : source?.Term ?? Term.P1Y;
        return new Upgrade(
            date,
            id,
            quantity,
            new PurchasedSubscription(
                targetId,
                target.OptionalString("productId") ?? "",
                target.OptionalString("skuId") ?? "",
                target.String("productName"),
                target.Money("unitPrice", currency),
                term,
                target.Has("billing") ? target.Plan("billing", term) : source?.BillingPlan ?? BillingPlan.Monthly,
                target.Has("start") ? target.Date("start") : date,
                quantity,
                EndOfTerm: target.OptionalEndOfTerm("endOfTerm") ?? EndOfTerm.Renew,
                MonthlyTermUnitPrice: target.OptionalMoney("monthlyTermUnitPrice", currency),
                PromotionId: target.OptionalString("promotionId"),
                PromotionDiscount: target.OptionalDiscount("promotionDiscount")),
            TargetExists: false);
    }

    private sealed class ScenarioException(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }

    /// <summary>A JSON value and the path to it, for messages such as <c>$.events[2].quantity: expected a whole number</c>.</summary>
    private readonly record struct Node(JsonElement Element, string Path)
    {
        public bool Has(string name) => Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

        public ScenarioException Missing(string name) => new($"{Path}.{name}", "is required.");

        public void Only(params string[] names)
        {
            if (Element.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioException(Path, $"expected an object, found {Element.ValueKind.ToString().ToLowerInvariant()}.");
            }

            foreach (var property in Element.EnumerateObject())
            {
                if (!names.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new ScenarioException($"{Path}.{property.Name}", $"is not a known field here; expected {string.Join(", ", names)}.");
                }
            }
        }

        public Node Object(string name) => Has(name) ? new Node(Element.GetProperty(name), $"{Path}.{name}") : throw Missing(name);

        public List<Node> Array(string name) => Has(name) ? Items(name) : throw Missing(name);

        public List<Node> OptionalArray(string name) => Has(name) ? Items(name) : [];

        public string String(string name) => OptionalString(name) ?? throw Missing(name);

        public string? OptionalString(string name) => Value(name, JsonValueKind.String, "a string")?.GetString();

        public bool? OptionalBool(string name) =>
            Has(name) ? Element.GetProperty(name).ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new ScenarioException($"{Path}.{name}", "expected true or false."),
            } : null;

        public int Quantity(string name) =>
            Value(name, JsonValueKind.Number, "a whole number") is { } value && value.TryGetInt32(out var quantity) && quantity >= 0
                ? quantity
                : throw (Has(name) ? new ScenarioException($"{Path}.{name}", "expected a whole number of seats.") : Missing(name));

        public Money Money(string name, Currency currency) => OptionalMoney(name, currency) ?? throw Missing(name);

        public Money? OptionalMoney(string name, Currency currency)
        {
            if (Value(name, JsonValueKind.Number, "a number") is not { } value)
            {
                return null;
            }

            return value.TryGetDecimal(out var amount) && amount >= 0
                ? new Money(amount, currency)
                : throw new ScenarioException($"{Path}.{name}", "expected a price of zero or more.");
        }

        /// <summary>A promotion's discount as Microsoft's <c>PercentDiscount</c> gives it: the share taken off, above 0 and below 1.</summary>
        public decimal? OptionalDiscount(string name)
        {
            if (Value(name, JsonValueKind.Number, "a number") is not { } value)
            {
                return null;
            }

            return value.TryGetDecimal(out var share) && share > 0 && share < 1
                ? share
                : throw new ScenarioException($"{Path}.{name}", $"expected the share of the unit price the promotion takes off, above 0 and below 1 (0.25 for 25%), not {value.GetRawText()}.");
        }

        public DateOnly Date(string name)
        {
            var text = String(name);
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new ScenarioException($"{Path}.{name}", $"'{text}' is not a date in the form yyyy-MM-dd.");
        }

        public Term Term(string name)
        {
            var term = TermExtensions.ParseTerm(String(name));
            return term.IsSuccess ? term.Value : throw new ScenarioException($"{Path}.{name}", term.Error.Message);
        }

        public BillingPlan Plan(string name, Term term)
        {
            var plan = TermExtensions.ParseBillingPlan(String(name), term);
            return plan.IsSuccess ? plan.Value : throw new ScenarioException($"{Path}.{name}", plan.Error.Message);
        }

        /// <summary>A billing plan by name only: whether the subscription's term allows it is the engine's rule to refuse.</summary>
        public BillingPlan PlanName(string name, Term term)
        {
            var text = String(name);
            var plan = TermExtensions.ParseBillingPlan(text, text.Equals("upfront", StringComparison.OrdinalIgnoreCase) ? term : Csp.Domain.Terms.Term.P3Y);
            return plan.IsSuccess ? plan.Value : throw new ScenarioException($"{Path}.{name}", plan.Error.Message);
        }

        public EndOfTerm? OptionalEndOfTerm(string name) => OptionalString(name) switch
        {
            null => null,
            "renew" => EndOfTerm.Renew,
            "cancel" => EndOfTerm.Cancel,
            "est" => EndOfTerm.Est,
            var other => throw new ScenarioException($"{Path}.{name}", $"'{other}' is not an end-of-term choice; use renew, cancel or est."),
        };

        private JsonElement? Value(string name, JsonValueKind kind, string expected)
        {
            if (!Has(name))
            {
                return null;
            }

            var value = Element.GetProperty(name);
            return value.ValueKind == kind ? value : throw new ScenarioException($"{Path}.{name}", $"expected {expected}, found {value.ValueKind.ToString().ToLowerInvariant()}.");
        }

        private List<Node> Items(string name)
        {
            var array = Element.GetProperty(name);
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw new ScenarioException($"{Path}.{name}", "expected an array.");
            }

            var path = $"{Path}.{name}";
            return array.EnumerateArray().Select((item, index) => new Node(item, $"{path}[{index}]")).ToList();
        }
    }
}
