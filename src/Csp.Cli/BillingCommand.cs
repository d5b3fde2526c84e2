using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csp.Cli;

/// <summary>
/// <c>csp billing preview|run</c> and <c>csp invoices export|journal</c>: a partner's customer billing through a running
/// host's API (<see cref="ApiHost"/>). A run is idempotent — a second one adds nothing — and goes under an Idempotency-Key
/// (a new one unless <c>--idempotency-key</c> gives it). Exit codes: 0 done; 1 refused or failed (the reason on standard
/// error); 2 the command line was wrong.
/// </summary>
public static class BillingCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Billing(TextWriter output, TextWriter error, HttpMessageHandler? handler)
    {
        var (api, apiKey, json) = ApiHost.Options();
        var partner = new Option<Guid>("--partner") { Description = "The partner whose customers to bill (the caller's own, or one below it).", Required = true };
        var month = new Option<string>("--month") { Description = "The billing month, yyyy-MM.", Required = true };
        var key = new Option<string>("--idempotency-key") { Description = "The Idempotency-Key to send; give the one printed by an earlier run to retry it safely." };

        var preview = new Command("preview", "What a billing run would add now: customers, lines and amounts per currency, and the charges no rule can price.") { partner, month };
        preview.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
            PostAsync(client, "api/billing-runs/preview", new { partnerId = parsed.GetValue(partner), month = parsed.GetValue(month) }, null, parsed.GetValue(json), output, error, cancellationToken), cancellationToken));

        var run = new Command("run", "Bill the month: every charge not yet invoiced added to its customer's draft invoice.") { partner, month, key };
        run.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
        {
            var idempotencyKey = parsed.GetValue(key) ?? Guid.NewGuid().ToString();
            error.WriteLine($"csp: Idempotency-Key {idempotencyKey} (give it with --idempotency-key to retry this run safely)");
            return PostAsync(client, "api/billing-runs", new { partnerId = parsed.GetValue(partner), month = parsed.GetValue(month) }, idempotencyKey, parsed.GetValue(json), output, error, cancellationToken);
        }, cancellationToken));

        return new Command("billing", "Customer billing runs, through a running host.") { api, apiKey, json, preview, run };
    }

    public static Command Invoices(TextWriter output, TextWriter error, HttpMessageHandler? handler)
    {
        var (api, apiKey, json) = ApiHost.Options();
        var id = new Argument<Guid>("invoice-id") { Description = "The invoice's or credit note's id." };
        var format = new Option<string>("--format") { Description = "pdf, csv or xlsx.", DefaultValueFactory = _ => "pdf" };
        format.AcceptOnlyFromAmong("pdf", "csv", "xlsx");
        var journalFormat = new Option<string>("--format") { Description = "csv or xlsx.", DefaultValueFactory = _ => "csv" };
        journalFormat.AcceptOnlyFromAmong("csv", "xlsx");
        var file = new Option<FileInfo>("--out") { Description = "The file to write.", Required = true };
        var from = new Option<string>("--from") { Description = "The first month, yyyy-MM.", Required = true };
        var to = new Option<string?>("--to") { Description = "The last month, yyyy-MM (the first when left out)." };

        var export = new Command("export", "An invoice as PDF, or its lines as CSV or XLSX, written to a file.") { id, format, file };
        export.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
        {
            var kind = parsed.GetValue(format)!;
            var path = kind == "pdf" ? $"api/invoices/{parsed.GetValue(id)}/pdf" : $"api/invoices/{parsed.GetValue(id)}/lines.{kind}";
            return DownloadAsync(client, path, parsed.GetValue(file)!, output, error, cancellationToken);
        }, cancellationToken));

        var journal = new Command("journal", "The accounting journal of issued invoices and credit notes, written to a file.") { from, to, journalFormat, file };
        journal.SetAction((parsed, cancellationToken) => ApiHost.RunAsync(parsed, (api, apiKey), handler, error, client =>
        {
            var path = $"api/journal?from={Uri.EscapeDataString(parsed.GetValue(from)!)}&format={parsed.GetValue(journalFormat)}{(parsed.GetValue(to) is { } last ? $"&to={Uri.EscapeDataString(last)}" : "")}";
            return DownloadAsync(client, path, parsed.GetValue(file)!, output, error, cancellationToken);
        }, cancellationToken));

        return new Command("invoices", "Customer invoices, through a running host.") { api, apiKey, json, export, journal };
    }

    private static async Task<int> PostAsync(HttpClient client, string path, object body, string? key, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return await ApiHost.FailedAsync(response, error, cancellationToken);
        }

        var run = (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!;
        if (json)
        {
            output.WriteLine(run.ToJsonString(Json));
            return 0;
        }

        var verb = (bool?)run["preview"] == true ? "would add" : "added";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run["month"]}: {run["customers"]} customers with charges; {verb} {run["linesAdded"]} lines ({run["alreadyBilled"]} already billed), {run["invoicesCreated"]} new draft invoices."));
        foreach (var total in run["added"]!.AsArray())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {total!["currency"]}: net {total["net"]}, tax {total["tax"]}, cost {total["cost"]}"));
        }

        foreach (var charge in run["unpriced"]!.AsArray())
        {
            output.WriteLine($"  unpriced: {charge!["chargeType"]} of subscription {charge["microsoftSubscriptionId"]} from {charge["chargeStartDate"]}: {charge["problem"]}");
        }

        foreach (var parked in run["parked"]!.AsArray())
        {
            output.WriteLine($"  parked: subscription {parked!["subscriptionId"]}: {parked["problem"]}");
        }

        return 0;
    }

    private static async Task<int> DownloadAsync(HttpClient client, string path, FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return await ApiHost.FailedAsync(response, error, cancellationToken);
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        await File.WriteAllBytesAsync(file.FullName, bytes, cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes.Length:N0} bytes to {file.FullName}."));
        return 0;
    }
}
