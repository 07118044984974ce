-- An invoice's whole content as issued (domain/invoicing/document.ts): seller, buyer, lines by ticket, VAT
-- breakdown, dates, payment reference. HTML, PDF, UBL and Factur-X are renderings of it, so they never disagree and
-- never change after issue. Invoices issued before this migration have none: they keep their HTML and PDF only.
ALTER TABLE invoices
  ADD COLUMN document jsonb,
  -- total_cents stays the net (the sum of the lines, VAT excluded), as before; these add what VAT makes of it.
  ADD COLUMN vat_cents bigint,
  ADD COLUMN gross_cents bigint;
