using System.Net;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.Extensions.Time.Testing;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>Throttling, lost responses, server errors and repeated requests: nothing lost, nothing doubled.</summary>
public sealed class ReliabilityTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // The fake clock moves only once the client has the 429 in hand and is waiting (its attempt timeout, also on that
    // clock, is set far beyond the test so that only Retry-After can fire).
    private static async Task UntilThrottledAsync(SimulatedPartnerCenter pc, int answeredBefore)
    {
        for (var i = 0; i < 500 && pc.Answered == answeredBefore; i++)
        {
            await Task.Delay(10, Cancel);
        }

        await Task.Delay(100, Cancel);
    }

    // Microsoft's own sample: 429 with Retry-After: 57. On the client's fake clock, nothing is sent again before 57 s.
    [Fact]
    public async Task Read_Throttled_WaitsTheRetryAfterOfMicrosoftsSampleOnTheClientsClock()
    {
        var time = new FakeTimeProvider(SimulatedPartnerCenter.DefaultStart);
        await using var pc = new SimulatedPartnerCenter(clientTime: time, attemptTimeout: TimeSpan.FromHours(1));
        var customer = await pc.CustomerAsync();
        await pc.InjectAsync(new Fault(FaultKind.Throttle, $"/v1/customers/{customer.Id}", "GET", RetryAfterSeconds: 57));
        var answered = pc.Answered;
        async Task<int> SentAsync() => (await pc.ReceivedAsync()).Count(r => r.Method == "GET" && r.Path == $"/v1/customers/{customer.Id}");

        var read = pc.Client.GetCustomerAsync(customer.Id!, Cancel);
        await UntilThrottledAsync(pc, answered);
        time.Advance(TimeSpan.FromSeconds(56));
        await Task.Delay(200, Cancel);
        var beforeRetryAfter = await SentAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        var customerRead = await read.WaitAsync(TimeSpan.FromSeconds(10), Cancel);

        Assert.Equal(1, beforeRetryAfter);
        Assert.Equal(2, await SentAsync());
        Assert.Equal(customer.Id, customerRead.Id);
    }

    [Fact]
    public async Task Write_Throttled_IsSentAgainAfterRetryAfterWithTheSameRequestId()
    {
        var time = new FakeTimeProvider(SimulatedPartnerCenter.DefaultStart);
        await using var pc = new SimulatedPartnerCenter(clientTime: time, attemptTimeout: TimeSpan.FromHours(1));
        var customer = await pc.CustomerAsync();
        await pc.InjectAsync(new Fault(FaultKind.Throttle, $"/v1/customers/{customer.Id}/carts", "POST", RetryAfterSeconds: 57));
        var answered = pc.Answered;
        async Task<List<string?>> SentAsync() => (await pc.ReceivedAsync()).Where(r => r.Path == $"/v1/customers/{customer.Id}/carts").Select(r => r.RequestId).ToList();

        var create = pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, "CFQ7TTC0LH18:0001:CFQ7TTC0K971", 1, "P1Y", "Monthly")]), Guid.NewGuid(), Cancel);
        await UntilThrottledAsync(pc, answered);
        time.Advance(TimeSpan.FromSeconds(56));
        await Task.Delay(200, Cancel);
        var beforeRetryAfter = (await SentAsync()).Count;
        time.Advance(TimeSpan.FromSeconds(1));
        await create.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        var sent = await SentAsync();

        Assert.Equal(1, beforeRetryAfter);
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0], sent[1]);
    }

    // An attempt that hangs is abandoned after PartnerCenterOptions.AttemptTimeout and sent again: a read, and a write
    // with the same MS-RequestId, so the write still happens once.
    [Fact]
    public async Task Attempts_ThatHang_AreAbandonedAndSentAgain()
    {
        await using var pc = new SimulatedPartnerCenter(attemptTimeout: TimeSpan.FromMilliseconds(300));
        var customer = await pc.CustomerAsync();
        await pc.InjectAsync(new Fault(FaultKind.Latency, $"/v1/customers/{customer.Id}", "GET", LatencyMilliseconds: 3_000));
        await pc.InjectAsync(new Fault(FaultKind.Latency, $"/v1/customers/{customer.Id}/carts", "POST", LatencyMilliseconds: 3_000));

        var read = await pc.Client.GetCustomerAsync(customer.Id!, Cancel);
        var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, "CFQ7TTC0LH18:0001:CFQ7TTC0K971", 1, "P1Y", "Monthly")]), Guid.NewGuid(), Cancel);
        var received = await pc.ReceivedAsync();

        Assert.Equal(customer.Id, read.Id);
        Assert.Equal(2, received.Count(r => r.Method == "GET" && r.Path == $"/v1/customers/{customer.Id}"));
        var posts = received.Where(r => r.Method == "POST" && r.Path == $"/v1/customers/{customer.Id}/carts").ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].RequestId, posts[1].RequestId);
        Assert.NotNull(cart.Id);
    }

    [Fact]
    public async Task Faults_FromConfiguration_AreInForceFromTheStart()
    {
        await using var pc = new SimulatedPartnerCenter(settings: new Dictionary<string, string>
        {
            ["Simulator:Faults:0:Kind"] = "Error",
            ["Simulator:Faults:0:PathPrefix"] = "/v1/customers",
            ["Simulator:Faults:0:Method"] = "POST",
            ["Simulator:Faults:0:Times"] = "2",
            ["Simulator:Faults:0:Status"] = "502",
        });

        var customer = await pc.CustomerAsync();
        var posts = (await pc.ReceivedAsync()).Where(r => r.Method == "POST" && r.Path == "/v1/customers").ToList();

        Assert.NotNull(customer.Id);
        Assert.Equal(3, posts.Count);
        Assert.Single(posts.Select(p => p.RequestId).Distinct());
    }

    [Fact]
    public async Task RequestId_Sent32TimesAtOnce_IsOneCustomer()
    {
        await using var pc = new SimulatedPartnerCenter();
        var requestId = Guid.NewGuid();
        var customer = new Customer(null, new CompanyProfile("Tailspin", "tailspin.onmicrosoft.com"), new BillingProfile("en-GB", "en", null, "it@tailspin.example", new Address("GB")));

        var created = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => pc.Client.CreateCustomerAsync(customer, requestId, Cancel), Cancel)));
        var listed = new List<Customer>();
        await foreach (var c in pc.Client.ListCustomersAsync(100, Cancel))
        {
            listed.Add(c);
        }

        Assert.Single(created.Select(c => c.Id).Distinct());
        Assert.Equal(created[0].Id, Assert.Single(listed).Id);
    }

    // A checkout whose response is lost is sent again with the same MS-RequestId and is one order: at scale, every
    // fifth response of carts and checkouts lost, a thousand orders are a thousand subscriptions. (The simulator's clock
    // stands still here, so its per-minute throttle is lifted: this test is about lost responses.)
    [Fact]
    public async Task Orders_WithOneResponseInFiveLost_AreExactlyOneSubscriptionEach()
    {
        await using var pc = new SimulatedPartnerCenter(settings: new Dictionary<string, string> { ["Simulator:RequestsPerMinute"] = "1000000" });
        var customer = await pc.CustomerAsync();
        await pc.InjectAsync(new Fault(FaultKind.LostResponse, $"/v1/customers/{customer.Id}/carts", "POST", Times: null, Probability: 0.2, Seed: 7));

        var orders = new CartCheckoutResult[1_000];
        await Parallel.ForEachAsync(Enumerable.Range(0, orders.Length), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Cancel }, async (i, cancellationToken) =>
        {
            var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, "CFQ7TTC0LH18:0001:CFQ7TTC0K971", 1 + (i % 5), "P1Y", "Monthly")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), cancellationToken);
            orders[i] = await pc.Client.CheckoutAsync(customer.Id!, cart.Id!, Guid.NewGuid(), cancellationToken);
        });
        var subscriptions = await pc.Client.ListSubscriptionsAsync(customer.Id!, Cancel);
        var received = await pc.ReceivedAsync();

        Assert.Equal(1_000, orders.Select(o => Assert.Single(o.Orders).Id).Distinct().Count());
        Assert.Equal(1_000, subscriptions.Count);
        Assert.Equal(Enumerable.Range(0, 1_000).Sum(i => 1 + (i % 5)), subscriptions.Sum(s => s.Quantity));
        Assert.InRange(received.Count(r => r.Path.EndsWith("/checkout", StringComparison.Ordinal)), 1_150, 1_350);
    }

    [Fact]
    public async Task Write_MeetingServerErrors_IsCarriedOutOnceAndASustainedOutageSurfaces()
    {
        await using var pc = new SimulatedPartnerCenter();
        await pc.InjectAsync(new Fault(FaultKind.Error, "/v1/customers", "POST", Times: 2, Status: 503));
        var customer = await pc.CustomerAsync();
        await pc.InjectAsync(new Fault(FaultKind.Error, "/v1/customers", "POST", Times: 100, Status: 500));

        var outage = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.CustomerAsync());
        var listed = new List<Customer>();
        await foreach (var c in pc.Client.ListCustomersAsync(100, Cancel))
        {
            listed.Add(c);
        }

        Assert.Equal(customer.Id, Assert.Single(listed).Id);
        Assert.Equal(HttpStatusCode.InternalServerError, outage.Status);
    }
}
