using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Requests;

/// <summary>The seller's policy for its customers' requests (<see cref="Partner.CustomerSeatAdditionsAtOnce"/>): read and set.</summary>
public static class RequestPolicy
{
    /// <summary>The most seats a policy may let a customer add at once.</summary>
    public const int MaxSeatAdditionsAtOnce = 1000;

    public static Task<int> SeatAdditionsAtOnceAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        db.Partners.Where(p => p.Id == partnerId).Select(p => p.CustomerSeatAdditionsAtOnce).SingleAsync(cancellationToken);

    public static async Task<Result<int>> SetAsync(CommerceDb db, Guid partnerId, int seatAdditionsAtOnce, CancellationToken cancellationToken)
    {
        if (seatAdditionsAtOnce is < 0 or > MaxSeatAdditionsAtOnce)
        {
            return Error.InvalidParameter("seatAdditionsAtOnce", $"seatAdditionsAtOnce: 0 (every request waits) to {MaxSeatAdditionsAtOnce}.");
        }

        var partner = await db.Partners.SingleAsync(p => p.Id == partnerId, cancellationToken);
        partner.SetCustomerRequestPolicy(seatAdditionsAtOnce);
        await db.SaveChangesAsync(cancellationToken);
        return seatAdditionsAtOnce;
    }
}
