export { ticketWorkflow } from './ticket';
export { invoicingWorkflow } from './invoicing';
