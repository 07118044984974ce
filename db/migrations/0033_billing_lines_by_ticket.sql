-- A ticket's bill as the API serves it (GET /v1/tickets/:number/billing-lines, db/invoices.ts ticketLines) finds its
-- lines by ticket_number, which neither billing_lines_customer (migration 0001) nor billing_lines_unbilled (0004)
-- leads with: every read of one ticket's few lines read every line ever billed.
CREATE INDEX billing_lines_ticket ON billing_lines (ticket_number);
