using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Csp.Domain.Terms;

namespace Csp.Cli;

/// <summary>
/// <c>csp calendar --start 2021-01-31 --term P1Y --billing monthly</c>: the charge cycles of one term as CSV,
/// straight from the NCE calendar the platform bills with.
/// </summary>
public static class CalendarCommand
{
    public const string Header = "Cycle,ChargeStartDate,ChargeEndDate,SubscriptionStartDate,SubscriptionEndDate,RenewalDate";

    public static Command Create(TextWriter output)
    {
        var start = new Option<DateOnly>("--start")
        {
            Description = "The first day of the term, yyyy-MM-dd.",
            Required = true,
            CustomParser = ParseDate,
        };
        var term = new Option<Term>("--term")
        {
            Description = "The term: P1M, P1Y or P3Y.",
            Required = true,
            CustomParser = result => Parsed(result, TermExtensions.ParseTerm(result.Tokens.Single().Value), "--term"),
        };
        var billing = new Option<string>("--billing")
        {
            Description = "The billing plan: monthly, annual, triennial, or upfront for the whole term at once.",
            Required = true,
        };

        var command = new Command("calendar", "Print a term's charge cycles as CSV: Microsoft's dates, ends inclusive.") { start, term, billing };

        // Whether a billing plan is sold depends on the term, so it is checked once both have parsed.
        command.Validators.Add(result =>
        {
            var chosenTerm = TermExtensions.ParseTerm(result.GetResult(term)?.Tokens.SingleOrDefault()?.Value);
            if (!chosenTerm.IsSuccess || result.GetValue(billing) is not { } text)
            {
                return;
            }

            if (TermExtensions.ParseBillingPlan(text, chosenTerm.Value).Error is { } error)
            {
                result.AddError($"Option '--billing': {error.Message}");
            }
        });

        command.SetAction(parsed =>
        {
            var chosenTerm = parsed.GetRequiredValue(term);
            var plan = TermExtensions.ParseBillingPlan(parsed.GetRequiredValue(billing), chosenTerm).Value;
            var schedule = NceCalendar.Schedule(parsed.GetRequiredValue(start), chosenTerm, plan).Value;
            output.WriteLine(Header);
            for (var i = 0; i < schedule.ChargeCycles.Count; i++)
            {
                var cycle = schedule.ChargeCycles[i];
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{i + 1},{cycle.Start:yyyy-MM-dd},{cycle.End:yyyy-MM-dd},{schedule.SubscriptionStartDate:yyyy-MM-dd},{schedule.SubscriptionEndDate:yyyy-MM-dd},{schedule.RenewalDate:yyyy-MM-dd}"));
            }

            return 0;
        });

        return command;
    }

    private static DateOnly ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            result.AddError($"Option '--start': '{text}' is not a date in the form yyyy-MM-dd.");
        }
        else if (date > NceCalendar.LatestStart)
        {
            result.AddError($"Option '--start': a term starting on {date:yyyy-MM-dd} would end past the calendar's last day; terms start on or before {NceCalendar.LatestStart:yyyy-MM-dd}.");
        }

        return date;
    }

    private static T Parsed<T>(ArgumentResult result, Csp.Domain.Result<T> parsed, string option)
    {
        if (parsed.IsSuccess)
        {
            return parsed.Value;
        }

        result.AddError($"Option '{option}': {parsed.Error.Message}");
        return default!;
    }
}
