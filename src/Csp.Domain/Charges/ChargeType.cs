namespace Csp.Domain.Charges;

/// <summary>Microsoft's <c>ChargeType</c> of a new-commerce reconciliation line (docs/microsoft/files.md).</summary>
public enum ChargeType
{
    /// <summary>A purchase: the first charge cycle.</summary>
    New,

    /// <summary>A regular recurring charge, at the start of each charge cycle after the first.</summary>
    CycleCharge,

    /// <summary>The first charge cycle of a renewed term.</summary>
    Renew,

    /// <summary>Refund and re-charge when seats are added.</summary>
    AddQuantity,

    /// <summary>Refund and re-charge when seats are removed.</summary>
    RemoveQuantity,

    /// <summary>Refund of the unused days when a subscription is cancelled.</summary>
    CancelImmediate,

    /// <summary>A trial converted to paid, or an upgrade to a new subscription.</summary>
    Convert,

    /// <summary>An upgrade into a subscription that already exists.</summary>
    MoveQuantity,

    /// <summary>The first charge cycle after a change between monthly and annual billing.</summary>
    ChangeBillingPlan,

    /// <summary>
    /// A month of Extended Service Term. Microsoft documents no charge type for EST lines (docs/microsoft/files.md,
    /// [UNCONFIRMED]); this name is ours, and reconciliation maps Microsoft's once real files show it.
    /// </summary>
    ExtendedServiceTerm,
}

public static class ChargeTypeNames
{
    /// <summary>The value as Microsoft's files write it: <c>new</c>, <c>cycleCharge</c>, <c>addQuantity</c>, …</summary>
    public static string ToMicrosoft(this ChargeType type)
    {
        var name = type.ToString();
        return string.Concat(char.ToLowerInvariant(name[0]), name[1..]);
    }
}
