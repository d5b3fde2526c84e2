using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// The catalog (products → SKUs → availabilities) against Microsoft's new commerce samples: the client reads them,
/// the simulator answers with every documented name and nothing Microsoft's resources do not have.
/// </summary>
public sealed class CatalogContractTests
{
    private const string Products = "get-a-list-of-products.new-commerce.response.json";
    private const string AzureProducts = "get-a-list-of-products.azure-reservations.response.json";
    private const string Skus = "get-a-list-of-skus-for-a-product.new-commerce.response.json";
    private const string Availabilities = "get-a-list-of-availabilities-for-a-sku.new-commerce.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsProductsSkusAndAvailabilities()
    {
        var product = Assert.Single(MicrosoftSample.Read(Products).Body.Deserialize(PartnerCenterJson.Default.ResourcePageProduct)!.Items);
        var reservation = Assert.Single(MicrosoftSample.Read(AzureProducts).Body.Deserialize(PartnerCenterJson.Default.ResourcePageProduct)!.Items);
        var sku = Assert.Single(MicrosoftSample.Read(Skus).Body.Deserialize(PartnerCenterJson.Default.ResourcePageSku)!.Items);
        var availability = Assert.Single(MicrosoftSample.Read(Availabilities).Body.Deserialize(PartnerCenterJson.Default.ResourcePageAvailability)!.Items);

        Assert.Equal(("CFQ7TTC0LH18", "OnlineServicesNCE", true), (product.Id, product.ProductType.Id, product.IsMicrosoftProduct));
        Assert.Equal(("Azure", "VirtualMachines"), (reservation.ProductType.Id, reservation.ProductType.SubType?.Id));
        Assert.Equal((1, 300, false), (sku.MinimumQuantity, sku.MaximumQuantity, sku.IsTrial));
        Assert.Equal(["annual", "monthly"], sku.SupportedBillingCycles);
        Assert.Equal(["MicrosoftCloudAgreement"], sku.PurchasePrerequisites);
        Assert.Empty(sku.ProvisioningVariables!);
        Assert.Equal(("CFQ7TTC0LH18:0001:CFQ7TTC0K971", "USD", "$", true), (availability.CatalogItemId, availability.DefaultCurrency.Code, availability.DefaultCurrency.Symbol, availability.IsRenewable));
        var term = Assert.Single(availability.Terms);
        Assert.Equal(("P1Y", "Annual", "P1D"), (term.Duration, term.BillingCycle, term.CancellationPolicies![0].RefundOptions[0].ExpiresAfter));
    }

    [Fact]
    public async Task Simulator_Catalog_HasEveryNameOfMicrosoftsSamples_AndNoOther()
    {
        await using var pc = new SimulatedPartnerCenter();

        var products = await pc.GetJsonAsync("v1/products?country=US&targetView=OnlineServices");
        var azure = await pc.GetJsonAsync("v1/products?country=US&targetView=Azure");
        var skus = await pc.GetJsonAsync("v1/products/CFQ7TTC0LH18/skus?country=US");
        var availabilities = await pc.GetJsonAsync("v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US");

        foreach (var (sample, answer) in new[] { (Products, products), (AzureProducts, azure), (Skus, skus), (Availabilities, availabilities) })
        {
            Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(sample).Body, answer));
            Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(sample).Body, answer));
        }

        Assert.Equal("/products/CFQ7TTC0LH18/skus?country=US", products.GetProperty("items")[0].GetProperty("links").GetProperty("skus").GetProperty("uri").GetString());
        Assert.Contains("CFQ7TTC0LDPB:0001", skus.GetProperty("items")[0].GetProperty("dynamicAttributes").GetProperty("upgradeTargetOffers").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task Simulator_ProductsWithoutATargetView_AreRefused()
    {
        await using var pc = new SimulatedPartnerCenter();

        var refused = await pc.SendAsync(HttpMethod.Get, "v1/products?country=US");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(400036, (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetInt32());
    }
}
