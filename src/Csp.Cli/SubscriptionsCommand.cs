using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csp.PartnerCenter.Files;

namespace Csp.Cli;

/// <summary>
/// <c>csp subscriptions list|show|preview|change-seats|cancel|set-end-of-term</c>: a subscription's life through a running
/// host's API. Every change is previewed first and printed; it is applied only with <c>--yes</c>, under an
/// Idempotency-Key (a new one unless <c>--idempotency-key</c> gives it), so that running the same command again with the
/// same key can never do it twice.
/// </summary>
/// <remarks>
/// The host is <c>--api</c>, else the <c>CSP_API</c> environment variable, else <see cref="DefaultHost"/>, where the
/// README's run command starts it; the API key <c>--api-key</c>, else <c>CSP_API_KEY</c>. Exit codes: 0 done (or previewed and allowed); 1 refused or failed (the reason on
/// standard error); 2 the command line was wrong.
/// </remarks>
public static class SubscriptionsCommand
{
    /// <summary>Where <c>dotnet run --project src/Csp.Web</c> listens.</summary>
    public const string DefaultHost = ApiHost.DefaultHost;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error, HttpMessageHandler? handler)
    {
        var (api, apiKey, json) = ApiHost.Options();
        var id = new Argument<Guid>("subscription-id") { Description = "The platform's subscription id." };
        var yes = new Option<bool>("--yes") { Description = "Apply the change after showing its preview; without it, only the preview is shown." };
        var key = new Option<string>("--idempotency-key") { Description = "The Idempotency-Key to send; give the one printed by an earlier run to retry it safely." };
        var quantity = new Option<int>("--quantity") { Description = "Seats wanted.", Required = true };
        var choice = new Option<string>("--choice") { Description = "renew, cancel or est.", Required = true };
        choice.AcceptOnlyFromAmong("renew", "cancel", "est");
        var renewalQuantity = new Option<int?>("--renewal-quantity") { Description = "With renew: seats for the next term." };
        var renewalTerm = new Option<string?>("--renewal-term") { Description = "With renew: P1M, P1Y or P3Y for the next term." };
        var renewalBilling = new Option<string?>("--renewal-billing") { Description = "With renew: monthly, annual, triennial or none for the next term." };
        var customer = new Option<Guid?>("--customer") { Description = "Only this customer's subscriptions." };
        var renewingBefore = new Option<string?>("--renewing-before") { Description = "Only those renewing before this day (yyyy-MM-dd)." };

        var list = new Command("list", "Subscriptions, soonest term end first.") { customer, renewingBefore };
        list.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, async client =>
        {
            var path = parsed.GetValue(customer) is { } c ? $"api/customers/{c}/subscriptions" : $"api/subscriptions?pageSize=500{(parsed.GetValue(renewingBefore) is { } day ? $"&renewingBefore={day}" : "")}";
            var answer = await ApiHost.GetAsync(client, path, cancellationToken);
            var items = answer is JsonArray array ? array : answer!["items"]!.AsArray();
            if (parsed.GetValue(json))
            {
                output.WriteLine(items.ToJsonString(Json));
                return 0;
            }

            output.WriteLine("Id,Name,Quantity,Status,Term,TermEndDate,EndOfTerm");
            foreach (var s in items)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s!["id"]},{Csv(s["friendlyName"])},{s["quantity"]},{Csv(s["status"])},{Csv(s["term"])},{s["termEndDate"]},{CsvField.ForSpreadsheet(Path(s["endOfTerm"]))}"));
            }

            return 0;
        }, cancellationToken));

        var show = new Command("show", "A subscription, its windows, and its end-of-term paths with their cost.") { id };
        show.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, async client =>
        {
            var s = await ApiHost.GetAsync(client, $"api/subscriptions/{parsed.GetValue(id)}", cancellationToken);
            var paths = await client.GetAsync($"api/subscriptions/{parsed.GetValue(id)}/end-of-term", cancellationToken);
            var options = paths.IsSuccessStatusCode ? await paths.Content.ReadFromJsonAsync<JsonNode>(cancellationToken) : null;
            if (parsed.GetValue(json))
            {
                output.WriteLine(new JsonObject { ["subscription"] = s.DeepClone(), ["endOfTerm"] = options?.DeepClone() }.ToJsonString(Json));
                return 0;
            }

            output.WriteLine($"{s["friendlyName"]} ({s["catalogItemId"]}), {s["quantity"]} seats, {s["status"]}");
            output.WriteLine($"Term {s["term"]} billed {s["billingPlan"]}: {s["termStartDate"]} – {s["termEndDate"]}; renews on {s["renewalDate"]}");
            output.WriteLine($"Can be cancelled until {s["cancellationAllowedUntil"]} ({((bool?)s["canCancelNow"] == true ? "open" : "closed")}); seats reducible now: {s["refundableQuantity"]?["totalQuantity"]}");
            output.WriteLine($"End of term: {Path(s["endOfTerm"])}");
            foreach (var p in options?["paths"]?.AsArray() ?? [])
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p!["path"]}{((bool?)p["current"] == true ? " (current)" : "")}: {p["firstYear"]} {options!["currency"]} in the following year, {p["perMonth"]} a month. {p["description"]}"));
            }

            return 0;
        }, cancellationToken));

        var seatsToPreview = new Option<int?>("--seats") { Description = "Preview a change to this many seats." };
        var cancelToPreview = new Option<bool>("--cancel") { Description = "Preview cancelling now." };
        var endOfTermToPreview = new Option<string?>("--end-of-term") { Description = "Preview this end-of-term choice: renew, cancel or est." };
        endOfTermToPreview.AcceptOnlyFromAmong("renew", "cancel", "est");
        var preview = new Command("preview", "What a change would do, without doing it: give exactly one of --seats, --cancel, --end-of-term.") { id, seatsToPreview, cancelToPreview, endOfTermToPreview };
        preview.Validators.Add(result =>
        {
            var given = (result.GetValue(seatsToPreview) is null ? 0 : 1) + (result.GetValue(cancelToPreview) ? 1 : 0) + (result.GetValue(endOfTermToPreview) is null ? 0 : 1);
            if (given != 1)
            {
                result.AddError("Give exactly one of --seats, --cancel, --end-of-term.");
            }
        });
        preview.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
        {
            var subscription = parsed.GetValue(id);
            var (path, body) = parsed.GetValue(seatsToPreview) is { } seats ? ("seats", (object)new { quantity = seats })
                : parsed.GetValue(cancelToPreview) ? ("cancel", new { })
                : ("end-of-term", new { choice = parsed.GetValue(endOfTermToPreview) });
            return ActAsync(client, output, error, $"api/subscriptions/{subscription}/{path}", body, apply: false, key: null, parsed.GetValue(json), cancellationToken);
        }, cancellationToken));

        var changeSeats = new Command("change-seats", "Change the seats: previewed, then applied with --yes.") { id, quantity, yes, key };
        changeSeats.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
            ActAsync(client, output, error, $"api/subscriptions/{parsed.GetValue(id)}/seats", new { quantity = parsed.GetValue(quantity) }, parsed.GetValue(yes), parsed.GetValue(key), parsed.GetValue(json), cancellationToken), cancellationToken));

        var cancel = new Command("cancel", "Cancel now, within the 7-day window: previewed, then applied with --yes. Irreversible.") { id, yes, key };
        cancel.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
            ActAsync(client, output, error, $"api/subscriptions/{parsed.GetValue(id)}/cancel", new { }, parsed.GetValue(yes), parsed.GetValue(key), parsed.GetValue(json), cancellationToken), cancellationToken));

        var setEndOfTerm = new Command("set-end-of-term", "Set what happens when the term ends: previewed, then applied with --yes.") { id, choice, renewalQuantity, renewalTerm, renewalBilling, yes, key };
        setEndOfTerm.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
        {
            var renewal = parsed.GetValue(renewalQuantity) is null && parsed.GetValue(renewalTerm) is null && parsed.GetValue(renewalBilling) is null
                ? null
                : new { quantity = parsed.GetValue(renewalQuantity), term = parsed.GetValue(renewalTerm), billingPlan = parsed.GetValue(renewalBilling) };
            return ActAsync(client, output, error, $"api/subscriptions/{parsed.GetValue(id)}/end-of-term", new { choice = parsed.GetValue(choice), renewal }, parsed.GetValue(yes), parsed.GetValue(key), parsed.GetValue(json), cancellationToken);
        }, cancellationToken));

        return new Command("subscriptions", "Subscriptions through a running host's API: list, show, preview and change them.")
        {
            api, apiKey, json, list, show, preview, changeSeats, cancel, setEndOfTerm,
        };
    }

    /// <summary>Previews the change; when allowed and <paramref name="apply"/>, applies it under an Idempotency-Key.</summary>
    private static async Task<int> ActAsync(HttpClient client, TextWriter output, TextWriter error, string path, object body, bool apply, string? key, bool json, CancellationToken cancellationToken)
    {
        var previewed = await client.PostAsJsonAsync($"{path}/preview", body, cancellationToken);
        if (!previewed.IsSuccessStatusCode)
        {
            return await ApiHost.FailedAsync(previewed, error, cancellationToken);
        }

        var preview = (await previewed.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!;
        if (json && !apply)
        {
            output.WriteLine(preview.ToJsonString(Json));
        }
        else
        {
            WritePreview(preview, output);
        }

        // A retry under a given key goes to the host even when the change now previews as refused (it may be refused
        // because it was done): the host replays the first answer under that key, or refuses.
        if ((bool?)preview["allowed"] != true && !(apply && key is not null))
        {
            error.WriteLine($"csp: refused ({preview["refusal"]?["code"]}): {preview["refusal"]?["message"]}");
            return 1;
        }

        if (!apply)
        {
            output.WriteLine("Not applied: run again with --yes to apply it.");
            return 0;
        }

        key ??= Guid.NewGuid().ToString();
        error.WriteLine($"csp: Idempotency-Key {key} (give it with --idempotency-key to retry this change safely)");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var applied = await client.SendAsync(request, cancellationToken);
        if (!applied.IsSuccessStatusCode)
        {
            return await ApiHost.FailedAsync(applied, error, cancellationToken);
        }

        var outcome = (await applied.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!;
        output.WriteLine(json
            ? outcome.ToJsonString(Json)
            : $"Done: Partner Center request {outcome["microsoftRequestId"]}, audit entry {outcome["auditEntryId"]}{(applied.Headers.Contains("Idempotent-Replayed") ? " (already done under this key: its first answer)" : "")}.");
        return 0;
    }

    private static void WritePreview(JsonNode preview, TextWriter output)
    {
        output.WriteLine($"{preview["action"]}: {((bool?)preview["allowed"] == true ? "allowed" : "refused")}");
        if (preview["refusal"] is JsonObject refusal)
        {
            output.WriteLine($"  {refusal["message"]}{(refusal["allowedUntil"] is { } until ? $" (allowed until {until} UTC)" : "")}");
        }

        foreach (var line in preview["microsoftCharges"]?.AsArray() ?? [])
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  charge   {line!["chargeType"],-18} {line["chargeStartDate"]} – {line["chargeEndDate"]}  {line["quantity"],5} × {line["effectiveUnitPrice"]} = {line["subtotal"]} {line["currency"]}"));
        }

        foreach (var line in preview["chargesNoLongerDue"]?.AsArray() ?? [])
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  no more  {line!["chargeType"],-18} {line["chargeStartDate"]} – {line["chargeEndDate"]}  {line["quantity"],5} × {line["effectiveUnitPrice"]} = {line["subtotal"]} {line["currency"]}"));
        }

        if (preview["committedUntilTermEnd"] is JsonObject committed)
        {
            output.WriteLine($"  The term costs {committed["before"]} {committed["currency"]} now, {committed["after"]} after ({committed["difference"]}).");
        }

        foreach (var warning in preview["warnings"]?.AsArray() ?? [])
        {
            output.WriteLine($"  ! {warning}");
        }
    }

    private static string Path(JsonNode? endOfTerm) =>
        endOfTerm is null ? "" : $"{endOfTerm["outcome"]}{((bool?)endOfTerm["driftsIntoEst"] == true ? " (EST nobody chose)" : (bool?)endOfTerm["explicit"] == true ? " (chosen)" : "")}";

    private static string Csv(JsonNode? value) => CsvField.ForSpreadsheet(value?.ToString() ?? "");
}
