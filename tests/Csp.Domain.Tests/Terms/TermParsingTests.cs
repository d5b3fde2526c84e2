using Csp.Domain.Terms;

namespace Csp.Domain.Tests.Terms;

public class TermParsingTests
{
    [Theory]
    [InlineData("p1y", Term.P1Y)]
    [InlineData("P3Y", Term.P3Y)]
    public void ParseTerm_IsoDuration_IsTheTerm(string text, Term expected) =>
        Assert.Equal(expected, TermExtensions.ParseTerm(text).Value);

    [Fact]
    public void ParseTerm_Unknown_NamesTheTermParameter()
    {
        var error = TermExtensions.ParseTerm("P2Y").Error;

        Assert.Equal(("calendar.invalid_term", "term"), (error?.Code, error?.Parameter));
    }

    [Theory]
    [InlineData("upfront", Term.P1M, BillingPlan.Monthly)]
    [InlineData("upfront", Term.P1Y, BillingPlan.Annual)]
    [InlineData("upfront", Term.P3Y, BillingPlan.Triennial)]
    [InlineData("Monthly", Term.P3Y, BillingPlan.Monthly)]
    [InlineData("annual", Term.P3Y, BillingPlan.Annual)]
    public void ParseBillingPlan_KnownName_IsThePlanForThatTerm(string text, Term term, BillingPlan expected) =>
        Assert.Equal(expected, TermExtensions.ParseBillingPlan(text, term).Value);

    [Theory]
    [InlineData("weekly", "calendar.invalid_billing_plan")]
    [InlineData("triennial", "calendar.plan_not_offered")]
    public void ParseBillingPlan_UnknownOrNotOffered_IsRefused(string text, string code) =>
        Assert.Equal(code, TermExtensions.ParseBillingPlan(text, Term.P1Y).Error?.Code);
}
