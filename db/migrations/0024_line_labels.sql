-- What a line is, as data (domain/pricing/line-labels.ts): its kind and the figures and names it quotes, so that an
-- invoice words it in its customer's language (domain/invoicing/line-texts.ts). The English description stays, for
-- the ticket's own view and `vigil price`; lines written before this migration have no label and are printed as
-- their description says.
ALTER TABLE billing_lines ADD COLUMN label jsonb;
ALTER TABLE invoice_fee_lines ADD COLUMN label jsonb;
