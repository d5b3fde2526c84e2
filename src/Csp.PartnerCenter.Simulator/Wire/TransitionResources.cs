namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// One target of <c>GET …/transitionEligibilities</c> as Microsoft's new commerce sample writes it ("Transition a new
/// commerce subscription"): each kind of transition and whether it is eligible, and the customer's subscriptions of the
/// target that seats may move onto.
/// </summary>
public sealed record TransitionEligibilityResource(
    string OperationId,
    string CatalogItemId,
    string Title,
    string Description,
    int Quantity,
    IReadOnlyList<TargetSubscriptionEligibilityResource> SubscriptionEligibilities,
    IReadOnlyList<TransitionEligibilityDetailResource> Eligibilities,
    AttributesResource Attributes);

public sealed record TransitionEligibilityDetailResource(bool IsEligible, string TransitionType, IReadOnlyList<EligibilityErrorResource> Errors);

public sealed record TargetSubscriptionEligibilityResource(
    bool IsEligible, string SubscriptionId, string SubscriptionFriendlyName, string SubscriptionTermDuration, string SubscriptionBillingCycle, IReadOnlyList<EligibilityErrorResource> Errors);

/// <summary>Why a transition or a target subscription is not eligible: Microsoft's number and words.</summary>
public sealed record EligibilityErrorResource(int Code, string Description);

public sealed record TransitionEligibilityPage(int TotalCount, IReadOnlyList<TransitionEligibilityResource> Items, AttributesResource Attributes);

/// <summary>A transition as <c>POST …/transitions</c> answers it and <c>GET …/transitions</c> lists it.</summary>
public sealed record TransitionResource(
    string OperationId,
    string FromCatalogItemId,
    string FromSubscriptionId,
    string ToCatalogItemId,
    string ToSubscriptionId,
    int Quantity,
    string TermDuration,
    string BillingCycle,
    string TransitionType,
    string Status,
    IReadOnlyList<TransitionEventResource> Events,
    AttributesResource Attributes);

public sealed record TransitionEventResource(string Name, string Status, DateTimeOffset Timestamp, AttributesResource Attributes);

/// <summary>The body of <c>POST …/transitions</c>, read as Microsoft documents it: <c>toCatalogItemId</c>, <c>quantity</c> and <c>transitionType</c> required.</summary>
public sealed record TransitionRequest(
    string? FromCatalogItemId, string? FromSubscriptionId, string? ToCatalogItemId, string? ToSubscriptionId, int? Quantity, string? TermDuration, string? BillingCycle, string? TransitionType);

/// <summary>Microsoft's history of a subscription's transitions: the sample names the list <c>transition</c>.</summary>
public sealed record TransitionHistoryResource(IReadOnlyList<TransitionResource> Transition, AttributesResource Attributes);
