export { ticketWorkflow } from './ticket';
