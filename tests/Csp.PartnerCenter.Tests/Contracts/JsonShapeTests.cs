using System.Text.Json;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>The comparison the contract tests rest on: a renamed or retyped field is found, values are not compared.</summary>
public sealed class JsonShapeTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Missing_ARenamedField_IsFound()
    {
        var documented = Json("""{ "eligibilities": [ { "transitionType": "immediate", "isEligible": true } ] }""");
        var ours = Json("""{ "eligibilities": [ { "eligibilityType": "immediate", "isEligible": true } ] }""");

        Assert.Equal(["eligibilities[].transitionType: missing"], JsonShape.Missing(documented, ours));
        Assert.Equal(["eligibilities[].eligibilityType"], JsonShape.Extra(documented, ours));
    }

    [Fact]
    public void Missing_AnotherKindOfValue_IsFound_ButNotAnotherValue()
    {
        var documented = Json("""{ "code": 800090, "description": "x", "data": [], "links": { "self": { "uri": "/a" } } }""");

        Assert.Equal(["code: string where Microsoft's sample has number"], JsonShape.Missing(documented, Json("""{ "code": "800090", "description": "y", "data": [], "links": { "self": { "uri": "/b" } } }""")));
        Assert.Empty(JsonShape.Missing(documented, Json("""{ "code": 900214, "description": "y", "data": ["z"], "links": { "self": { "uri": "/b" } } }""")));
    }

    [Fact]
    public void Missing_ADocumentedNull_SaysNothingOfTheKind()
    {
        Assert.Empty(JsonShape.Missing(Json("""{ "parentSubscriptionId": null }"""), Json("{}")));
    }

    [Fact]
    public void Missing_ItemsMicrosoftShows_MustBeSomewhere_AndNamesIgnoreCase()
    {
        var documented = Json("""{ "items": [ { "Events": [ { "name": "Conversion" } ] } ] }""");

        Assert.Empty(JsonShape.Missing(documented, Json("""{ "items": [ { "events": [] }, { "events": [ { "name": "x" } ] } ] }""")));
        Assert.Equal(["items[].Events: empty where Microsoft's sample has items, so their names cannot be compared"], JsonShape.Missing(documented, Json("""{ "items": [ { "events": [] } ] }""")));
    }
}
