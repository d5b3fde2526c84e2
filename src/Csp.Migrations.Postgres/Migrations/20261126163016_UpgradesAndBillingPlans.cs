using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Csp.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UpgradesAndBillingPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RelatedSubscriptionId",
                table: "SubscriptionEvents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsAfter_AvailabilityId",
                table: "SubscriptionEvents",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsAfter_BillingPlan",
                table: "SubscriptionEvents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsAfter_ProductId",
                table: "SubscriptionEvents",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsAfter_ProductName",
                table: "SubscriptionEvents",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsAfter_SkuId",
                table: "SubscriptionEvents",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsAfter_Term",
                table: "SubscriptionEvents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "TermsAfter_UnitPrice",
                table: "SubscriptionEvents",
                type: "numeric(19,6)",
                precision: 19,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsBefore_AvailabilityId",
                table: "SubscriptionEvents",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsBefore_BillingPlan",
                table: "SubscriptionEvents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsBefore_ProductId",
                table: "SubscriptionEvents",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsBefore_ProductName",
                table: "SubscriptionEvents",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsBefore_SkuId",
                table: "SubscriptionEvents",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsBefore_Term",
                table: "SubscriptionEvents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "TermsBefore_UnitPrice",
                table: "SubscriptionEvents",
                type: "numeric(19,6)",
                precision: 19,
                scale: 6,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RelatedSubscriptionId",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsAfter_AvailabilityId",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsAfter_BillingPlan",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsAfter_ProductId",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsAfter_ProductName",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsAfter_SkuId",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsAfter_Term",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsAfter_UnitPrice",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsBefore_AvailabilityId",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsBefore_BillingPlan",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsBefore_ProductId",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsBefore_ProductName",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsBefore_SkuId",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsBefore_Term",
                table: "SubscriptionEvents");

            migrationBuilder.DropColumn(
                name: "TermsBefore_UnitPrice",
                table: "SubscriptionEvents");
        }
    }
}
