using System.Globalization;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;

namespace Csp.Web.Features.Subscriptions;

/// <summary>
/// The values an action's form posts on the subscription page, read as text and checked here, so that whatever a browser
/// sends is answered with what is wrong with it — never an exception.
/// </summary>
public sealed class SubscriptionActionForm
{
    private const int MaxReason = 500;

    private static readonly Kind[] Kinds =
    [
        new("seats", f => $"seats → {f.Quantity}", false,
            (services, id, form, caller, preview, ct) => ChangeSeats.RunAsync(services, id, new ChangeSeatsRequest(int.Parse(form.Quantity!, NumberStyles.None, CultureInfo.InvariantCulture)), caller, preview, ct)),
        new("billing-plan", f => $"bill {f.BillingPlan}", false,
            (services, id, form, caller, preview, ct) => ChangeBillingFrequency.RunAsync(services, id, new ChangeBillingFrequencyRequest(form.BillingPlan!), caller, preview, ct)),
        new("end-of-term", f => $"at the end of the term: {f.Choice}", false,
            (services, id, form, caller, preview, ct) => SetEndOfTerm.RunAsync(services, id, new SetEndOfTermRequest(Enum.Parse<EndOfTerm>(form.Choice!)), caller, preview, ct)),
        new("upgrade", f => $"upgrade {(string.IsNullOrEmpty(f.Quantity) ? "every seat" : $"{f.Quantity} seats")} to {f.ToTitle ?? f.ToCatalogItemId}", true,
            (services, id, form, caller, preview, ct) => UpgradeSubscription.RunAsync(
                services, id, new UpgradeRequest(form.ToCatalogItemId!, string.IsNullOrEmpty(form.Quantity) ? null : int.Parse(form.Quantity, NumberStyles.None, CultureInfo.InvariantCulture)), caller, preview, ct)),
        new("suspend", _ => "suspend", false,
            (services, id, form, caller, preview, ct) => SuspendSubscription.RunAsync(services, id, new ReasonRequest(form.Reason), caller, preview, ct)),
        new("reactivate", _ => "reactivate", false,
            (services, id, form, caller, preview, ct) => ReactivateSubscription.RunAsync(services, id, new ReasonRequest(form.Reason), caller, preview, ct)),
        new("cancel", _ => "cancel now", true,
            (services, id, form, caller, preview, ct) => CancelSubscription.RunAsync(services, id, new ReasonRequest(form.Reason), caller, preview, ct)),
    ];

    public string? Action { get; set; }

    /// <summary><c>preview</c>, or <c>confirm</c> with the <see cref="Key"/> the preview gave.</summary>
    public string? Step { get; set; }

    public string? Key { get; set; }

    public string? Quantity { get; set; }

    public string? BillingPlan { get; set; }

    public string? Choice { get; set; }

    public string? Reason { get; set; }

    /// <summary>The product to upgrade to (<c>productId:skuId:availabilityId</c>); the seats are <see cref="Quantity"/>, every one when empty.</summary>
    public string? ToCatalogItemId { get; set; }

    /// <summary>The upgrade target's title, when the page knows it: only for the title of the change.</summary>
    public string? ToTitle { get; set; }

    /// <summary>One of the page's actions: its form's name, how a change of it is titled, whether it can be undone, and its use case.</summary>
    /// <param name="Irreversible">Its confirm button says so by its colour.</param>
    public sealed record Kind(
        string Name, Func<SubscriptionActionForm, string> Title, bool Irreversible,
        Func<LifecycleServices, Guid, SubscriptionActionForm, ActionCaller, bool, CancellationToken, Task<ActionResult<ActionOutcome>>> RunAsync);

    /// <summary>The action the form names with its values checked; a form that is not one is the error naming the field.</summary>
    public Result<Kind> Parse()
    {
        if (Kinds.FirstOrDefault(k => k.Name == Action) is not { } kind)
        {
            return Error.InvalidParameter("Action", $"Action must be one of {string.Join(", ", Kinds.Select(k => k.Name))}.");
        }

        if (Step is not ("preview" or "confirm"))
        {
            return Error.InvalidParameter("Step", "Step must be preview or confirm.");
        }

        if (Reason?.Length > MaxReason)
        {
            return Error.InvalidParameter("Reason", $"The reason is at most {MaxReason} characters.");
        }

        return kind.Name switch
        {
            "seats" when !int.TryParse(Quantity, NumberStyles.None, CultureInfo.InvariantCulture, out _) =>
                Error.InvalidParameter("Quantity", $"Seats wanted must be a whole number, not “{Quantity}”."),
            "upgrade" when CatalogItem.TryParse(ToCatalogItemId) is null => Error.InvalidParameter("ToCatalogItemId", "Choose the product to upgrade to."),
            "upgrade" when !string.IsNullOrEmpty(Quantity) && !int.TryParse(Quantity, NumberStyles.None, CultureInfo.InvariantCulture, out _) =>
                Error.InvalidParameter("Quantity", $"Seats to upgrade must be a whole number, or empty for every seat, not “{Quantity}”."),
            "billing-plan" when BillingPlan is not ("monthly" or "annual") => Error.InvalidParameter("BillingPlan", "The billing plan must be monthly or annual."),
            "end-of-term" when !Enum.GetNames<EndOfTerm>().Contains(Choice) => Error.InvalidParameter("Choice", $"The end-of-term choice must be one of {string.Join(", ", Enum.GetNames<EndOfTerm>())}."),
            _ => kind,
        };
    }

    /// <summary>Every value the action reads, in one line: what a confirmation's key is held to.</summary>
    public string Canonical() => $"quantity={Quantity}|plan={BillingPlan}|choice={Choice}|reason={Reason}|to={ToCatalogItemId}";
}
